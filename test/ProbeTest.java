import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import lib.media.Fmp4FrameProbe;
import lib.media.MarkerProbe;

class ProbeTest {
    static byte[] box(String type, byte[] payload) {
        return ByteBuffer.allocate(8 + payload.length).putInt(8 + payload.length)
                .put(type.getBytes(StandardCharsets.ISO_8859_1)).put(payload).array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) all.writeBytes(part);
        return all.toByteArray();
    }

    static final byte[] INIT = concat(box("ftyp", new byte[8]), box("moov", box("mvhd", new byte[100])));
    static final byte[] FRAGMENT = concat(box("moof", box("mfhd", new byte[8])), box("mdat", new byte[] {0, 0, 0, 2, 9, 16}));

    static Fmp4FrameProbe feed(byte[] stream, int chunk) throws IOException {
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        Fmp4FrameProbe probe = new Fmp4FrameProbe(copy);
        for (int i = 0; i < stream.length; i += chunk) probe.write(stream, i, Math.min(chunk, stream.length - i));
        assertEquals(stream.length, copy.size(), "every byte is passed on to the copy");
        return probe;
    }

    @Test
    void initSegmentAloneIsNotAFrame() throws IOException {
        assertFalse(feed(INIT, INIT.length).frame().isDone());
    }

    @Test
    void mediaFragmentAfterInitIsAFrameInAnyChunking() throws IOException {
        byte[] stream = concat(INIT, FRAGMENT);
        for (int chunk : new int[] {1, 3, 7, 8, 64, stream.length}) {
            assertTrue(feed(stream, chunk).frame().isDone(), "chunk size " + chunk);
        }
    }

    @Test
    void partialMdatIsNotAFrameYet() throws IOException {
        byte[] stream = concat(INIT, FRAGMENT);
        assertFalse(feed(java.util.Arrays.copyOf(stream, stream.length - 1), 5).frame().isDone());
    }

    @Test
    void emptyMdatIsNotAFrame() throws IOException {
        assertFalse(feed(concat(INIT, box("moof", new byte[16]), box("mdat", new byte[0])), 4).frame().isDone());
    }

    @Test
    void mdatWithoutMoofIsNotAFrame() throws IOException {
        assertFalse(feed(concat(INIT, box("mdat", new byte[32])), 4).frame().isDone());
    }

    @Test
    void largeSizeBoxesAreFollowed() throws IOException {
        byte[] big = ByteBuffer.allocate(16 + 4).putInt(1).put("mdat".getBytes(StandardCharsets.ISO_8859_1))
                .putLong(20).put(new byte[] {1, 2, 3, 4}).array();
        assertTrue(feed(concat(INIT, box("moof", new byte[8]), big), 3).frame().isDone());
    }

    @Test
    void textIsNeverAFrame() throws IOException {
        byte[] text = "Error: connection refused\nmoof mdat moof mdat\n".repeat(50).getBytes(StandardCharsets.UTF_8);
        assertFalse(feed(text, 7).frame().isDone());
    }

    @Test
    void anImpossibleBoxSizeIsReportedAsMalformed() throws IOException {
        Fmp4FrameProbe probe = feed(concat(new byte[] {0, 0, 0, 3}, "moof".getBytes(StandardCharsets.ISO_8859_1), FRAGMENT), 2);
        assertFalse(probe.frame().isDone());
        assertEquals("not an fMP4 stream: box 'moof' declares size 3", probe.malformed());
    }

    @Test
    void markerLineIsAFrameButOtherOutputIsNot() throws IOException {
        MarkerProbe probe = new MarkerProbe(new ByteArrayOutputStream());
        probe.write("connecting\nreceived nothing yet? no: waiting\n".getBytes(StandardCharsets.UTF_8));
        assertFalse(probe.frame().isDone());
        probe.write("received 0 bytes from b.hang\n".getBytes(StandardCharsets.UTF_8));
        assertFalse(probe.frame().isDone(), "an empty frame is not a frame");
        probe.write("received 1234 bytes from b.hang\n".getBytes(StandardCharsets.UTF_8));
        assertEquals("received 1234 bytes from b.hang", probe.frame().join());
    }
}
