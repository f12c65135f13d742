package lib.core;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * Passes on to its target only whole lines, each with its newline and in one write, so
 * that a process's stdout and stderr writing into one sink (a log, a probe that reads
 * lines) interleave between lines, never inside one. A child writes a line in several
 * pieces when it is long (Rust's line-buffered stdout writes 1 KiB at a time) or its
 * stream is unbuffered, and a piece of the other stream could land in between: cargo's
 * last JSON message, cut by its "Finished" line, once lost the artifact it named.
 * A line longer than 64 KiB goes on in pieces of that size; should the other stream
 * write a line while one is cut, a newline goes first, so that line starts a line of
 * its own (a client's "received N bytes" after a long stderr line without one is still
 * a line of its own to the probe). What is left without a newline goes on at close,
 * with one. The target is closed when both streams are, and what a stream is given
 * after it was closed (a descendant that outlived the child) is dropped: the target
 * is closed, and failing it would be no fault of the artifact.
 */
public final class WholeLines extends OutputStream {
    static final int LONGEST = 64 * 1024;

    private final OutputStream target;
    private final Sharing sharing;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private boolean closed;

    /** What the streams into one target know of each other, guarded by target's lock. */
    private static final class Sharing {
        int open;
        WholeLines cut;

        Sharing(int open) {
            this.open = open;
        }
    }

    private WholeLines(OutputStream target, Sharing sharing) {
        this.target = target;
        this.sharing = sharing;
    }

    /**
     * Two streams into target, for a process's stdout and stderr: lines of each stay whole,
     * and target is closed once both are. Writes to target are made while holding target's
     * own lock, as every writer into it must.
     */
    public static List<WholeLines> pair(OutputStream target) {
        Sharing sharing = new Sharing(2);
        return List.of(new WholeLines(target, sharing), new WholeLines(target, sharing));
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
        if (closed) return;
        int start = offset;
        for (int i = offset; i < offset + length; i++) {
            boolean end = bytes[i] == '\n';
            if (end || line.size() + i - start + 1 >= LONGEST) {
                line.write(bytes, start, i - start + 1);
                pass(end);
                start = i + 1;
            }
        }
        line.write(bytes, start, offset + length - start);
    }

    @Override
    public synchronized void flush() throws IOException {
        if (!closed) target.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) return;
        closed = true;
        synchronized (target) {
            try {
                if (line.size() > 0 || sharing.cut == this) line.write('\n');
                pass(true);
            } finally {
                if (--sharing.open == 0) target.close();
            }
        }
    }

    /** Passes the line on; whole: it ends with its newline, rather than being cut at LONGEST. */
    private void pass(boolean whole) throws IOException {
        if (line.size() == 0) return;
        synchronized (target) {
            if (sharing.cut != null && sharing.cut != this) target.write('\n');
            line.writeTo(target);
            sharing.cut = whole ? null : this;
        }
        line.reset();
    }
}
