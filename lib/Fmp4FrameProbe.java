package lib;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads a fragmented-MP4 byte stream box by box and reports a frame once a media
 * fragment has fully arrived: a moof followed by an mdat with a non-empty payload.
 * An init segment (ftyp + moov) alone is not a frame: moq can emit it from the
 * catalog before any media flows.
 */
public final class Fmp4FrameProbe extends CopyingProbe {
    private final byte[] header = new byte[16];
    private int headerFilled;
    private String boxType;
    private long bodyRemaining;
    private long bodySize;
    private boolean toEndOfStream;
    private boolean moofSeen;
    private String malformed;

    public Fmp4FrameProbe(OutputStream copyTo) {
        super(copyTo);
    }

    public static FrameProbe.Factory factory() {
        return Fmp4FrameProbe::new;
    }

    /** Why the stream stopped being parseable, or null. */
    public String malformed() {
        return malformed;
    }

    @Override
    protected void inspect(byte[] bytes, int offset, int length) {
        int pos = offset;
        int end = offset + length;
        while (pos < end && malformed == null && !frame.isDone()) {
            if (boxType == null) {
                pos = readHeader(bytes, pos, end);
            } else {
                long take = toEndOfStream ? end - pos : Math.min(bodyRemaining, end - pos);
                pos += (int) take;
                bodyRemaining -= take;
                if (toEndOfStream && take > 0 && isMediaData()) {
                    frame.complete("moof + mdat (" + take + "+ payload bytes, box runs to end of stream)");
                } else if (!toEndOfStream && bodyRemaining == 0) {
                    finishBox();
                }
            }
        }
    }

    private int readHeader(byte[] bytes, int pos, int end) {
        int wanted = headerFilled >= 8 && readUint32(0) == 1 ? 16 : 8;
        while (pos < end && headerFilled < wanted) {
            header[headerFilled++] = bytes[pos++];
            if (headerFilled == 8 && readUint32(0) == 1) wanted = 16;
        }
        if (headerFilled < wanted) return pos;
        String type = new String(header, 4, 4, StandardCharsets.ISO_8859_1);
        long size = readUint32(0);
        if (wanted == 16) size = (readUint32(8) << 32) | readUint32(12);
        if (size != 0 && size < wanted) {
            malformed = "not an fMP4 stream: box '" + printable(type) + "' declares size " + size;
            return end;
        }
        boxType = type;
        toEndOfStream = size == 0;
        bodySize = toEndOfStream ? -1 : size - wanted;
        bodyRemaining = bodySize;
        headerFilled = 0;
        if (!toEndOfStream && bodyRemaining == 0) finishBox();
        return pos;
    }

    private void finishBox() {
        if (boxType.equals("moof")) {
            moofSeen = true;
        } else if (isMediaData() && bodySize > 0) {
            frame.complete("moof + mdat (" + bodySize + " payload bytes)");
        }
        boxType = null;
    }

    private boolean isMediaData() {
        return boxType.equals("mdat") && moofSeen;
    }

    private long readUint32(int at) {
        return ((header[at] & 0xffL) << 24) | ((header[at + 1] & 0xffL) << 16)
                | ((header[at + 2] & 0xffL) << 8) | (header[at + 3] & 0xffL);
    }

    private static String printable(String type) {
        return type.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
