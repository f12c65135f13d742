package lib.media;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The transport a side asked for or really used. moq clients race QUIC
 * (WebTransport or raw QUIC) against a WebSocket fallback on the same port
 * (upstream: rs/moq-native/src/client.rs, js/net/src/connection/connect.ts), so a
 * cell can go green over TCP while QUIC interop is broken. QUIC is what a run
 * demands by default; ANY accepts either and still records which.
 */
public enum Transport {
    QUIC, WEBSOCKET, ANY;

    /**
     * Under QUIC, clients that race still may, but QUIC gets this head start
     * (upstream's default is 200 ms for Rust, 500 ms for JS): on a loaded machine a
     * healthy QUIC handshake can take longer than that (measured here: over 3 s with
     * four browser pages decoding on two cores), and a cell must not go red for
     * losing a race it would have finished. A fallback after this long means QUIC
     * did not get through. It must stay well under the clients' own connect timeout
     * (10 s for the moq CLI), or the fallback never gets its turn.
     */
    public static final java.time.Duration QUIC_HEAD_START = java.time.Duration.ofSeconds(5);

    /** A client program's own "transport: quic|webtransport|websocket" line. */
    private static final Pattern DECLARED = Pattern.compile("(?im)^\\s*transport:\\s*(quic|webtransport|websocket|ws)\\b");

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether a side that used actual satisfies a run that asked for this. */
    public boolean acceptsUsed(Transport actual) {
        return this == ANY || this == actual;
    }

    /** The transport a client program declared on its own output, if it did. */
    public static Optional<Transport> declared(String output) {
        Matcher matcher = DECLARED.matcher(output);
        if (!matcher.find()) return Optional.empty();
        String word = matcher.group(1).toLowerCase(Locale.ROOT);
        return Optional.of(word.startsWith("w") && !word.equals("webtransport") ? WEBSOCKET : QUIC);
    }

    /** How a side's transport is told from its output; the default reads a declared line. */
    public interface Reader {
        Reader DECLARED_LINE = new Reader() {};

        default Optional<Transport> used(String output) {
            return declared(output);
        }

        /** The error the side logged when QUIC failed, the cause of a fallback. */
        default Optional<String> quicError(String output) {
            return output.lines().filter(l -> l.toLowerCase(Locale.ROOT).matches(".*(quic|webtransport).*(fail|error).*"))
                    .map(String::strip).findFirst();
        }
    }
}
