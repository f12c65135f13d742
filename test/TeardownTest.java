import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

import lib.core.Proc;

/** Nothing a run starts outlives it: not a daemonized grandchild, not a kill -9 of the harness. */
// Plants a dead run's process and scratch dir, which any other run started meanwhile would sweep first.
@Isolated
class TeardownTest {
    static final Path TEMP = Path.of(System.getProperty("java.io.tmpdir"));
    /** A grandchild that calls setsid and forks again, then its parent exits: re-parented away, in a session of its own. */
    static final String DAEMONIZE = "setsid sh -c 'sleep 300 & echo $! > \"$DAEMON_PID\"'";

    @TempDir Path dir;

    @Test
    void stoppingAProcTakesADescendantThatCalledSetsidAndWasReparentedAway() throws Exception {
        Path pidFile = dir.resolve("daemon.pid");
        Proc proc = Proc.start("double-fork", Proc.Spec.of(List.of("sh", "-c", DAEMONIZE + "; exec sleep 300"))
                .withEnv(Map.of("DAEMON_PID", pidFile.toString())), dir.resolve("log"), null);
        ProcessHandle daemon = awaitPid(pidFile);
        try {
            ProcessHandle child = ProcessHandle.of(proc.pid()).orElseThrow();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> child.descendants().noneMatch(daemon::equals));
            proc.stop(Duration.ofMillis(300));
            assertFalse(Proc.running(daemon), "the setsid'd grandchild " + daemon.pid() + " survived its Proc's stop");
        } finally {
            daemon.destroyForcibly();
        }
    }

    @Test
    void sigkillOfTheHarnessLeavesNoProcessAndNoScratch() throws Exception {
        Path out = dir.resolve("out");
        Path daemonPid = dir.resolve("daemon.pid");
        ProcessBuilder builder = Fakes.command("smoke", out, Map.of("RELAY_BIN", Fakes.RELAY.toString(), "MOQ_BIN", daemonizingMoq().toString(),
                "FAKE_MOQ_MODE", "hang", "DAEMON_PID", daemonPid.toString()), "--timeout", "120");
        Process smoke = builder.redirectErrorStream(true).redirectOutput(dir.resolve("console").toFile()).start();
        List<ProcessHandle> children = new ArrayList<>();
        try {
            ProcessHandle daemon = awaitPid(daemonPid);
            children.add(daemon);
            assertEquals(200, relayAnswers(out.resolve("relay.log")), "the relay answers before the harness is killed");
            children.addAll(smoke.descendants().filter(Proc::running).toList());
            Optional<ProcessHandle> relay = children.stream().filter(p -> p.info().commandLine().orElse("").contains("fake-relay")).findFirst();
            assertTrue(relay.isPresent(), "the relay runs: " + children);
            Path scratch = scratchOf(relay.get());
            assertTrue(Files.isDirectory(scratch), scratch.toString());
            String run = marker(relay.get()).map(m -> m.split("/")[0]).orElse("(none)");

            smoke.destroyForcibly();
            assertTrue(smoke.waitFor(10, TimeUnit.SECONDS));
            Awaitility.await("every process of the run is gone").atMost(Duration.ofSeconds(5))
                    .until(() -> children.stream().noneMatch(Proc::running));
            Awaitility.await("the scratch dir is gone").atMost(Duration.ofSeconds(5)).until(() -> !Files.exists(scratch));
            assertEquals(List.of(), carrying(run), "processes still carrying the run's marker " + run);
            assertTrue(children.size() >= 4, "relay, publisher, subscriber and the daemon were watched: " + children);
            assertFalse(run.equals("(none)"), "the relay carries the run's marker");
        } finally {
            smoke.destroyForcibly();
            children.forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void theNextRunSweepsWhatADeadRunAndItsReaperLeftBehind() throws Exception {
        // pid 1 did not start at the epoch, so run "1-1" is one whose JVM is gone.
        ProcessBuilder orphanBuilder = new ProcessBuilder("sleep", "300");
        orphanBuilder.environment().put("MOQ_SMOKE_RUN", "1-1/3");
        Process orphan = orphanBuilder.start();
        Path scratch = Files.createTempDirectory(TEMP, "moq-smoke-1-1-");
        Files.writeString(scratch.resolve("private.jwk"), "{}");
        try {
            Fakes.Outcome outcome = Fakes.smoke(dir.resolve("out"), Map.of(), "--timeout", "10");
            assertEquals(0, outcome.exitCode(), outcome.all());
            assertTrue(orphan.waitFor(5, TimeUnit.SECONDS), "the dead run's process was killed");
            assertFalse(Files.exists(scratch), "the dead run's scratch was removed");
        } finally {
            orphan.destroyForcibly();
            try (Stream<Path> left = Files.walk(scratch)) {
                left.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (java.nio.file.NoSuchFileException swept) {
                // As it should be.
            }
        }
    }

    /** The fake moq CLI, but a subscriber first leaves a daemon behind, as a careless client might. */
    private Path daemonizingMoq() throws IOException {
        Path script = dir.resolve("moq");
        Files.writeString(script, "#!/bin/sh\ncase \" $* \" in *\" export \"*) " + DAEMONIZE + " ;; esac\nexec " + Fakes.MOQ + " \"$@\"\n");
        assertTrue(script.toFile().setExecutable(true));
        return script;
    }

    static ProcessHandle awaitPid(Path pidFile) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(pidFile) && !Files.readString(pidFile).isBlank());
        try {
            return ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip())).orElseThrow();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** GETs the fake relay's fingerprint at the address its log names; the HTTP status. */
    private static int relayAnswers(Path relayLog) throws Exception {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(relayLog) && Files.readString(relayLog).contains("listening"));
        Matcher address = Pattern.compile("config says (\\S+):(\\d+)").matcher(Files.readString(relayLog));
        assertTrue(address.find(), Files.readString(relayLog));
        URI uri = URI.create("http://" + address.group(1) + ":" + address.group(2) + "/certificate.sha256");
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** The run's private scratch dir: the relay's config lives in it. */
    private static Path scratchOf(ProcessHandle relay) {
        String config = relay.info().arguments().map(args -> args[args.length - 1]).orElseThrow();
        Path path = Path.of(config);
        while (path != null && !path.getFileName().toString().startsWith("moq-smoke-")) path = path.getParent();
        assertTrue(path != null, "the relay config is in scratch: " + config);
        return path;
    }

    static Optional<String> marker(ProcessHandle process) {
        try {
            return Stream.of(Files.readString(Path.of("/proc", Long.toString(process.pid()), "environ"), StandardCharsets.ISO_8859_1).split("\0"))
                    .filter(e -> e.startsWith("MOQ_SMOKE_RUN=")).map(e -> e.substring("MOQ_SMOKE_RUN=".length())).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Running processes whose marker belongs to run. */
    static List<Long> carrying(String run) throws IOException {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .map(p -> ProcessHandle.of(Long.parseLong(p.getFileName().toString())))
                    .flatMap(Optional::stream)
                    .filter(Proc::running)
                    .filter(p -> marker(p).filter(m -> m.startsWith(run + "/")).isPresent())
                    .map(ProcessHandle::pid).toList();
        }
    }
}
