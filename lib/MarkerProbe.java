package lib;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * The contract of the language client programs in clients/: on the first non-empty
 * frame they print a line "received N bytes from B" with N > 0. The line, not the exit code, is the evidence, because some native bindings
 * crash during process teardown after a successful read. stdout and stderr may
 * both be written here, from two threads: writes are serialised.
 */
public final class MarkerProbe extends OutputStream implements FrameProbe {
    private static final Pattern MARKER = Pattern.compile("received [1-9][0-9]* bytes\\b.*");
    private final OutputStream copyTo;
    private final CompletableFuture<String> frame = new CompletableFuture<>();
    private final StringBuilder line = new StringBuilder();

    public MarkerProbe(OutputStream copyTo) {
        this.copyTo = copyTo;
    }

    public static FrameProbe.Factory factory() {
        return MarkerProbe::new;
    }

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
        for (int i = offset; i < offset + length && !frame.isDone(); i++) {
            if (bytes[i] == '\n') {
                String text = line.toString().strip();
                if (MARKER.matcher(text).matches()) frame.complete(text);
                line.setLength(0);
            } else if (line.length() < 4096) {
                line.append((char) (bytes[i] & 0xff));
            }
        }
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
