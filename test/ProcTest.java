import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

import lib.core.Proc;

// Counts every live Proc of this JVM.
@Isolated
class ProcTest {
    @TempDir Path dir;

    @Test
    void stopTakesDownAChildThatIgnoresSigtermAndItsGrandchild() throws Exception {
        Path pids = Files.createDirectories(dir.resolve("pids"));
        Proc proc = Proc.start("stubborn", Proc.Spec.of(List.of(Fakes.MOQ.toString(), "export", "fmp4"))
                .withEnv(java.util.Map.of("FAKE_MOQ_MODE", "stubborn", "FAKE_PIDS_DIR", pids.toString())), dir.resolve("log"), null);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> Files.list(pids).count() == 2);
        List<ProcessHandle> started = Files.list(pids).map(p -> ProcessHandle.of(Long.parseLong(p.getFileName().toString())).orElseThrow()).toList();
        proc.stop(Duration.ofMillis(300));
        for (ProcessHandle handle : started) assertFalse(Proc.running(handle), "pid " + handle.pid() + " survived");
        assertTrue(proc.exitCode().isPresent());
        assertEquals(0, Proc.liveCount());
    }

    @Test
    void eachProcessWritesItsOwnLog() throws Exception {
        Proc proc = Proc.start("echo", Proc.Spec.of(List.of("sh", "-c", "echo out; echo err >&2")), dir.resolve("a.log"), null);
        assertEquals(0, proc.awaitExit(Duration.ofSeconds(10)).orElseThrow());
        String log = Files.readString(dir.resolve("a.log"));
        assertTrue(log.contains("out") && log.contains("err"), log);
    }

    @Test
    void runKillsAToolThatOutlivesItsTimeout() {
        long before = System.nanoTime();
        Proc.Result result = Proc.run(Proc.Spec.of(List.of("sh", "-c", "sleep 30 & wait")), Duration.ofMillis(500));
        assertTrue(result.timedOut());
        assertFalse(result.ok());
        assertTrue((System.nanoTime() - before) / 1e9 < 10);
    }

    @Test
    void runReportsAToolThatCannotStart() {
        Proc.Result result = Proc.run(Proc.Spec.of(List.of(dir.resolve("missing").toString())), Duration.ofSeconds(5));
        assertFalse(result.ok());
        assertTrue(result.output().contains("cannot start"), result.output());
    }

    /**
     * A line one stream writes in two pieces stays whole, whatever the other stream
     * writes in between: cargo's last JSON message, cut by its "Finished" line on
     * stderr, once lost the artifact it named and painted a cell red.
     */
    @Test
    void runKeepsEachLineWholeWhenTheStreamsInterleave() {
        Proc.Result result = Proc.run(Proc.Spec.of(List.of("sh", "-c",
                "printf '{\"filenames\":'; sleep 0.2; echo '    Finished release' >&2; sleep 0.2; printf '[\"libmoq.a\"]}\\n'")),
                Duration.ofSeconds(10));
        assertTrue(result.ok(), result.output());
        assertEquals("{\"filenames\":[\"libmoq.a\"]}\n", result.stdout());
        assertEquals(List.of("    Finished release", "{\"filenames\":[\"libmoq.a\"]}"), result.output().lines().toList());
    }

    @Test
    void runKeepsALastLineWithoutANewline() {
        Proc.Result result = Proc.run(Proc.Spec.of(List.of("sh", "-c", "printf 'no newline'; printf 'nor here' >&2")), Duration.ofSeconds(10));
        assertEquals("no newline\n", result.stdout());
        assertTrue(result.output().lines().toList().containsAll(List.of("no newline", "nor here")), result.output());
    }

    @Test
    void runGivesTheToolItsStdin() {
        Proc.Result result = Proc.run(Proc.Spec.of(List.of("cat")), "eyJ.a.b\n", Duration.ofSeconds(10));
        assertEquals("eyJ.a.b\n", result.stdout());
    }

    /** A query's answer is what it printed on stdout, not a warning on stderr after it; a tool that answers on stderr still answers. */
    @Test
    void anAnswerIsTheLastLineOfStdout() {
        Proc.Result warned = Proc.run(Proc.Spec.of(List.of("sh", "-c", "echo 'moq-relay 0.17.10'; sleep 0.2; echo 'warning: old config' >&2")),
                Duration.ofSeconds(10));
        assertEquals("moq-relay 0.17.10", warned.answer());
        assertEquals("warning: old config", warned.lastLine());
        Proc.Result onStderr = Proc.run(Proc.Spec.of(List.of("sh", "-c", "echo 'Python 3.11.2' >&2")), Duration.ofSeconds(10));
        assertEquals("Python 3.11.2", onStderr.answer());
    }

    /** Two streams into one log: whole lines, whichever stream wrote them in pieces. */
    @Test
    void startGivesASharedLogWholeLines() throws Exception {
        Proc proc = Proc.start("pieces", Proc.Spec.of(List.of("sh", "-c",
                "printf 'received 1234'; sleep 0.2; echo 'WARN stderr' >&2; sleep 0.2; echo ' bytes from b'")), dir.resolve("p.log"), null);
        assertEquals(0, proc.awaitExit(Duration.ofSeconds(10)).orElseThrow());
        assertEquals(List.of("WARN stderr", "received 1234 bytes from b"), Files.readAllLines(dir.resolve("p.log")));
    }

    @Test
    void wholeLinesPassesEachLineInOneWriteAndALongOneInPieces() throws Exception {
        List<String> writes = new java.util.ArrayList<>();
        java.io.OutputStream target = new java.io.OutputStream() {
            @Override
            public void write(int b) {
                writes.add(String.valueOf((char) b));
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                writes.add(new String(bytes, offset, length, java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        };
        lib.core.WholeLines lines = new lib.core.WholeLines(target);
        lines.write("{\"a\":".getBytes());
        lines.write("1}\nsecond".getBytes());
        assertEquals(List.of("{\"a\":1}\n"), writes);
        lines.write(" line\nthird".getBytes());
        lines.flush();
        assertEquals(List.of("{\"a\":1}\n", "second line\n"), writes);
        lines.close();
        assertEquals(List.of("{\"a\":1}\n", "second line\n", "third\n"), writes);
        writes.clear();
        new lib.core.WholeLines(target).write(new byte[70 * 1024]);
        assertEquals(List.of(64 * 1024), writes.stream().map(String::length).toList());
    }

    /**
     * A client whose marker line reaches the pipe in pieces, with a log line on stderr
     * between them, still shows its frame: the probe reads whole lines of each stream.
     */
    @Test
    void aMarkerWrittenInPiecesAroundAStderrLineIsStillAFrame() {
        lib.media.MarkerProbe probe = new lib.media.MarkerProbe(java.io.OutputStream.nullOutputStream());
        Proc proc = Proc.start("marker", Proc.Spec.of(List.of("sh", "-c",
                "printf 'received 12'; sleep 0.2; echo 'INFO connected' >&2; sleep 0.2; echo '34 bytes from b'")), probe.sink(), probe.sink(), null);
        assertEquals(0, proc.awaitExit(Duration.ofSeconds(10)).orElseThrow());
        assertEquals("received 1234 bytes from b", probe.frame().getNow(null));
    }
}
