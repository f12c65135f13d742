package lib.clients;

import java.time.Duration;
import java.util.Set;
import java.util.regex.Pattern;

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
    private String connectFlag;

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
        if (moq.availability().ready()) connectFlag = connectFlag(moq);
        return moq.availability();
    }

    /** The connect flag this moq binary reads, asked of its --help. */
    public static String connectFlag(Tool moq) {
        return connectFlag(Proc.run(Proc.Spec.of(moq.with("--help")), Duration.ofSeconds(30)).output());
    }

    /**
     * moq-cli 0.10 renamed --client-connect to --connect and now refuses the old
     * spelling; older releases know only the old one. Ask the binary which it reads.
     */
    public static String connectFlag(String help) {
        return Pattern.compile("(?m)^\\s*(-\\w, )?--connect(?![-\\w])").matcher(help).find() || !help.contains("--client-connect")
                ? "--connect" : "--client-connect";
    }

    @Override
    public Launch publish(Target target) {
        return Launch.publisher(Proc.Spec.of(moq.with(connectFlag, target.relay().toString(),
                "--broadcast", target.broadcast(), "import", "avc3")), true);
    }

    /**
     * export fmp4 emits the init segment once the first keyframe is in, then one
     * fragment per group; the probe waits for a whole media fragment, not the init.
     */
    @Override
    public Launch subscribe(Target target) {
        return Launch.subscriber(Proc.Spec.of(moq.with(connectFlag, target.relay().toString(),
                "--broadcast", target.broadcast(), "export", "fmp4")), Fmp4FrameProbe.factory(), true);
    }
}
