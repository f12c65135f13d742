package lib.token;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import lib.core.Logs;
import lib.core.Proc;
import lib.core.Workspace;
import lib.delivery.MoqCli;
import lib.delivery.Tool;
import lib.media.Fmp4FrameProbe;
import lib.media.Launch;
import lib.media.MediaSource;
import lib.media.ProcessSide;
import lib.relay.PortRace;
import lib.relay.Relay;
import lib.relay.RelayConfig;
import lib.report.CellResult.Check;
import lib.report.CellResult.Status;
import lib.report.CellResult;
import lib.token.TokenTool.Claims;

/**
 * The live stage: tokens a generator minted, presented to a real relay. The
 * current relay (0.15+) no longer loads a key itself; it asks an auth server to
 * admit each session, and `moq auth serve --key` is that server, verifying with
 * the generator's key. A publisher and a subscriber holding that generator's
 * tokens must move a real frame; a subscriber with no token, a token from
 * another key, or a token for another path must be turned away.
 */
public final class TokenRelayStage {
    public static final String TO = "relay";
    static final String FLOWS = "publish and subscribe with its tokens";
    static final List<String> REFUSALS = List.of("refuses a subscriber with no token", "refuses a token from another key",
            "refuses a token for another path");
    private static final String HOST = "127.0.0.1";

    /** The relay, the moq CLI (publisher, subscriber and auth server) and the config to key. */
    public record Setup(Tool relay, Tool moq, String connectFlag, RelayConfig config) {}

    private final Workspace workspace;
    private final Duration timeout;
    private final Setup setup;
    private final Function<String, String> rerun;

    /** Each generator's relay logs into that cell's own dir, listed with its other logs. */
    public TokenRelayStage(Workspace workspace, Duration timeout, Setup setup, Function<String, String> rerun) {
        this.workspace = workspace;
        this.timeout = timeout;
        this.setup = setup;
        this.rerun = rerun;
    }

    public static String variant(String algorithm) {
        return "relay auth " + algorithm;
    }

    public CellResult run(String generatorName, TokenTool generator, String algorithm) {
        Path logs = workspace.logDir("relay-auth/" + generatorName);
        try {
            return stage(generatorName, generator, algorithm, logs);
        } finally {
            // Every child has stopped by now. Whatever a relay, auth server or moq logged
            // (a debug line with a URL, a token echoed back) is scrubbed before anyone reads it.
            TokenCalls.redactLogs(logs);
        }
    }

    private CellResult stage(String generatorName, TokenTool generator, String algorithm, Path logs) {
        String variant = variant(algorithm);
        Path log = logs.resolve("tokens.log");
        List<Check> checks = new ArrayList<>();
        Optional<TokenMatrix.Keys> keys = TokenMatrix.Keys.generate(generator, algorithm, workspace.scratchDir("relay-auth/" + generatorName),
                timeout, log, checks);
        if (keys.isEmpty()) return verdict(generatorName, variant, checks, List.of(log), null);
        String root = "smoke-auth-" + TokenMatrix.hex();
        Optional<String> publish = mint(generator, keys.get().sign(), new Claims(root, "", null, null), log, checks);
        Optional<String> subscribe = mint(generator, keys.get().sign(), new Claims(root, null, "", null), log, checks);
        Optional<String> otherKey = mint(generator, keys.get().other(), new Claims(root, null, "", null), log, checks);
        Optional<String> otherPath = mint(generator, keys.get().sign(), new Claims(root + "-elsewhere", null, "", null), log, checks);
        if (publish.isEmpty() || subscribe.isEmpty() || otherKey.isEmpty() || otherPath.isEmpty()) {
            return verdict(generatorName, variant, checks, List.of(log), null);
        }
        Path authLog = logs.resolve("auth-server.log");
        AuthServer server = startAuth(generatorName, keys.get().verify(), authLog);
        Proc auth = server.proc();
        int authPort = server.port();
        List<Path> cellLogs = new ArrayList<>(List.of(log, authLog));
        try {
            if (!server.listening()) {
                checks.add(new Check("auth server answers", false, auth.exitCode()
                        .map(code -> "moq auth serve exited (code " + code + "): " + server.firstError().orElseGet(server::lastLine))
                        .orElse("moq auth serve did not listen on " + HOST + ":" + authPort + " within " + Relay.READY_DEADLINE.toSeconds() + "s")));
                return verdict(generatorName, variant, checks, cellLogs, null);
            }
            RelayConfig keyed = setup.config().withAuthUrl("http://" + HOST + ":" + authPort + "/");
            try (Relay relay = Relay.start(withEnv(setup.relay(), RustTokenTool.QUIET), keyed, workspace, logs.resolve("relay.log"))) {
                cellLogs.add(relay.log());
                return onRelay(generatorName, variant, relay, root, publish.get(), subscribe.get(), otherKey.get(), otherPath.get(), logs, checks, cellLogs);
            } catch (Relay.RelayFailed e) {
                cellLogs.add(e.log);
                checks.add(new Check("relay starts with the auth server", false, e.getMessage()));
                return verdict(generatorName, variant, checks, cellLogs, null);
            }
        } finally {
            auth.stop(Duration.ofSeconds(1));
        }
    }

