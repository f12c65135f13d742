package lib.relay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A port that {@link RelayConfig#freePort} found free can be taken by another process
 * before the server given it binds it. That is the harness's choice failing, not the
 * server: it is started again on another port, a bounded number of times, and what
 * each start wrote to the shared log is read apart from the others.
 */
public final class PortRace {
    /** Starts tried in all; a port taken every time is no race but the server's own failure. */
    public static final int ATTEMPTS = 3;
    /** The OS's words for EADDRINUSE as Rust's io::Error and Python print them (os error 98 on Linux, 48 on macOS). */
    private static final Pattern TAKEN = Pattern.compile("Address already in use");

    private PortRace() {}

    /** Where the next start's output will begin in log, in bytes (0 for a log not written yet). */
    public static long mark(Path log) {
        try {
            return Files.exists(log) ? Files.size(log) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What was written to log from mark on; empty when it cannot be read. */
    public static Optional<String> since(Path log, long mark) {
        try {
            byte[] all = Files.readAllBytes(log);
            int from = (int) Math.min(mark, all.length);
            return Optional.of(new String(all, from, all.length - from, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * True when the server that wrote log from mark on failed because a port it was to bind is in use:
     * its first error (its reason) says so, not merely some line it wrote (a warning about another socket).
     */
    public static boolean lost(Path log, long mark) {
        return since(log, mark).flatMap(lib.core.RuntimeErrors::first).filter(reason -> TAKEN.matcher(reason).find()).isPresent();
    }

    /** Says in log why the server is started again, so the log reads true. */
    public static void note(Path log, String server, int port) {
        try {
            Files.writeString(log, "moq smoke: port " + port + " was taken before the " + server + " bound it; starting it again on another port\n",
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
