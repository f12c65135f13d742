package lib.media;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Watches what a subscriber writes and decides whether a real media frame arrived.
 * The subscriber's output is written to sink(); frame() completes, with a short
 * description of the evidence, the moment a frame is seen; diagnosis() says what
 * was seen so far in any case.
 */
public interface FrameProbe {
    OutputStream sink();

    CompletableFuture<String> frame();

    Diagnosis diagnosis();

    /** The first failure to copy output to its artifact file; frames are still judged without it. */
    Optional<IOException> copyFailure();

    /** A fresh probe per subscriber run, since probes hold parse state. */
    interface Factory {
        FrameProbe create(OutputStream copyTo);
    }
}
