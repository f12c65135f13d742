package lib;

import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;

/**
 * Watches what a subscriber writes and decides whether a real media frame arrived.
 * The subscriber's output is written to sink(); frame() completes, with a short
 * description of the evidence, the moment a frame is seen.
 */
public interface FrameProbe {
    OutputStream sink();

    CompletableFuture<String> frame();

    /** A fresh probe per subscriber run, since probes hold parse state. */
    interface Factory {
        FrameProbe create(OutputStream copyTo);
    }
}
