package lib.core;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Passes on to its target only whole lines, each with its newline and in one write, so
 * that a process's stdout and stderr writing into one sink (a log, a probe that reads
 * lines) interleave between lines, never inside one. A child writes a line in several
 * pieces when it is long (Rust's line-buffered stdout writes 1 KiB at a time) or its
 * stream is unbuffered, and a piece of the other stream could land in between: cargo's
 * last JSON message, cut by its "Finished" line, once lost the artifact it named.
 * What is left without a newline goes on at close, with one, so that it is not glued to
 * the other stream's last line; a line longer than 64 KiB goes on in pieces of that size.
 */
public final class WholeLines extends OutputStream {
    static final int LONGEST = 64 * 1024;

    private final OutputStream target;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    /** Writes to target are made while holding target's own lock, as every writer into it must. */
    public WholeLines(OutputStream target) {
        this.target = target;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
        int start = offset;
        for (int i = offset; i < offset + length; i++) {
            if (bytes[i] == '\n' || line.size() + i - start + 1 >= LONGEST) {
                line.write(bytes, start, i - start + 1);
                pass();
                start = i + 1;
            }
        }
        line.write(bytes, start, offset + length - start);
    }

    @Override
    public synchronized void flush() throws IOException {
        target.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        if (line.size() > 0) line.write('\n');
        pass();
        target.close();
    }

    private void pass() throws IOException {
        if (line.size() == 0) return;
        synchronized (target) {
            line.writeTo(target);
        }
        line.reset();
    }
}
