package lib.media;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Reads a fragmented-MP4 byte stream box by box and reports a frame once a media
 * fragment has fully arrived: a moof followed by an mdat with a non-empty payload.
 * An init segment (ftyp + moov) alone is not a frame: moq can emit it from the
 * catalog before any media flows. A stream that does not start with, or stops
 * being, a sequence of known top-level boxes is not fMP4 (a CLI that logs to
 * stdout, say): the diagnosis says so and quotes the first bytes.
 */
public final class Fmp4FrameProbe extends CopyingProbe {
    /** Top-level boxes of a fragmented MP4 stream (ISO/IEC 14496-12); anything else means the stream is not fMP4. */
    private static final Set<String> TOP_LEVEL = Set.of("ftyp", "styp", "moov", "moof", "mdat", "sidx", "ssix", "free", "skip",
            "emsg", "prft", "uuid", "mfra", "meta", "pdin");
    /** No fragment of a smoke clip comes near this; a larger declared size is text read as a header. */
    private static final long MAX_BOX = 1L << 30;
    private final byte[] header = new byte[16];
    private boolean initSeen;
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

    @Override
    public synchronized Diagnosis diagnosis() {
        if (frame.isDone()) return new Diagnosis(Diagnosis.Kind.FRAME, frame.join());
        if (malformed != null) return new Diagnosis(Diagnosis.Kind.NOT_THE_FORMAT, malformed + "; stream starts \"" + headText() + "\"");
        if (total == 0) return Diagnosis.nothing("received nothing");
        if (initSeen || moofSeen) return new Diagnosis(Diagnosis.Kind.INIT_ONLY, total + " bytes" + (moofSeen ? ", a moof but no mdat payload" : ""));
        return Diagnosis.nothing(total + " bytes, no complete box");
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
        if (!TOP_LEVEL.contains(type) || (size != 0 && size < wanted) || size > MAX_BOX) {
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
        if (boxType.equals("moov")) {
            initSeen = true;
        } else if (boxType.equals("moof")) {
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
