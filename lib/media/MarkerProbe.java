package lib.media;

import java.io.OutputStream;
import java.util.regex.Pattern;

/**
 * The contract of the language client programs in clients/: on the first non-empty
 * frame they print a line "received N bytes from B" with N > 0. The line, not the
 * exit code, is the evidence, because some native bindings crash during process
 * teardown after a successful read.
 */
public final class MarkerProbe extends CopyingProbe {
    private static final Pattern MARKER = Pattern.compile("received [1-9][0-9]* bytes\\b.*");
    private final StringBuilder line = new StringBuilder();
    private int lines;

    public MarkerProbe(OutputStream copyTo) {
        super(copyTo);
    }

    public static FrameProbe.Factory factory() {
        return MarkerProbe::new;
    }

    @Override
    protected void inspect(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length && !frame.isDone(); i++) {
            // A carriage return ends a line too: progress a client redraws in place
            // ("connecting... 100%\r") is not part of the marker that follows it.
            if (bytes[i] == '\n' || bytes[i] == '\r') {
                String text = line.toString().strip();
                if (MARKER.matcher(text).matches()) frame.complete(text);
                if (line.length() > 0) lines++;
                line.setLength(0);
            } else if (line.length() < 4096) {
                line.append((char) (bytes[i] & 0xff));
            }
        }
    }

    @Override
    public synchronized Diagnosis diagnosis() {
        if (frame.isDone()) return new Diagnosis(Diagnosis.Kind.FRAME, frame.join());
        if (total == 0) return Diagnosis.nothing("the client printed nothing");
        return Diagnosis.nothing("no \"received N bytes\" line in " + lines + " lines of output");
    }
}
