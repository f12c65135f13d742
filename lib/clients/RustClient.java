package lib.clients;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import lib.core.Availability;
import lib.core.Proc;
import lib.core.UsageError;
import lib.delivery.Channel;
import lib.delivery.Crate;
import lib.delivery.MoqCli;
import lib.delivery.Tool;
import lib.media.Fmp4FrameProbe;
import lib.media.Launch;
import lib.media.ProcessSide;
import lib.media.Side;
import lib.media.Transport;

/** The moq CLI (crate moq-cli) from the run's channel: `import avc3` to publish, `export fmp4` to subscribe. */
public final class RustClient implements Client {
    @Override
    public String name() {
        return "rust";
    }

    @Override
    public int order() {
        return 0;
    }

    @Override
    public Set<Role> roles() {
        return Set.of(Role.PUBLISH, Role.SUBSCRIBE);
    }

    @Override
    public String source() {
        return "moq-cli (binary moq) from --channel";
    }

    @Override
    public Availability check(ClientContext context) {
        Channel channel = context.channel();
        if (channel == Channel.PATH) {
            try {
                return Channel.PATH.provide(Crate.CLI, null).availability();
            } catch (UsageError e) {
                return Availability.unavailable(e.getMessage());
            }
        }
        return channel.unreachableReason().map(Availability::unavailable)
                .orElse(Availability.ready("moq-cli via " + channel.id() + ", installed on run"));
    }

    @Override
    public Installed install(ClientContext context) {
        Tool moq = context.channel().provide(Crate.CLI, context.workspace());
        if (!moq.availability().ready()) return Client.notInstalled(moq.availability());
        return new Cli(moq, MoqCli.connectFlag(moq));
    }

    /** The binary and the connect flag it reads, fixed at install. */
    private record Cli(Tool moq, String connectFlag) implements Installed {
        public Availability availability() {
            return moq.availability();
        }

        public Map<String, String> versions() {
            return Map.of("moq-cli", moq.version());
        }

        public List<lib.core.Artifact> artifacts() {
            return moq.provenance();
        }

        /** The moq CLI forces WebSocket with a ws:// URL (upstream: rs/moq-native/src/websocket.rs). */
        public Optional<String> cannotUse(Transport transport) {
            return Optional.empty();
        }

        public Side publish(Target target, SideIO io) {
            Launch launch = Launch.publisher(command(target, "import", "avc3"), true, MoqCli.TRANSPORT);
            return ProcessSide.start(io.label(), launch, io.dir().resolve("publisher.log"), null, io.h264().get());
        }

        /**
         * export fmp4 emits the init segment once the first keyframe is in, then one
         * fragment per group; the probe waits for a whole media fragment, not the init.
         */
        public Side subscribe(Target target, SideIO io) {
            Launch launch = Launch.subscriber(command(target, "export", "fmp4"), Fmp4FrameProbe.factory(), true, MoqCli.TRANSPORT);
            return ProcessSide.start(io.label(), launch, io.dir().resolve("subscriber.log"), io.dir().resolve("subscriber.out"), null);
        }

        /** The relay URL travels in MOQ_CONNECT, not argv, so a token in it never shows in a process listing. */
        private Proc.Spec command(Target target, String... verb) {
            String url = target.transport() == Transport.WEBSOCKET ? target.relay().toString().replaceFirst("^http", "ws") : target.relay().toString();
            String[] args = new String[verb.length + 2];
            args[0] = "--broadcast";
            args[1] = target.broadcast();
            System.arraycopy(verb, 0, args, 2, verb.length);
            Map<String, String> env = new java.util.HashMap<>(Map.of("RUST_LOG", "info"));
            if (connectFlag.equals("--connect")) env.put("MOQ_CONNECT", url);
            if (target.transport() == Transport.QUIC) env.put("MOQ_CONNECT_WEBSOCKET_DELAY", Transport.QUIC_HEAD_START.toMillis() + "ms");
            var command = connectFlag.equals("--connect") ? moq.with(args) : moq.with(prepend(connectFlag, url, args));
            return new Proc.Spec(command, env, null);
        }

        private static String[] prepend(String flag, String value, String[] rest) {
            String[] all = new String[rest.length + 2];
            all[0] = flag;
            all[1] = value;
            System.arraycopy(rest, 0, all, 2, rest.length);
            return all;
        }
    }
}
