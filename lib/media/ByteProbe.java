package lib.media;

import java.io.OutputStream;

/**
 * For a subscriber whose stdout carries the media buffers themselves (GStreamer's
 * moqsrc into a filesink): the first non-empty write is a frame's bytes, which is
 * upstream's bar for this client (at least one byte out of moqsrc). moqsrc pushes
 * one buffer per frame and nothing before the first, so there is no init segment
 * to mistake for media.
 */
public final class ByteProbe extends CopyingProbe {
    public ByteProbe(OutputStream copyTo) {
        super(copyTo);
    }

    public static FrameProbe.Factory factory() {
        return ByteProbe::new;
    }

    @Override
    protected void inspect(byte[] bytes, int offset, int length) {
        if (length > 0) frame.complete(length + " bytes of media on stdout");
    }

    @Override
    public synchronized Diagnosis diagnosis() {
        return frame.isDone() ? new Diagnosis(Diagnosis.Kind.FRAME, frame.join()) : Diagnosis.nothing("received nothing");
    }
}
