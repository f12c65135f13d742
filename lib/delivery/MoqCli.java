package lib.delivery;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

import lib.core.Proc;
import lib.media.Transport;

/**
 * What the harness knows about the moq CLI (crate moq-cli) across releases: the
 * connect flag it reads, and how its log tells the transport it used (upstream:
 * rs/moq-native/src/client.rs logs "connected" once the session is up and
 * rs/moq-native/src/websocket.rs warns "using WebSocket fallback" when the
 * fallback won; "QUIC connection failed" carries the QUIC error).
 */
public final class MoqCli {
    private static final Pattern FALLBACK = Pattern.compile("(?m)using WebSocket fallback");
    private static final Pattern CONNECTED = Pattern.compile("(?m)\\bconnected\\b");
    private static final Pattern QUIC_FAILED = Pattern.compile("(?m)^.*QUIC connection failed.*$");

    /** Reads the transport from a moq-native client's log at info level. */
    public static final Transport.Reader TRANSPORT = new Transport.Reader() {
        @Override
        public Optional<Transport> used(String output) {
            if (FALLBACK.matcher(output).find()) return Optional.of(Transport.WEBSOCKET);
            if (CONNECTED.matcher(output).find()) return Optional.of(Transport.QUIC);
            return Transport.declared(output);
        }

        @Override
        public Optional<String> quicError(String output) {
            var failed = QUIC_FAILED.matcher(output);
            return failed.find() ? Optional.of(failed.group().strip()) : Optional.empty();
        }
    };

    private MoqCli() {}

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
}
