package lib;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A running moq-relay on a scratch copy of the config. Ready means its HTTP
 * listener serves /certificate.sha256, the same endpoint clients use to pin the
 * self-signed certificate, so ready really means reachable.
 */
public final class Relay implements AutoCloseable {
    public static final Duration READY_DEADLINE = Duration.ofSeconds(30);

    private final Proc proc;
    private final RelayConfig config;
    private final Path log;

    private Relay(Proc proc, RelayConfig config, Path log) {
        this.proc = proc;
        this.config = config;
        this.log = log;
    }

    /**
     * Starts the relay on a free port, its output going to log, and waits until it answers. A relay that
     * exits or never answers is a broken relay: every cell fails with this reason.
     */
    public static Relay start(Tool relay, RelayConfig committed, Workspace workspace, Path log) throws RelayFailed {
        RelayConfig config = committed.onPort(RelayConfig.freePort(committed.host()));
        Path file;
        try {
            file = Files.createTempFile(workspace.scratchDir("relay"), "relay-", ".toml");
            Files.writeString(file, config.text());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Proc proc = Proc.start("relay", Proc.Spec.of(relay.with(file.toString())), log, null);
        Relay started = new Relay(proc, config, log);
        started.awaitReady(READY_DEADLINE);
        return started;
    }

    private void awaitReady(Duration deadline) throws RelayFailed {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(config.httpBase() + "/certificate.sha256"))
                .timeout(Duration.ofSeconds(2)).build();
        try {
            Awaitility.await().atMost(deadline).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200))
                    .until(() -> proc.exitCode().isPresent() || answers(http, request));
        } catch (ConditionTimeoutException e) {
            close();
            throw new RelayFailed("relay did not answer " + request.uri() + " within " + deadline.toSeconds() + "s", log);
        }
        Optional<Integer> exit = proc.exitCode();
        if (exit.isPresent()) throw new RelayFailed("relay exited during start-up (code " + exit.get() + ")", log);
    }

    private static boolean answers(HttpClient http, HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The URL clients connect to; http:// makes them fetch and pin the fingerprint. */
    public URI url() {
        return URI.create(config.httpBase());
    }

    public Path log() {
        return log;
    }

    /** Why the relay can no longer serve cells, if it has exited. */
    public Optional<String> exitReason() {
        return proc.exitCode().map(code -> "relay exited (code " + code + ")");
    }

    @Override
    public void close() {
        proc.stop(Duration.ofSeconds(2));
    }

    /** The relay could not be brought up; carries its log for the report. */
    public static final class RelayFailed extends Exception {
        private static final long serialVersionUID = 1L;
        public final Path log;

        public RelayFailed(String message, Path log) {
            super(message);
            this.log = log;
        }
    }
}
