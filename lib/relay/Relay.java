package lib.relay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import lib.core.Proc;
import lib.core.Text;
import lib.core.Workspace;
import lib.delivery.Tool;

/**
 * A running moq-relay on a scratch copy of the config. Ready means its HTTP
 * listener serves a well-formed fingerprint at /certificate.sha256, the same
 * endpoint clients use to pin the self-signed certificate, so ready really means
 * usable; a wrong answer there fails at once, only silence waits for the deadline.
 */
public final class Relay implements AutoCloseable {
    public static final Duration READY_DEADLINE = Duration.ofSeconds(30);
    /** Short, so a run waits for the relay milliseconds rather than a fixed step. */
    static final Duration READY_POLL = Duration.ofMillis(20);
    /** What /certificate.sha256 serves: lowercase hex SHA-256, no colons (upstream: rs/moq-relay/src/web.rs, hex::encode). */
    private static final Pattern FINGERPRINT = Pattern.compile("(?s)\\s*[0-9a-fA-F]{64}\\s*");

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
        return start(relay, committed, workspace, log, READY_DEADLINE);
    }

    /**
     * As {@link #start(Tool, RelayConfig, Workspace, Path)}, waiting at most readyDeadline for a relay that
     * says nothing; a wrong answer fails at once whatever the deadline.
     */
    public static Relay start(Tool relay, RelayConfig committed, Workspace workspace, Path log, Duration readyDeadline)
            throws RelayFailed {
        RelayConfig config = committed.onPort(RelayConfig.freePort(committed.host())).withLoopbackConnectBind();
        Path file;
        try {
            file = Files.createTempFile(workspace.scratchDir("relay"), "relay-", ".toml");
            Files.writeString(file, config.text());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Proc proc = Proc.start("relay", Proc.Spec.of(relay.with(file.toString())), log, null);
        Relay started = new Relay(proc, config, log);
        started.awaitReady(readyDeadline);
        return started;
    }

    private void awaitReady(Duration deadline) throws RelayFailed {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(config.httpBase() + "/certificate.sha256"))
                .timeout(Duration.ofSeconds(2)).build();
        long until = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() < until) {
            Optional<Integer> exit = proc.exitCode();
            if (exit.isPresent()) {
                close();
                throw new RelayFailed("relay exited during start-up (code " + exit.get() + ")", log);
            }
            Answer answer = fingerprint(http, request);
            if (answer.ready()) return;
            if (answer.wrong() != null) {
                close();
                throw new RelayFailed(answer.wrong(), log);
            }
            try {
                Thread.sleep(READY_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new RelayFailed("interrupted while waiting for the relay", log);
            }
        }
        close();
        throw new RelayFailed("relay did not answer " + request.uri() + " within " + human(deadline), log);
    }

    /** What /certificate.sha256 said: a usable fingerprint (ready), nothing yet (neither), or a definite wrong answer. */
    private record Answer(boolean ready, String wrong) {
        static final Answer READY = new Answer(true, null);
        static final Answer SILENT = new Answer(false, null);

        static Answer wrong(String why) {
            return new Answer(false, why);
        }
    }

    /**
     * Asks for the certificate fingerprint. A wrong answer is one no amount of
     * waiting fixes: the relay is up and serving something clients cannot pin.
     */
    private static Answer fingerprint(HttpClient http, HttpRequest request) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return Answer.SILENT;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Answer.SILENT;
        }
        String body = response.body() == null ? "" : response.body();
        if (response.statusCode() != 200) {
            return Answer.wrong("relay answered " + response.statusCode() + " for " + request.uri() + " (" + quote(body) + "): clients cannot pin its certificate");
        }
        if (!FINGERPRINT.matcher(body).matches()) {
            return Answer.wrong("relay served a malformed certificate fingerprint at " + request.uri() + ": " + quote(body) + " (want 64 hex digits)");
        }
        return Answer.READY;
    }

    private static String quote(String body) {
        return body.isEmpty() ? "empty body" : "\"" + Text.printable(body, 120) + "\"";
    }

    /** 30s, or 250ms below a second (a test's short deadline). */
    private static String human(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }

    /**
     * The broadcasts the relay lists as announced right now (its HTTP /announced),
     * or empty when it could not be asked.
     */
    public Optional<List<String>> announced() {
        return get("/announced").map(body -> new String(body, java.nio.charset.StandardCharsets.UTF_8).lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
    }

    /** The latest group of broadcast's catalog track as the relay serves it (HTTP /fetch), if it answers in time. */
    public Optional<byte[]> catalog(String broadcast) {
        return get("/fetch/" + broadcast + "/catalog.json");
    }

    /** The body of a 200 answer to GET path on the relay's HTTP listener; empty on any other answer or none. */
    private Optional<byte[]> get(String path) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(config.httpBase() + path)).timeout(Duration.ofSeconds(3)).build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return response.statusCode() == 200 ? Optional.of(response.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Completes with the relay's exit code if it ever exits. */
    public java.util.concurrent.CompletableFuture<Integer> exit() {
        return proc.onExit();
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
