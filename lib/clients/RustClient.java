package lib.clients;

import java.util.Set;

import lib.Availability;
import lib.Channel;
import lib.Client;
import lib.Crate;
import lib.Fmp4FrameProbe;
import lib.Proc;
import lib.Tool;
import lib.UsageError;
import lib.Workspace;

/** The moq CLI (crate moq-cli) from the run's channel: `import avc3` to publish, `export fmp4` to subscribe. */
public final class RustClient implements Client {
    private final Channel channel;
    private Tool moq;

    public RustClient(Channel channel) {
        this.channel = channel;
    }

    @Override
    public String name() {
        return "rust";
    }

    @Override
    public Set<Role> roles() {
        return Set.of(Role.PUBLISH, Role.SUBSCRIBE);
    }

    @Override
    public Availability check() {
        if (channel == Channel.PATH) {
            try {
                Tool found = Channel.PATH.provide(Crate.CLI, null);
                return found.availability();
            } catch (UsageError e) {
                return Availability.unavailable(e.getMessage());
            }
        }
        return channel.unreachableReason().map(Availability::unavailable)
                .orElse(Availability.ready("moq-cli via " + channel.id() + ", installed on run"));
    }

    @Override
    public Availability prepare(Workspace workspace) {
        moq = channel.provide(Crate.CLI, workspace);
        return moq.availability();
    }

    @Override
    public Launch publish(Target target) {
        return Launch.publisher(Proc.Spec.of(moq.with("--client-connect", target.relay().toString(),
                "--broadcast", target.broadcast(), "import", "avc3")), true);
    }

    /**
     * export fmp4 emits the init segment once the first keyframe is in, then one
     * fragment per group; the probe waits for a whole media fragment, not the init.
     */
    @Override
    public Launch subscribe(Target target) {
        return Launch.subscriber(Proc.Spec.of(moq.with("--client-connect", target.relay().toString(),
                "--broadcast", target.broadcast(), "export", "fmp4")), Fmp4FrameProbe.factory(), true);
    }
}