    private CellResult onRelay(String generatorName, String variant, Relay relay, String root, String publishToken, String subscribeToken,
            String otherKeyToken, String otherPathToken, Path logs, List<Check> checks, List<Path> cellLogs) {
        String broadcast = "smoke-" + generatorName + "-" + TokenMatrix.hex() + ".hang";
        Path publisherLog = logs.resolve("publisher.log");
        cellLogs.add(publisherLog);
        MediaSource.Feed feed = MediaSource.CLIP.open(logs.resolve("feed.log"));
        Proc publisher = Proc.start("publish-" + generatorName, moq(relay, root, publishToken, broadcast, "import", "avc3"), publisherLog, feed.stream());
        try {
            Subscribed flowed = subscribe(relay, root, subscribeToken, broadcast, logs.resolve("subscriber.log"), cellLogs);
            checks.add(new Check(FLOWS, flowed.frame() != null, flowed.frame() != null ? flowed.frame()
                    : publisher.exitCode().map(c -> "publisher exited (code " + c + "): " + Logs.tail(publisherLog, 1).get(0)).orElse(flowed.describe(timeout))));
            // Without a frame for the rightful subscriber, a refused one proves nothing: not run.
            if (flowed.frame() == null) return verdict(generatorName, variant, checks, cellLogs, null);
            String[] tokens = {null, otherKeyToken, otherPathToken};
            String[] names = {"no-token", "other-key", "other-path"};
            for (int i = 0; i < REFUSALS.size(); i++) {
                Subscribed refused = subscribe(relay, root, tokens[i], broadcast, logs.resolve("subscriber-" + names[i] + ".log"), cellLogs);
                checks.add(new Check(REFUSALS.get(i), refused.frame() == null, refused.frame() != null
                        ? "got a frame: " + refused.frame() : refused.describe(timeout)));
            }
            return verdict(generatorName, variant, checks, cellLogs, flowed.firstFrame());
        } finally {
            feed.close();
            publisher.stop(Duration.ofSeconds(1));
        }
    }

    /** What a subscriber did: the frame it got, or how it ended without one. */
    record Subscribed(String frame, Duration firstFrame, Optional<Integer> exitCode, String lastLine) {
        String describe(Duration timeout) {
            if (exitCode.isEmpty()) return "no frame within " + timeout.toSeconds() + "s; still waiting, not refused outright";
            boolean auth = lastLine.toLowerCase(java.util.Locale.ROOT).matches(".*(unauthori[sz]ed|forbidden|401|403).*");
            return (auth ? "refused: " : "exited without a frame, but not with an auth error: ") + "exit " + exitCode.get() + ", " + lastLine;
        }
    }

