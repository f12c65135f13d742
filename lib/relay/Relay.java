package lib.relay;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import lib.core.Concurrently;
import lib.core.Proc;
import lib.core.Text;
import lib.core.Workspace;
import lib.delivery.Tool;

/**
 * A running moq-relay on a scratch copy of the config. Ready means its HTTP
 * listener serves a well-formed fingerprint at /certificate.sha256, the same
 * endpoint clients use to pin the self-signed certificate, so ready really means
 * usable; a wrong answer there fails at once, only silence waits for the deadline.
 * It is asked with the JDK's HttpURLConnection: java.net.http.HttpClient sets up TLS
 * and a selector thread first, which cost a run hundreds of milliseconds on a busy
 * two-core machine before the first question, for a plain-HTTP GET on loopback.
 */
public final class Relay implements AutoCloseable {
    public static final Duration READY_DEADLINE = Duration.ofSeconds(30);
    /** Short, so a run waits for the relay milliseconds rather than a fixed step; a refused connection costs microseconds. */
    static final Duration READY_POLL = Duration.ofMillis(5);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** What /certificate.sha256 serves: lowercase hex SHA-256, no colons (upstream: rs/moq-relay/src/web.rs, hex::encode). */
    private static final Pattern FINGERPRINT = Pattern.compile("(?s)\\s*[0-9a-fA-F]{64}\\s*");

    private final Proc proc;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final RelayConfig config;
    private final Path log;
    /** Where this relay's output begins in log (bytes): a start that found its port taken wrote before it. */
    private final long logStart;
    /** Set when the relay exited of itself while starting; one the harness stopped (silent, a wrong answer) did not. */
    private volatile boolean exitedAtStartUp;

    private Relay(Proc proc, RelayConfig config, Path log, long logStart) {
        this.proc = proc;
        this.config = config;
        this.log = log;
        this.logStart = logStart;
    }

    /**
     * Starts the relay on a free port, its output going to log, and waits until it answers. A relay that
     * exits or never answers is a broken relay: every cell fails with this reason. One that found its
     * port taken is started again on another (see PortRace).
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
        for (int attempt = 1; ; attempt++) {
            RelayConfig config = committed.onPort(RelayConfig.freePort(committed.host())).withLoopbackConnectBind();
            Path file;
            try {
                file = Files.createTempFile(workspace.scratchDir("relay"), "relay-", ".toml");
                Files.writeString(file, config.text());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            long logStart = PortRace.mark(log);
            Proc proc = Proc.start("relay", Proc.Spec.of(relay.with(file.toString())), log, null);
            Relay started = new Relay(proc, config, log, logStart);
            try {
                started.awaitReady(readyDeadline);
                return started;
            } catch (RelayFailed failed) {
                if (!PortRace.startAgain(attempt, started.exitedAtStartUp, log, logStart, "relay", config.port())) throw failed;
            }
        }
    }

    /**
     * Starts the relay as {@link #start(Tool, RelayConfig, Workspace, Path)} does, on a thread of its
     * own, so that it comes up while the run does other work (the clients install).
     */
    public static Starting startInBackground(Tool relay, RelayConfig committed, Workspace workspace, Path log) {
        return new Starting(Concurrently.start("relay-start", () -> {
            try {
                return start(relay, committed, workspace, log);
            } catch (RelayFailed e) {
                throw new StartFailed(e);
            }
        }));
    }

    /** A relay on its way up; see {@link #startInBackground}. */
    public static final class Starting {
        private final Concurrently.Task<Relay> task;

        private Starting(Concurrently.Task<Relay> task) {
            this.task = task;
        }

        /**
         * Waits until it is ready (at most its deadline).
         *
         * @throws RelayFailed as {@link #start(Tool, RelayConfig, Workspace, Path)} does
         */
        public Relay await() throws RelayFailed {
            try {
                return task.join();
            } catch (StartFailed e) {
                throw e.failure;
            }
        }

        /** Stops it, as it turned out not to be needed; a failed start needs nothing more. */
        public void discard() {
            try {
                await().close();
            } catch (RelayFailed e) {
                // Not needed, so its failure says nothing about this run.
            }
        }
    }

    /** Carries a RelayFailed out of the start thread. */
    private static final class StartFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient RelayFailed failure;

        StartFailed(RelayFailed failure) {
            super(failure.getMessage(), failure);
            this.failure = failure;
        }
    }

    private void awaitReady(Duration deadline) throws RelayFailed {
        URI fingerprint = URI.create(config.httpBase() + "/certificate.sha256");
        long until = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() < until) {
            Optional<Integer> exit = proc.exitCode();
            if (exit.isPresent()) {
                exitedAtStartUp = true;
                close();
                throw new RelayFailed("relay exited during start-up (code " + exit.get() + ")" + firstError().map(e -> ": " + e).orElse(""), log);
            }
            Answer answer = fingerprint(fingerprint);
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
        throw new RelayFailed("relay did not answer " + fingerprint + " within " + human(deadline), log);
    }

    /** The first meaningful error in the relay's log (a config it refused, a port in use), read once it has stopped. */
    private Optional<String> firstError() {
        return PortRace.since(log, logStart).flatMap(lib.core.RuntimeErrors::first);
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
    private static Answer fingerprint(URI uri) {
        Optional<Response> answered = get(uri, CONNECT_TIMEOUT);
        if (answered.isEmpty()) return Answer.SILENT;
        Response response = answered.get();
        String body = new String(response.body(), StandardCharsets.UTF_8);
        if (response.status() != 200) {
            return Answer.wrong("relay answered " + response.status() + " for " + uri + " (" + quote(body) + "): clients cannot pin its certificate");
        }
        if (!FINGERPRINT.matcher(body).matches()) {
            return Answer.wrong("relay served a malformed certificate fingerprint at " + uri + ": " + quote(body) + " (want 64 hex digits)");
        }
        return Answer.READY;
    }

    private record Response(int status, byte[] body) {}

    /** One GET on the relay's loopback listener, never through a proxy; empty when nothing answered within timeout. */
    private static Optional<Response> get(URI uri, Duration timeout) {
        HttpURLConnection connection = null;
        try {
            connection = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
            connection.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
            connection.setReadTimeout((int) timeout.toMillis());
            int status = connection.getResponseCode();
            try (InputStream body = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
                return Optional.of(new Response(status, body == null ? new byte[0] : body.readAllBytes()));
            }
        } catch (IOException e) {
            return Optional.empty();
        } finally {
            if (connection != null) connection.disconnect();
        }
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
        return get("/announced").map(body -> new String(body, StandardCharsets.UTF_8).lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
    }

    /** The latest group of broadcast's catalog track as the relay serves it (HTTP /fetch), if it answers in time. */
    public Optional<byte[]> catalog(String broadcast) {
        return get("/fetch/" + broadcast + "/catalog.json");
    }

    /** The body of a 200 answer to GET path on the relay's HTTP listener; empty on any other answer or none. */
    private Optional<byte[]> get(String path) {
        return get(URI.create(config.httpBase() + path), Duration.ofSeconds(3)).filter(r -> r.status() == 200).map(Response::body);
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
        // Once: the run may stop it beside the publishers and close it again on the way out.
        // At once: its shutdown is not under test, and moq-relay spends 0.1 s on it.
        if (closed.compareAndSet(false, true)) proc.stop(Duration.ZERO);
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
