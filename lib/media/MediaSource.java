package lib.media;

//FILES clients/media/clip.h264=../../clients/media/clip.h264

import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import lib.core.Commands;
import lib.core.Proc;
import lib.core.Resources;

/**
 * The H.264 Annex-B stream that stdin-fed publishers read. CLIP streams the
 * committed two-second clip at 30 frames per second, looping, and needs no ffmpeg;
 * FFMPEG runs ffmpeg's live test source with the settings upstream uses.
 */
public enum MediaSource {
    CLIP, FFMPEG;

    static final String CLIP_RESOURCE = "clients/media/clip.h264";
    static final int FRAMES_PER_SECOND = 30;

    /** A running stream; closing it stops whatever produces it. */
    public interface Feed extends AutoCloseable {
        InputStream stream();

        @Override
        void close();
    }

    public Feed open(Path log) {
        return switch (this) {
            case CLIP -> {
                InputStream paced = new PacedStream(AnnexB.accessUnits(Resources.bytes(CLIP_RESOURCE)), FRAMES_PER_SECOND);
                yield new Feed() {
                    public InputStream stream() {
                        return paced;
                    }

                    public void close() {}
                };
            }
            case FFMPEG -> ffmpeg(log);
        };
    }

    /** Why this source can't run here, if it can't. */
    public java.util.Optional<String> unavailableReason() {
        if (this == FFMPEG && Commands.which("ffmpeg").isEmpty()) return java.util.Optional.of("ffmpeg not found on PATH");
        return java.util.Optional.empty();
    }

    private static Feed ffmpeg(Path log) {
        List<String> command = List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-re",
                "-f", "lavfi", "-i", "testsrc=size=320x240:rate=" + FRAMES_PER_SECOND,
                "-an", "-c:v", "libx264", "-profile:v", "baseline", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                "-x264-params", "keyint=30:min-keyint=30:scenecut=0:repeat-headers=1", "-f", "h264", "-");
        try {
            PipedInputStream stream = new PipedInputStream(1 << 20);
            PipedOutputStream sink = new PipedOutputStream(stream);
            Proc proc = Proc.start("ffmpeg", Proc.Spec.of(command), sink, log, null);
            return new Feed() {
                public InputStream stream() {
                    return stream;
                }

                public void close() {
                    proc.stop(Duration.ofSeconds(1));
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Hands out one access unit per frame interval, forever, starting over at the end. */
    static final class PacedStream extends InputStream {
        private final List<byte[]> units;
        private final long frameNanos;
        private final long startNanos = System.nanoTime();
        private long frameIndex = -1;
        private byte[] unit = new byte[0];
        private int offset;

        PacedStream(List<byte[]> units, int framesPerSecond) {
            if (units.isEmpty()) throw new IllegalArgumentException("no access units in the clip");
            this.units = units;
            this.frameNanos = 1_000_000_000L / framesPerSecond;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int off, int len) throws IOException {
            if (len == 0) return 0;
            if (offset == unit.length) nextUnit();
            int count = Math.min(len, unit.length - offset);
            System.arraycopy(unit, offset, buffer, off, count);
            offset += count;
            return count;
        }

        private void nextUnit() throws IOException {
            frameIndex++;
            long due = startNanos + frameIndex * frameNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("media stream interrupted");
                }
            }
            unit = units.get((int) (frameIndex % units.size()));
            offset = 0;
        }
    }
}
