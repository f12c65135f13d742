import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.List;

import org.junit.jupiter.api.Test;

import lib.core.Resources;
import lib.media.AnnexB;
import lib.media.MediaSource;

class MediaSourceTest {
    static final byte[] CLIP = Resources.bytes("clients/media/clip.h264");

    static int firstNalType(byte[] unit) {
        int i = unit[2] == 1 ? 3 : 4;
        return unit[i] & 0x1f;
    }

    @Test
    void clipSplitsIntoOneAccessUnitPerFrame() {
        List<byte[]> units = AnnexB.accessUnits(CLIP);
        assertEquals(60, units.size(), "two seconds at 30 fps");
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        units.forEach(joined::writeBytes);
        assertArrayEquals(CLIP, joined.toByteArray(), "splitting loses and reorders nothing");
    }

    @Test
    void everyKeyframeCarriesItsParameterSets() {
        List<byte[]> units = AnnexB.accessUnits(CLIP);
        assertEquals(7, firstNalType(units.get(0)), "SPS opens the first frame");
        assertEquals(7, firstNalType(units.get(30)), "SPS repeated at the second keyframe");
        assertEquals(1, firstNalType(units.get(1)), "then plain slices");
    }

    @Test
    void eachGopHasItsClipWithKeyframesThatFarApart() {
        assertEquals(List.of(0, 30), keyframes(CLIP), "the default clip: one keyframe a second, as upstream");
        assertEquals(MediaSource.Gop.ONE_SECOND, MediaSource.Gop.DEFAULT);
        byte[] short_ = Resources.bytes("clients/media/clip-gop200ms.h264");
        assertEquals(60, AnnexB.accessUnits(short_).size(), "two seconds at 30 fps too");
        assertEquals(List.of(0, 6, 12, 18, 24, 30, 36, 42, 48, 54), keyframes(short_), "one keyframe every 200 ms");
        for (MediaSource.Gop gop : MediaSource.Gop.values()) {
            assertEquals(gop, new MediaSource.Gop.Converter().convert(gop.id()));
        }
    }

    /** Indexes of the access units that open with an SPS (which the clips repeat before every IDR). */
    private static List<Integer> keyframes(byte[] clip) {
        List<byte[]> units = AnnexB.accessUnits(clip);
        return java.util.stream.IntStream.range(0, units.size()).filter(i -> firstNalType(units.get(i)) == 7).boxed().toList();
    }

    /**
     * A stalled reader must not get the units it missed in a burst: moq's importer stamps
     * frames as they arrive and its fMP4 export fails on two frames less than a tick apart.
     * Each read returns at most one access unit; a burst would hand them out microseconds
     * apart, paced ones are at least half a frame interval (16 ms) apart.
     */
    @Test
    void aReaderThatStalledGetsNoBurst() throws Exception {
        try (MediaSource.Feed feed = MediaSource.CLIP.open(null)) {
            InputStream stream = feed.stream();
            byte[] buffer = new byte[1 << 20];
            stream.read(buffer);
            Thread.sleep(300);
            long previous = System.nanoTime();
            for (int unit = 0; unit < 5; unit++) {
                stream.read(buffer);
                long now = System.nanoTime();
                if (unit > 0) assertTrue(now - previous > 1_000_000, "unit " + unit + " came " + (now - previous) / 1000 + " µs after the one before");
                previous = now;
            }
        }
    }

    @Test
    void clipIsStreamedAtItsFrameRateAndLoops() throws Exception {
        try (MediaSource.Feed feed = MediaSource.CLIP.open(null)) {
            InputStream stream = feed.stream();
            long start = System.nanoTime();
            byte[] buffer = new byte[65536];
            long total = 0;
            while (total < CLIP.length + 1) total += stream.read(buffer);
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(seconds >= 1.9, "61 frames need two seconds of real time, took " + seconds);
            assertTrue(total > CLIP.length, "the clip loops");
        }
    }
}
