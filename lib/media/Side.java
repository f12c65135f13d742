package lib.media;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One running side of a cell, a publisher or a subscriber: a child process
 * (ProcessSide) or something the harness drives in-process (a browser page). The
 * matrix, teardown and reports see only this handle.
 */
public interface Side {
    String label();

    /** Completes with the evidence the moment a real frame is seen; publishers never complete it. */
    CompletableFuture<String> frame();

    /** Completes with the exit code when the side ends by itself, all it wrote read. */
    CompletableFuture<Integer> exit();

    /**
     * Completes with the exit code the moment the side ends, perhaps before all it wrote
     * is read: a descendant that holds a process's output open delays exit() by seconds.
     */
    default CompletableFuture<Integer> ended() {
        return exit();
    }

    /** What the side's output showed so far: nothing, init only, not the promised format, or a frame. */
    Diagnosis diagnosis();

    /** The transport the side reported using, once it connected. */
    Optional<Transport> transport();

    /** The error the side logged when its QUIC attempt failed: the cause of a fallback. */
    Optional<String> quicError();

    /** The first meaningful error the side printed. */
    Optional<String> firstError();

    /** A failure to write this side's artifacts (a full disk): the harness's failure, not the cell's. */
    Optional<IOException> artifactFailure();

    /**
     * Named findings beyond the frame, for the report (a page: "frame rendered",
     * "audio arrived"); they never change the verdict.
     */
    default java.util.Map<String, Boolean> subChecks() {
        return java.util.Map.of();
    }

    /** Whether the side ends by itself after its first frame (client programs do; a streaming CLI does not). */
    default boolean exitsAfterFrame() {
        return false;
    }

    /** The side's log files, the most telling first. */
    List<Path> logs();

    /** Stops the side and everything it started; safe to call twice. */
    void stop();

    /**
     * Stops the side with no time to close its session: for a publisher after the last
     * round, when the relay goes too and nothing is left to close cleanly.
     */
    default void stopAtOnce() {
        stop();
    }
}
