package lib.media;

//FILES clients/media/clip.h264=../../clients/media/clip.h264
//FILES clients/media/clip-gop200ms.h264=../../clients/media/clip-gop200ms.h264

import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import lib.core.Commands;
import lib.core.Proc;
import lib.core.Resources;

/**
 * The H.264 Annex-B stream that stdin-fed publishers read, at a keyframe interval.
 * CLIP streams a committed two-second clip at 30 frames per second, looping, and
 * needs no ffmpeg; FFMPEG runs ffmpeg's live test source with the settings upstream
 * uses. Both come at one keyframe a second, as upstream's, unless a shorter GOP is
 * asked for (clients/media/make-clip.sh makes the clips).
 */
public record MediaSource(Kind kind, Gop gop) {
    static final int FRAMES_PER_SECOND = 30;
    public static final MediaSource CLIP = new MediaSource(Kind.CLIP, Gop.DEFAULT);
    public static final MediaSource FFMPEG = new MediaSource(Kind.FFMPEG, Gop.DEFAULT);

    public enum Kind {
        CLIP, FFMPEG;

        /** Why this source can't run here, if it can't. */
        public java.util.Optional<String> unavailableReason() {
            if (this == FFMPEG && Commands.which("ffmpeg").isEmpty()) return java.util.Optional.of("ffmpeg not found on PATH");
            return java.util.Optional.empty();
        }
    }

    /**
     * The keyframe interval: how long a group of pictures lasts. A subscriber that
     * writes a whole group before its first frame shows (moq's fMP4 export emits a
     * fragment per group) waits about that long for it.
     */
    public enum Gop {
        ONE_SECOND("1s", 30, "clients/media/clip.h264"),
        TWO_HUNDRED_MS("200ms", 6, "clients/media/clip-gop200ms.h264");

        /** Upstream's: one keyframe a second. */
        public static final Gop DEFAULT = ONE_SECOND;

        private final String id;
        /** Frames from one keyframe to the next. */
        final int frames;
        final String clip;

        Gop(String id, int frames, String clip) {
            this.id = id;
            this.frames = frames;
            this.clip = clip;
        }

        public String id() {
            return id;
        }

        @Override
        public String toString() {
            return id;
        }

        /** Reads --gop: one of the ids; anything else is bad input (exit 2). */
        public static final class Converter implements ITypeConverter<Gop> {
            @Override
            public Gop convert(String value) {
                return Arrays.stream(values()).filter(g -> g.id.equals(value)).findFirst()
                        .orElseThrow(() -> new TypeConversionException("'" + value + "' is not a keyframe interval this harness has a clip for; valid: "
                                + Arrays.stream(values()).map(Gop::id).collect(Collectors.joining(", "))));
            }
        }
    }

    /** A running stream; closing it stops whatever produces it. */
    public interface Feed extends AutoCloseable {
        InputStream stream();

        @Override
        void close();
    }

    public Feed open(Path log) {
        return switch (kind) {
            case CLIP -> {
                InputStream paced = new PacedStream(AnnexB.accessUnits(Resources.bytes(gop.clip)), FRAMES_PER_SECOND);
                yield new Feed() {
                    public InputStream stream() {
                        return paced;
                    }

                    public void close() {}
                };
            }
            case FFMPEG -> ffmpeg(log, gop);
        };
    }

    private static Feed ffmpeg(Path log, Gop gop) {
        List<String> command = List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-re",
                "-f", "lavfi", "-i", "testsrc=size=320x240:rate=" + FRAMES_PER_SECOND,
                "-an", "-c:v", "libx264", "-profile:v", "baseline", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                "-x264-params", "keyint=" + gop.frames + ":min-keyint=" + gop.frames + ":scenecut=0:repeat-headers=1", "-f", "h264", "-");
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
        /** When the unit at scheduledIndex is due; later units follow a frame interval apart. */
        private long scheduledNanos = System.nanoTime();
        private long scheduledIndex;
        /** When the last unit was handed out. */
        private long handedOutNanos;
        private long frameIndex = -1;
        private byte[] unit = new byte[0];
        private int offset;

        PacedStream(List<byte[]> units, int framesPerSecond) {
            if (units.isEmpty()) throw new IllegalArgumentException("no access units in the clip");
            this.units = units;
            this.frameNanos = 1_000_000_000L / framesPerSecond;
            this.handedOutNanos = scheduledNanos - frameNanos;
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

        /**
         * Units are due a frame interval apart, but never less than half an interval after the
         * one before: a reader that stalled (a busy machine, a full pipe) gets the rest of the
         * clip from then on at the frame rate, not the missed units in a burst. The moq
         * importer stamps frames as they arrive, and moq's fMP4 export fails on two frames
         * less than one 90 kHz tick apart ("sample duration is shorter than one tick").
         */
        private void nextUnit() throws IOException {
            frameIndex++;
            long now = System.nanoTime();
            long due = scheduledNanos + (frameIndex - scheduledIndex) * frameNanos;
            long earliest = handedOutNanos + frameNanos / 2;
            if (due < earliest) {
                scheduledNanos = earliest;
                scheduledIndex = frameIndex;
                due = earliest;
            }
            long wait = due - now;
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("media stream interrupted");
                }
            }
            handedOutNanos = System.nanoTime();
            unit = units.get((int) (frameIndex % units.size()));
            offset = 0;
        }
    }
}
