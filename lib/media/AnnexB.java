package lib.media;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a raw H.264 Annex-B stream into access units (one per frame), so the
 * clip can be streamed at its frame rate. An access unit begins at the first
 * non-VCL unit (AUD, SPS, PPS, SEI) or first slice (first_mb_in_slice = 0) that
 * follows a slice of the previous frame (ITU-T H.264 7.4.1.2.3).
 */
public final class AnnexB {
    private AnnexB() {}

    public static List<byte[]> accessUnits(byte[] stream) {
        List<byte[]> units = new ArrayList<>();
        ByteArrayOutputStream current = new ByteArrayOutputStream();
        boolean currentHasSlice = false;
        List<int[]> nals = nalUnits(stream);
        for (int[] nal : nals) {
            int start = nal[0];
            int payload = nal[1];
            int end = nal[2];
            int type = stream[payload] & 0x1f;
            boolean slice = type >= 1 && type <= 5;
            boolean startsFrame = slice ? firstMbIsZero(stream, payload, end) : (type == 6 || type == 7 || type == 8 || type == 9 || (type >= 14 && type <= 18));
            if (startsFrame && currentHasSlice) {
                units.add(current.toByteArray());
                current.reset();
                currentHasSlice = false;
            }
            current.write(stream, start, end - start);
            currentHasSlice |= slice;
        }
        if (current.size() > 0) units.add(current.toByteArray());
        return units;
    }

    /** Each NAL unit as {start of its start code, first byte after it, end}. */
    static List<int[]> nalUnits(byte[] s) {
        List<int[]> starts = new ArrayList<>();
        for (int i = 0; i + 2 < s.length; i++) {
            if (s[i] == 0 && s[i + 1] == 0 && s[i + 2] == 1) {
                int codeStart = i > 0 && s[i - 1] == 0 ? i - 1 : i;
                starts.add(new int[] {codeStart, i + 3});
                i += 2;
            }
        }
        List<int[]> nals = new ArrayList<>();
        for (int k = 0; k < starts.size(); k++) {
            int end = k + 1 < starts.size() ? starts.get(k + 1)[0] : s.length;
            if (starts.get(k)[1] < end) nals.add(new int[] {starts.get(k)[0], starts.get(k)[1], end});
        }
        return nals;
    }

    /** first_mb_in_slice is ue(v) right after the one-byte header; ue(v) = 0 is the single bit 1. */
    private static boolean firstMbIsZero(byte[] s, int payload, int end) {
        return payload + 1 < end && (s[payload + 1] & 0x80) != 0;
    }
}
