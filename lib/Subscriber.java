package lib;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one subscriber until its probe sees a frame, it exits, or its time is up,
 * then stops its whole process tree (subscribers such as `moq export` would wait
 * for a broadcast forever).
 */
public final class Subscriber {
    private Subscriber() {}

    /** frame is the probe's evidence, or null; elapsed runs from the subscriber's start. */
    public record Outcome(String frame, Duration elapsed, boolean timedOut, Optional<Integer> exitCode, FrameProbe probe) {}

    /**
     * A media stdout goes to data (dropped when data is null) and stderr to log;
     * otherwise both go to log. Throws UncheckedIOException if it cannot start.
     */
    public static Outcome watch(String label, Client.Launch launch, Path log, Path data, Duration timeout) {
        OutputStream copy = launch.stdoutIsData() ? (data == null ? OutputStream.nullOutputStream() : open(data)) : open(log);
        FrameProbe probe = launch.probe().create(copy);
        long started = System.nanoTime();
        Proc proc = launch.stdoutIsData()
                ? Proc.start(label, launch.spec(), probe.sink(), log, null)
                : Proc.start(label, launch.spec(), probe.sink(), probe.sink(), null);
        boolean timedOut = false;
        try {
            CompletableFuture.anyOf(probe.frame(), proc.onExit()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            timedOut = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("a frame probe or exit watch failed", e);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        Optional<Integer> exited = proc.exitCode();
        proc.stop(Duration.ZERO);
        return new Outcome(probe.frame().getNow(null), elapsed, timedOut, exited, probe);
    }

    private static OutputStream open(Path file) {
        try {
            Files.createDirectories(file.getParent());
            return Files.newOutputStream(file, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
