import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lib.core.Proc;

/** smoke.java end to end, as its own process, against the fake relay and fake moq CLI. */
// Starts before the classes without an order (see tests.java): its fake runs are the longest.
@Order(1)
class SmokeRunTest {
    @TempDir Path dir;

    @Test
    void aRealFrameMakesTheCellGreenAndEveryReportIsWritten() throws Exception {
        Path stepSummary = Files.writeString(dir.resolve("step-summary.md"), "earlier step\n");
        Fakes.Outcome outcome = Fakes.smoke(dir.resolve("out"), Map.of("FAKE_MOQ_DELAY", "1.5", "GITHUB_STEP_SUMMARY", stepSummary.toString()),
                "--timeout", "10");
        assertEquals(0, outcome.exitCode(), outcome.all());
        String summary = Files.readString(stepSummary);
        assertTrue(summary.startsWith("earlier step\n## moq smoke: media matrix") && summary.contains("| rust | ✅"), summary);
        JsonNode cell = outcome.results().get("cells").get(0);
        assertEquals("pass", cell.get("status").asText());
        assertTrue(cell.get("timeToFirstFrameMs").asLong() > 0);
        assertEquals("moq-cli 0.0.0-fake", outcome.results().get("versions").get("moq-cli").asText());
        assertEquals("moq-relay 0.0.0-fake", outcome.results().get("versions").get("moq-relay").asText());
        for (String report : List.of("results.json", "junit.xml", "summary.md", "relay.log", "publishers/rust/publisher.log",
                "cells/rust-rust/subscriber.log", "cells/rust-rust/subscriber.out")) {
            assertTrue(Files.exists(outcome.out().resolve(report)), report);
        }
        assertTrue(Files.readString(outcome.out().resolve("publishers/rust/publisher.log")).contains("bytes read"), "the publisher was fed H.264");
        assertTrue(outcome.stdout().contains("cells: 1 pass, 0 fail, 0 unavailable"), outcome.stdout());
    }

    @Test
    void anInitSegmentWithoutMediaIsARedCellWithLogsAndARerunLine() throws Exception {
        Fakes.Outcome outcome = Fakes.smoke(dir.resolve("out"), Map.of("FAKE_MOQ_MODE", "init-only"), "--timeout", "3");
        assertEquals(1, outcome.exitCode(), outcome.all());
        String reason = outcome.results().get("cells").get(0).get("reason").asText();
        assertTrue(reason.startsWith("no frame within 3s") && reason.contains("init segment only"), reason);
        assertTrue(outcome.stdout().contains("FAIL rust→rust: no frame within 3s"), outcome.stdout());
        assertTrue(outcome.stdout().contains("rerun: jbang smoke@moq-dev/smoke --channel path --publishers rust --subscribers rust --timeout 3"), outcome.stdout());
        assertTrue(outcome.stdout().contains("fake subscriber: mode init-only, waiting"), "the failed cell's log tail is shown");
        assertTrue(outcome.stdout().contains("relay log (last"), outcome.stdout());
    }

    @Test
    void negativeRunPassesWhenNothingArrives() throws Exception {
        Fakes.Outcome outcome = Fakes.smoke(dir.resolve("out"), Map.of("FAKE_MOQ_MODE", "hang"), "--negative", "--timeout", "2");
        assertEquals(0, outcome.exitCode(), outcome.all());
        JsonNode cell = outcome.results().get("cells").get(0);
        assertEquals("none", cell.get("publisher").asText());
        assertEquals("pass", cell.get("status").asText());
        assertFalse(Files.exists(outcome.out().resolve("publishers")), "no publisher ran");
    }

    @Test
    void negativeRunFailsWhenASubscriberClaimsAFrame() throws Exception {
        Fakes.Outcome outcome = Fakes.smoke(dir.resolve("out"), Map.of("FAKE_MOQ_MODE", "frame"), "--negative", "--timeout", "2");
        assertEquals(1, outcome.exitCode(), outcome.all());
    }

    @Test
    void unavailableCellsPassTheRunUnlessAvailabilityIsRequired() throws Exception {
        Map<String, String> offline = Map.of("PATH", Path.of("test/fakes/npm-offline").toAbsolutePath() + ":" + System.getenv("PATH"));
        Fakes.Outcome lenient = Fakes.smoke(dir.resolve("a"), offline, "--subscribers", "rust,js-native-node", "--timeout", "10");
        assertEquals(0, lenient.exitCode(), lenient.all());
        assertEquals("unavailable", lenient.results().get("cells").get(1).get("status").asText());
        String reason = lenient.results().get("cells").get(1).get("reason").asText();
        assertTrue(reason.startsWith("subscriber js-native-node unavailable: npm install failed: ") && reason.contains("ENOTFOUND"), reason);
        Fakes.Outcome strict = Fakes.smoke(dir.resolve("b"), offline, "--subscribers", "rust,js-native-node", "--timeout", "10", "--require-available");
        assertEquals(1, strict.exitCode(), strict.all());
    }

    @Test
    void ctrlCStopsEveryChildAndStillWritesTheReport() throws Exception {
        interruptRun("INT");
    }

    @Test
    void sigtermStopsEveryChildAndStillWritesTheReport() throws Exception {
        interruptRun("TERM");
    }