    private Subscribed subscribe(Relay relay, String root, String token, String broadcast, Path log, List<Path> cellLogs) {
        cellLogs.add(log);
        Launch launch = Launch.subscriber(moq(relay, root, token, broadcast, "export", "fmp4"), Fmp4FrameProbe.factory(), true, MoqCli.TRANSPORT);
        long started = System.nanoTime();
        ProcessSide side = ProcessSide.start("subscribe-" + log.getFileName(), launch, log, null, null);
        try {
            CompletableFuture.anyOf(side.frame(), side.exit()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // No frame and no exit within the timeout: described below as still waiting.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        String frame = side.frame().getNow(null);
        Optional<Integer> exit = side.exit().isDone() ? Optional.of(side.exit().join()) : Optional.empty();
        side.stop();
        return new Subscribed(frame, frame == null ? null : elapsed, exit, Logs.tail(log, 1).get(0));
    }

    /**
     * The token rides in the connect URL's ?jwt=, the only way moq-cli takes one, and
     * the URL in MOQ_CONNECT, so no process listing shows it. moq-cli before 0.10
     * reads only --client-connect: there it has to be argv.
     */
    private Proc.Spec moq(Relay relay, String root, String token, String broadcast, String... verb) {
        String url = relay.url() + "/" + root + (token == null ? "" : "?jwt=" + token);
        boolean inEnv = setup.connectFlag().equals("--connect");
        List<String> args = new ArrayList<>(inEnv ? List.of() : List.of(setup.connectFlag(), url));
        args.addAll(List.of("--broadcast", broadcast));
        args.addAll(List.of(verb));
        Proc.Spec spec = Proc.Spec.of(setup.moq().with(args.toArray(String[]::new))).withEnv(RustTokenTool.QUIET);
        return inEnv ? spec.withEnv(Map.of("MOQ_CONNECT", url)) : spec;
    }

    /** Relay.start runs the binary in the caller's environment; env(1) gives it the one every other child gets. */
    private static Tool withEnv(Tool tool, Map<String, String> env) {
        List<String> command = new ArrayList<>(List.of("env"));
        env.forEach((name, value) -> command.add(name + "=" + value));
        command.addAll(tool.command());
        return new Tool(tool.name(), command, tool.availability(), tool.provenance());
    }

    private Optional<String> mint(TokenTool generator, Path key, Claims claims, Path log, List<Check> checks) {
        String what = (claims.publish() != null ? "publish" : "subscribe") + " token for " + claims.root();
        Proc.Result result = TokenCalls.run("sign a " + what, generator.sign(key, claims), null, timeout, log);
        Optional<String> token = result.ok() ? TokenCalls.jwt(result.stdout()) : Optional.empty();
        if (token.isEmpty()) checks.add(new Check("mints a " + what, false, result.ok() ? "printed no token on stdout" : TokenCalls.firstLine(result)));
        return token;
    }

    /** moq auth serve on a free port, whether it listens there, and where its output begins in log (bytes). */
    private record AuthServer(Proc proc, int port, boolean listening, Path log, long logStart) {
        /** The first meaningful error this start printed, secrets scrubbed. */
        Optional<String> firstError() {
            return PortRace.since(log, logStart).flatMap(lib.core.RuntimeErrors::first).map(lib.core.Secrets::redact);
        }

        /** The last line this start printed, secrets scrubbed: never an earlier start's, nor the harness's note between them. */
        String lastLine() {
            return PortRace.since(log, logStart).flatMap(text -> text.lines().map(String::strip).filter(l -> !l.isEmpty()).reduce((a, b) -> b))
                    .map(lib.core.Secrets::redact).orElse("(no output)");
        }
    }

    /** Starts moq auth serve, again on another port when its port was taken before it bound it (see PortRace). */
    private AuthServer startAuth(String generatorName, Path verifyKey, Path authLog) {
        for (int attempt = 1; ; attempt++) {
            int port = RelayConfig.freePort(HOST);
            long logStart = PortRace.mark(authLog);
            Proc auth = Proc.start("auth-" + generatorName, Proc.Spec.of(setup.moq().with("auth", "serve", "--listen", HOST + ":" + port,
                    "--key", verifyKey.toString())).withEnv(RustTokenTool.QUIET), authLog, null);
            boolean listening = listening(auth, port);
            if (listening || !PortRace.startAgain(attempt, auth.exitCode().isPresent(), authLog, logStart, "auth server", port)) {
                return new AuthServer(auth, port, listening, authLog, logStart);
            }
        }
    }

    private boolean listening(Proc auth, int port) {
        try {
            Awaitility.await().atMost(Relay.READY_DEADLINE).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                    .until(() -> auth.exitCode().isPresent() || accepts(port));
        } catch (ConditionTimeoutException e) {
            return false;
        }
        return auth.exitCode().isEmpty();
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Every check the stage did not get to is listed as not run, never left out to read as passed. */
    private CellResult verdict(String generatorName, String variant, List<Check> checks, List<Path> logs, Duration firstFrame) {
        boolean flowed = checks.stream().anyMatch(c -> c.name().equals(FLOWS) && c.passed());
        String why = checks.stream().anyMatch(c -> c.name().equals(FLOWS)) && !flowed
                ? "no frame reached the subscriber holding a valid token" : TokenMatrix.stoppedAt(checks);
        List<Check> all = new ArrayList<>(checks);
        for (String name : TokenMatrix.concat(FLOWS, REFUSALS)) {
            if (checks.stream().noneMatch(c -> c.name().equals(name))) all.add(Check.notRun(name, why));
        }
        List<String> failed = all.stream().filter(c -> !c.passed() && !c.notRun()).map(Check::name).toList();
        boolean pass = failed.isEmpty() && all.stream().noneMatch(Check::notRun);
        String reason = pass ? "bytes flowed with " + generatorName + "'s tokens; all " + REFUSALS.size() + " bad subscribers refused"
                : "failed: " + String.join(", ", failed);
        return new CellResult(generatorName, TO, variant, pass ? Status.PASS : Status.FAIL, reason, pass ? firstFrame : null,
                logs, all, rerun.apply(generatorName));
    }
}
