package lib.media;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import lib.core.Proc;
import lib.core.RuntimeErrors;

/**
 * A side that is a child process. Its text output goes to its own log and, up to
 * TEXT_LIMIT bytes, to memory, where the transport it used and its first error are
 * read; a subscriber's output also passes through its frame probe. Every write to
 * an artifact may fail (a full disk) without changing what the probe sees.
 */
public final class ProcessSide implements Side {
    /** Text kept in memory per side for transport and error lines; the log has it all. */
    static final int TEXT_LIMIT = 256 * 1024;
    private static final Duration STOP_GRACE = Duration.ofSeconds(1);

    private final String label;
    private final Proc proc;
    private final FrameProbe probe;
    private final Capture text;
    private final Transport.Reader reader;
    private final List<Path> logs;
    private final boolean exitsAfterFrame;

    private ProcessSide(String label, Proc proc, FrameProbe probe, Capture text, Transport.Reader reader, List<Path> logs, boolean exitsAfterFrame) {
        this.label = label;
        this.proc = proc;
        this.probe = probe;
        this.text = text;
        this.reader = reader;
        this.logs = List.copyOf(logs);
        this.exitsAfterFrame = exitsAfterFrame;
    }

    /**
     * Starts launch with its log at log and, for a media stdout, its data at data
     * (null: dropped). Throws UncheckedIOException if it cannot start or the log
     * cannot be opened.
     */
    public static ProcessSide start(String label, Launch launch, Path log, Path data, InputStream stdin) {
        Capture text = new Capture(open(log));
        List<Path> logs = new ArrayList<>(List.of(log));
        FrameProbe probe = null;
        Proc proc;
        if (launch.probe() == null) {
            proc = Proc.start(label, launch.spec(), text, text, stdin);
        } else if (launch.stdoutIsData()) {
            probe = launch.probe().create(data == null ? OutputStream.nullOutputStream() : open(data));
            if (data != null) logs.add(data);
            proc = Proc.start(label, launch.spec(), probe.sink(), text, stdin);
        } else {
            FrameProbe textProbe = launch.probe().create(text);
            probe = textProbe;
            proc = Proc.start(label, launch.spec(), textProbe.sink(), textProbe.sink(), stdin);
        }
        return new ProcessSide(label, proc, probe, text, launch.transport(), logs, probe != null && !launch.stdoutIsData());
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public CompletableFuture<String> frame() {
        return probe == null ? new CompletableFuture<>() : probe.frame();
    }

    @Override
    public CompletableFuture<Integer> exit() {
        return proc.onExit();
    }

    @Override
    public CompletableFuture<Integer> ended() {
        return proc.onChildExit();
    }

    @Override
    public Diagnosis diagnosis() {
        return probe == null ? Diagnosis.nothing("not a subscriber") : probe.diagnosis();
    }

    @Override
    public Optional<Transport> transport() {
        return reader.used(text.text());
    }

    @Override
    public Optional<String> quicError() {
        return reader.quicError(text.text());
    }

    @Override
    public Optional<String> firstError() {
        return RuntimeErrors.first(text.text());
    }

    @Override
    public Optional<IOException> artifactFailure() {
        return text.failure().or(() -> probe == null ? Optional.empty() : probe.copyFailure());
    }

    @Override
    public boolean exitsAfterFrame() {
        return exitsAfterFrame;
    }

    @Override
    public List<Path> logs() {
        return logs;
    }

    /** A subscriber has its verdict and is stopped at once; a publisher gets a moment to close its session. */
    @Override
    public void stop() {
        proc.stop(probe == null ? STOP_GRACE : Duration.ZERO);
    }

    @Override
    public void stopAtOnce() {
        proc.stop(Duration.ZERO);
    }

    private static OutputStream open(Path file) {
        try {
            Files.createDirectories(file.getParent());
            return Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Copies text to the log and keeps its first TEXT_LIMIT bytes; a failed log write is kept, not thrown.
     * Once closed, what a descendant that outlived the side still writes is dropped, as by CopyingProbe.
     */
    static final class Capture extends OutputStream {
        private final OutputStream log;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private IOException failure;
        private boolean closed;

        Capture(OutputStream log) {
            this.log = log;
        }

        synchronized String text() {
            return kept.toString(StandardCharsets.UTF_8);
        }

        synchronized Optional<IOException> failure() {
            return Optional.ofNullable(failure);
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) {
            if (closed) return;
            int keep = Math.min(length, TEXT_LIMIT - kept.size());
            if (keep > 0) kept.write(bytes, offset, keep);
            if (failure != null) return;
            try {
                log.write(bytes, offset, length);
            } catch (IOException e) {
                failure = e;
            }
        }

        @Override
        public synchronized void flush() {
            if (failure != null || closed) return;
            try {
                log.flush();
            } catch (IOException e) {
                failure = e;
            }
        }

        @Override
        public synchronized void close() {
            if (closed) return;
            closed = true;
            try {
                log.close();
            } catch (IOException e) {
                if (failure == null) failure = e;
            }
        }
    }
}