    private void interruptRun(String signal) throws Exception {
        Path pids = Files.createDirectories(dir.resolve("pids"));
        Path out = dir.resolve("out");
        ProcessBuilder builder = Fakes.command("smoke", out, Map.of("RELAY_BIN", Fakes.RELAY.toString(), "MOQ_BIN", Fakes.MOQ.toString(),
                "FAKE_MOQ_MODE", "stubborn", "FAKE_PIDS_DIR", pids.toString()), "--timeout", "120");
        // A test run started in the background inherits SIGINT ignored, and the JVM then
        // never sees Ctrl-C; a terminal user's harness does, so restore the default first.
        List<String> withDefaultSigint = new java.util.ArrayList<>(List.of("python3", "-c",
                "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])"));
        withDefaultSigint.addAll(builder.command());
        Process smoke = builder.command(withDefaultSigint).redirectErrorStream(true).redirectOutput(dir.resolve("console").toFile()).start();
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> Files.list(pids).count() == 2);
        List<ProcessHandle> children = smoke.descendants().toList();
        assertTrue(children.size() >= 4, "relay, publisher, subscriber and its grandchild: " + children.size());
        new ProcessBuilder("kill", "-" + signal, Long.toString(smoke.pid())).start().waitFor();
        assertTrue(smoke.waitFor(30, TimeUnit.SECONDS), "smoke exits after " + signal);
        for (ProcessHandle child : children) assertFalse(Proc.running(child), "pid " + child.pid() + " survived: " + child.info());
        JsonNode results = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.resolve("results.json").toFile());
        assertTrue(results.get("interrupted").asBoolean());
        assertEquals("interrupted before this cell finished", results.get("cells").get(0).get("reason").asText());
        assertTrue(Files.readString(dir.resolve("console")).contains("interrupted: stopping every child process"));
    }

    @Test
    void aRunThatOnlyPrintsHelpOrRefusesItsInputMarksTheArchiveItRecordsPartial() throws Exception {
        for (String[] args : List.of(new String[] {"--gop", "2s"}, new String[] {"--help"})) {
            Path recording = dir.resolve("smoke.jsa." + args[0].substring(2));
            ProcessBuilder run = Fakes.command("smoke", null, Map.of(), args);
            run.command().add(1, "-Dmoq.smoke.cds.recording=" + recording);
            Process process = run.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            assertTrue(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "smoke " + String.join(" ", args));
            assertTrue(java.nio.file.Files.exists(Path.of(recording + ".partial")), "smoke " + String.join(" ", args));
        }
    }

    @Test
    void aMissingMoqBinaryIsAUsageErrorNotARedCell() throws Exception {
        Fakes.Outcome outcome = Fakes.smoke(dir.resolve("out"), Map.of("MOQ_BIN", dir.resolve("nowhere/moq").toString()));
        assertEquals(2, outcome.exitCode(), outcome.all());
        assertTrue(outcome.stderr().contains("MOQ_BIN=" + dir.resolve("nowhere/moq") + " is not an executable file"), outcome.stderr());
    }

    @Test
    void aRelayBinaryThatIsNotExecutableIsAUsageError() throws Exception {
        Path notExecutable = Files.writeString(dir.resolve("moq-relay"), "not a program");
        Fakes.Outcome outcome = Fakes.smoke(dir.resolve("out"), Map.of("RELAY_BIN", notExecutable.toString()));
        assertEquals(2, outcome.exitCode(), outcome.all());
        assertTrue(outcome.stderr().contains("RELAY_BIN=" + notExecutable + " is not an executable file"), outcome.stderr());
    }

    /** The fake runs start their JVM as ./jbang starts smoke.java and token.java (the fakes take smoke.java's options for both). */
    @Test
    void fakeRunsUseTheScriptsOwnJvmOptions() {
        assertTrue(Fakes.ChildJvm.SHORT_RUN.contains("-XX:TieredStopAtLevel=1"), Fakes.ChildJvm.SHORT_RUN.toString());
        for (String script : List.of("smoke.java", "token.java")) {
            assertEquals(Fakes.ChildJvm.runtimeOptions(script), Fakes.ChildJvm.SHORT_RUN, script);
        }
    }

    /**
     * The scripts' classes, and the test jar's copies the fake runs use, concatenate strings
     * with StringBuilder calls, not invokedynamic: javac took the scripts' option.
     */
    @Test
    void theClassesAreCompiledWithoutInvokedynamicStringConcatenation() throws Exception {
        for (String script : List.of("smoke.java", "token.java", "freshness.java", "tests.java")) {
            assertTrue(Files.readAllLines(Path.of(script)).contains("//JAVAC_OPTIONS -XDstringConcat=inline"), script);
        }
        for (Class<?> compiled : List.of(smoke.class, token.class, lib.core.Cli.class, lib.report.JsonReport.class)) {
            try (var in = compiled.getResourceAsStream(compiled.getSimpleName() + ".class")) {
                String bytes = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
                assertTrue(bytes.contains("java/lang/StringBuilder"), compiled.getName());
                assertFalse(bytes.contains("makeConcatWithConstants"), compiled.getName());
            }
        }
    }
}
