package lib;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;

/**
 * A FrameProbe that sits in a subscriber's output stream: every byte is passed on
 * to copyTo (the log or data file) and then inspected. Writes are serialised,
 * since stdout and stderr may both be written here from two threads.
 */
abstract class CopyingProbe extends OutputStream implements FrameProbe {
    private final OutputStream copyTo;
    protected final CompletableFuture<String> frame = new CompletableFuture<>();

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
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
        copyTo.write(bytes, offset, length);
        if (!frame.isDone()) inspect(bytes, offset, length);
    }

    @Override
    public void flush() throws IOException {
        copyTo.flush();
    }

    @Override
    public void close() throws IOException {
        copyTo.close();
    }
}
