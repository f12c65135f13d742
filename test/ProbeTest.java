import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import lib.media.Diagnosis;
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
        Fmp4FrameProbe probe = feed(text, 7);
        assertFalse(probe.frame().isDone());
        assertEquals(Diagnosis.Kind.NOT_THE_FORMAT, probe.diagnosis().kind());
        assertTrue(probe.diagnosis().describe().contains("stream starts \"Error: connection refused\\nmoof"), probe.diagnosis().describe());
    }

    /** A CLI that logs (in colour) to stdout before its fragments: not the fMP4 it promised, and the reason quotes it. */
    @Test
    void colouredLogLinesBeforeTheFragmentsAreDiagnosedNotTimedOut() throws IOException {
        byte[] log = "\u001b[2m2026-11-29T10:00:00Z\u001b[0m \u001b[32m INFO\u001b[0m moq: connected\n".getBytes(StandardCharsets.UTF_8);
        Fmp4FrameProbe probe = feed(concat(log, FRAGMENT), 5);
        assertFalse(probe.frame().isDone());
        assertEquals(Diagnosis.Kind.NOT_THE_FORMAT, probe.diagnosis().kind());
        assertTrue(probe.diagnosis().describe().contains("\\x1b[2m2026-11-29"), probe.diagnosis().describe());
    }

    @Test
    void everyProbeSaysWhatItSaw() throws IOException {
        assertEquals(Diagnosis.Kind.NOTHING, feed(new byte[0], 1).diagnosis().kind());
        Fmp4FrameProbe initOnly = feed(INIT, 3);
        assertEquals(Diagnosis.Kind.INIT_ONLY, initOnly.diagnosis().kind(), initOnly.diagnosis().describe());
        assertEquals(Diagnosis.Kind.FRAME, feed(concat(INIT, FRAGMENT), 3).diagnosis().kind());
        MarkerProbe quiet = new MarkerProbe(new ByteArrayOutputStream());
        assertEquals(Diagnosis.Kind.NOTHING, quiet.diagnosis().kind());
    }

    /** The copy to the artifact fails (a full disk) but the frame is still seen, and the failure is kept for the harness. */
    @Test
    void aFailingCopyNeverHidesTheFrame() {
        java.io.OutputStream full = new java.io.OutputStream() {
            public void write(int b) throws IOException {
                throw new IOException("No space left on device");
            }

            public void write(byte[] b, int off, int len) throws IOException {
                throw new IOException("No space left on device");
            }
        };
        Fmp4FrameProbe probe = new Fmp4FrameProbe(full);
        probe.write(concat(INIT, FRAGMENT), 0, concat(INIT, FRAGMENT).length);
        assertTrue(probe.frame().isDone());
        assertTrue(probe.copyFailure().isPresent());
    }

    /**
     * A descendant that outlives the subscriber and writes once its streams were closed
     * (zt-exec gives up waiting for them after 5 s) is no artifact failure: the log and
     * data file are complete, not failing. It was ClosedChannelException, a harness failure.
     * The descendant ignores SIGPIPE so that it lives to mark its writes done whether or not
     * the pipe's reading end is still open by then.
     */
    @Test
    void whatADescendantWritesAfterTheStreamsWereClosedIsNoArtifactFailure(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path done = dir.resolve("done");
        lib.media.Launch launch = lib.media.Launch.subscriber(lib.core.Proc.Spec.of(java.util.List.of("sh", "-c",
                "printf abc; (trap '' PIPE; sleep 6; echo late >&2; echo late; touch " + done + ") & exit 1")),
                lib.media.ByteProbe.factory(), true, lib.media.Transport.Reader.DECLARED_LINE);
        lib.media.ProcessSide side = lib.media.ProcessSide.start("late", launch, dir.resolve("late.log"), dir.resolve("late.out"), null);
        try {
            assertEquals(1, side.exit().get(20, java.util.concurrent.TimeUnit.SECONDS));
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> java.nio.file.Files.exists(done));
            assertEquals(java.util.Optional.empty(), side.artifactFailure());
            assertEquals("abc", java.nio.file.Files.readString(dir.resolve("late.out")));
        } finally {
            side.stopAtOnce();
        }
    }

    @Test
    void anImpossibleBoxSizeIsReportedAsMalformed() throws IOException {
        Fmp4FrameProbe probe = feed(concat(new byte[] {0, 0, 0, 3}, "moof".getBytes(StandardCharsets.ISO_8859_1), FRAGMENT), 2);
        assertFalse(probe.frame().isDone());
        assertEquals(Diagnosis.Kind.NOT_THE_FORMAT, probe.diagnosis().kind());
        assertTrue(probe.diagnosis().describe().startsWith("not an fMP4 stream: box 'moof' declares size 3"), probe.diagnosis().describe());
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

    @Test
    void aMarkerAfterProgressRedrawnInPlaceIsAFrame() throws IOException {
        MarkerProbe probe = new MarkerProbe(new ByteArrayOutputStream());
        probe.write("connecting 10%\rconnecting 100%\rreceived 1234 bytes from b.hang\r\n".getBytes(StandardCharsets.UTF_8));
        assertEquals("received 1234 bytes from b.hang", probe.frame().join());
    }

    static byte[] trak(int id, String handler) {
        byte[] tkhd = new byte[84];
        ByteBuffer.wrap(tkhd).putInt(12, id);
        byte[] hdlr = new byte[24];
        System.arraycopy(handler.getBytes(StandardCharsets.ISO_8859_1), 0, hdlr, 8, 4);
        return box("trak", concat(box("tkhd", tkhd), box("mdia", box("hdlr", hdlr))));
    }

    static byte[] fragment(int track, int payload) {
        byte[] tfhd = new byte[8];
        ByteBuffer.wrap(tfhd).putInt(4, track);
        return concat(box("moof", concat(box("mfhd", new byte[8]), box("traf", box("tfhd", tfhd)))), box("mdat", new byte[payload]));
    }

    /** A browser publisher's audio can come first: an audio fragment is not the H.264 frame the cell asks for. */
    @Test
    void onlyAVideoTracksFragmentIsAFrame() throws IOException {
        byte[] init = concat(box("ftyp", new byte[8]), box("moov", concat(box("mvhd", new byte[100]), trak(1, "vide"), trak(2, "soun"))));
        Fmp4FrameProbe audioOnly = feed(concat(init, fragment(2, 82), fragment(2, 90)), 7);
        assertFalse(audioOnly.frame().isDone());
        assertTrue(audioOnly.diagnosis().describe().contains("2 fragments, none of a video track"), audioOnly.diagnosis().describe());
        Fmp4FrameProbe video = feed(concat(init, fragment(2, 82), fragment(1, 4000)), 7);
        assertTrue(video.frame().isDone());
        assertEquals("moof + mdat (4000 payload bytes, video track [1])", video.frame().join());
    }
}
