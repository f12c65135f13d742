package lib.media;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A FrameProbe that sits in a subscriber's output stream: every byte is inspected
 * first and then passed on to copyTo (the log or data file). A failure to copy
 * (a full disk) is kept for the harness to report as its own failure, and never
 * stops the inspection, so a verdict never depends on writing artifacts. Writes
 * are serialised, since stdout and stderr may both be written here from two threads.
 * Once closed (the client exited and its streams were drained) what a descendant that
 * outlived it still writes is dropped: the file is complete, not failing.
 */
abstract class CopyingProbe extends OutputStream implements FrameProbe {
    /** How many leading bytes are kept as evidence of what the stream was. */
    static final int HEAD_BYTES = 48;

    private final OutputStream copyTo;
    protected final CompletableFuture<String> frame = new CompletableFuture<>();
    protected final byte[] head = new byte[HEAD_BYTES];
    protected int headLength;
    protected long total;
    private IOException copyFailure;
    private boolean closed;

    protected CopyingProbe(OutputStream copyTo) {
        this.copyTo = copyTo;
    }

    /** Looks at the next bytes of output; completes frame when they prove one arrived. */
    protected abstract void inspect(byte[] bytes, int offset, int length);

    @Override
    public OutputStream sink() {
        return this;
    }

    @Override
    public CompletableFuture<String> frame() {
        return frame;
    }

    @Override
    public synchronized Optional<IOException> copyFailure() {
        return Optional.ofNullable(copyFailure);
    }

    /** The stream's first bytes, printable-escaped. */
    protected synchronized String headText() {
        return Diagnosis.escape(head, headLength);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        if (closed) return;
        int keep = Math.min(length, HEAD_BYTES - headLength);
        if (keep > 0) {
            System.arraycopy(bytes, offset, head, headLength, keep);
            headLength += keep;
        }
        total += length;
        if (!frame.isDone()) inspect(bytes, offset, length);
        if (copyFailure != null) return;
        try {
            copyTo.write(bytes, offset, length);
        } catch (IOException e) {
            copyFailure = e;
        }
    }

    @Override
    public synchronized void flush() {
        if (copyFailure != null || closed) return;
        try {
            copyTo.flush();
        } catch (IOException e) {
            copyFailure = e;
        }
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            copyTo.close();
        } catch (IOException e) {
            if (copyFailure == null) copyFailure = e;
        }
    }
}
