package lib.media;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Reads a fragmented-MP4 byte stream box by box and reports a frame once a media
 * fragment has fully arrived: a moof followed by an mdat with a non-empty payload.
 * An init segment (ftyp + moov) alone is not a frame: moq can emit it from the
 * catalog before any media flows. The fragment must be of a video track (the
 * moov's hdlr says which tracks are video; the moof's tfhd which track a fragment
 * is): a browser publisher's audio can arrive first, and audio alone must not
 * pass an H.264 cell. A stream that does not start with, or stops
 * being, a sequence of known top-level boxes is not fMP4 (a CLI that logs to
 * stdout, say): the diagnosis says so and quotes the first bytes.
 */
public final class Fmp4FrameProbe extends CopyingProbe {
    /** Top-level boxes of a fragmented MP4 stream (ISO/IEC 14496-12); anything else means the stream is not fMP4. */
    private static final Set<String> TOP_LEVEL = Set.of("ftyp", "styp", "moov", "moof", "mdat", "sidx", "ssix", "free", "skip",
            "emsg", "prft", "uuid", "mfra", "meta", "pdin");
    /** No fragment of a smoke clip comes near this; a larger declared size is text read as a header. */
    private static final long MAX_BOX = 1L << 30;
    /** moov and moof bodies up to this size are kept to read their track ids, in bytes. */
    private static final long MAX_HEADER_BOX = 1 << 20;
    private final byte[] header = new byte[16];
    private boolean initSeen;
    private java.io.ByteArrayOutputStream body;
    private final java.util.Set<Long> videoTracks = new java.util.HashSet<>();
    private boolean tracksKnown;
    private java.util.List<Long> fragmentTracks = java.util.List.of();
    private boolean videoFragment;
    private int otherFragments;
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
        if (otherFragments > 0 && !videoFragment) {
            return new Diagnosis(Diagnosis.Kind.INIT_ONLY, total + " bytes: " + otherFragments + " fragments, none of a video track");
        }
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
                if (body != null) body.write(bytes, pos, (int) take);
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
        // The init segment and fragment headers are small and say which tracks are video.
        body = (type.equals("moov") || type.equals("moof")) && size != 0 && size <= MAX_HEADER_BOX ? new java.io.ByteArrayOutputStream() : null;
        toEndOfStream = size == 0;
        bodySize = toEndOfStream ? -1 : size - wanted;
        bodyRemaining = bodySize;
        headerFilled = 0;
        if (!toEndOfStream && bodyRemaining == 0) finishBox();
        return pos;
    }

    private void finishBox() {
        byte[] content = body == null ? new byte[0] : body.toByteArray();
        body = null;
        if (boxType.equals("moov")) {
            initSeen = true;
            videoTracks.addAll(videoTracks(content));
            tracksKnown = !trackHandlers(content).isEmpty();
        } else if (boxType.equals("moof")) {
            moofSeen = true;
            fragmentTracks = fragmentTracks(content);
            if (!tracksKnown || fragmentTracks.stream().anyMatch(videoTracks::contains)) videoFragment = true;
            else otherFragments++;
        } else if (isMediaData() && bodySize > 0) {
            frame.complete("moof + mdat (" + bodySize + " payload bytes" + (tracksKnown ? ", video track " + fragmentTracks : "") + ")");
        }
        boxType = null;
    }

    /** An mdat after a moof that carries video (or any moof when the init segment named no tracks). */
    private boolean isMediaData() {
        return boxType.equals("mdat") && moofSeen && videoFragment;
    }

    /** track_ID → handler_type ("vide", "soun") of every trak in a moov body. */
    static java.util.Map<Long, String> trackHandlers(byte[] moov) {
        java.util.Map<Long, String> handlers = new java.util.LinkedHashMap<>();
        forEachBox(moov, 0, moov.length, (type, from, to) -> {
            if (!type.equals("trak")) return;
            long[] id = {-1};
            String[] handler = {""};
            forEachBox(moov, from, to, (inner, a, b) -> {
                if (inner.equals("tkhd") && b - a >= 24) id[0] = uint32(moov, a + ((moov[a] & 0xff) == 1 ? 20 : 12));
                if (inner.equals("mdia")) {
                    forEachBox(moov, a, b, (leaf, c, d) -> {
                        if (leaf.equals("hdlr") && d - c >= 12) handler[0] = new String(moov, c + 8, 4, StandardCharsets.ISO_8859_1);
                    });
                }
            });
            if (id[0] >= 0) handlers.put(id[0], handler[0]);
        });
        return handlers;
    }

    static java.util.Set<Long> videoTracks(byte[] moov) {
        java.util.Set<Long> video = new java.util.HashSet<>();
        trackHandlers(moov).forEach((id, handler) -> { if (handler.equals("vide")) video.add(id); });
        return video;
    }

    /** The track_IDs a moof's trafs carry (from each tfhd). */
    static java.util.List<Long> fragmentTracks(byte[] moof) {
        java.util.List<Long> tracks = new java.util.ArrayList<>();
        forEachBox(moof, 0, moof.length, (type, from, to) -> {
            if (!type.equals("traf")) return;
            forEachBox(moof, from, to, (inner, a, b) -> {
                if (inner.equals("tfhd") && b - a >= 8) tracks.add(uint32(moof, a + 4));
            });
        });
        return tracks;
    }

    private interface BoxVisitor {
        void visit(String type, int bodyFrom, int bodyTo);
    }

    /** Calls visitor for each box in data[from, to), with its body's range; stops at anything malformed. */
    private static void forEachBox(byte[] data, int from, int to, BoxVisitor visitor) {
        int pos = from;
        while (pos + 8 <= to) {
            long size = uint32(data, pos);
            int header = 8;
            if (size == 1 && pos + 16 <= to) {
                size = (uint32(data, pos + 8) << 32) | uint32(data, pos + 12);
                header = 16;
            }
            if (size < header || pos + size > to) return;
            visitor.visit(new String(data, pos + 4, 4, StandardCharsets.ISO_8859_1), pos + header, (int) (pos + size));
            pos += (int) size;
        }
    }

    private static long uint32(byte[] data, int at) {
        return ((data[at] & 0xffL) << 24) | ((data[at + 1] & 0xffL) << 16) | ((data[at + 2] & 0xffL) << 8) | (data[at + 3] & 0xffL);
    }

    private long readUint32(int at) {
        return ((header[at] & 0xffL) << 24) | ((header[at + 1] & 0xffL) << 16)
                | ((header[at + 2] & 0xffL) << 8) | (header[at + 3] & 0xffL);
    }

    private static String printable(String type) {
        return type.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
