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
    private static final int ATTEMPTS = 3;
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
     * Whether the server started for the attempt-th time (from 1) on port should be started
     * again: it exited of itself (exited; one the harness stopped did not), its own first error
     * (its reason, not merely a warning about another socket) in what it wrote to log from mark
     * on says a port it was to bind is in use, and tries are left. If so, log says why, so it
     * reads true.
     */
    public static boolean startAgain(int attempt, boolean exited, Path log, long mark, String server, int port) {
        if (attempt >= ATTEMPTS || !exited) return false;
        if (since(log, mark).flatMap(lib.core.RuntimeErrors::first).filter(reason -> TAKEN.matcher(reason).find()).isEmpty()) return false;
        try {
            Files.writeString(log, "moq smoke: port " + port + " was taken before the " + server + " bound it; starting it again on another port\n",
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return true;
    }
}
