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
        assertEquals("no newline", result.stdout());
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
        Recording target = new Recording();
        List<String> writes = target.writes;
        lib.core.WholeLines lines = lib.core.WholeLines.pair(target).get(0);
        lines.write("{\"a\":".getBytes());
        lines.write("1}\nsecond".getBytes());
        assertEquals(List.of("{\"a\":1}\n"), writes);
        lines.write(" line\nthird".getBytes());
        lines.flush();
        assertEquals(List.of("{\"a\":1}\n", "second line\n"), writes);
        lines.close();
        assertEquals(List.of("{\"a\":1}\n", "second line\n", "third\n"), writes);
        writes.clear();
        lib.core.WholeLines.pair(target).get(0).write(new byte[70 * 1024]);
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

    /**
     * A shared log ends with what each stream wrote last, newline or not: a client's
     * reason is often its last stderr line, and a subscriber's log that lost it (or whose
     * late write found the log closed) turned a verdict into a harness failure.
     */
    @Test
    void aSharedLogKeepsTheLastWordsOfBothStreams() throws Exception {
        Proc proc = Proc.start("last", Proc.Spec.of(List.of("sh", "-c", "printf 'no newline'; printf 'Error: connection refused' >&2; exit 1")),
                dir.resolve("last.log"), null);
        assertEquals(1, proc.awaitExit(Duration.ofSeconds(10)).orElseThrow());
        assertEquals(java.util.Set.of("no newline", "Error: connection refused"), java.util.Set.copyOf(Files.readAllLines(dir.resolve("last.log"))));
    }

    /**
     * Progress on stderr with carriage returns only grows one line past 64 KiB, which goes
     * on in pieces; the marker on stdout after it still starts a line of its own.
     */
    @Test
    void aMarkerAfterALongStderrLineWithoutANewlineIsStillAFrame() {
        lib.media.MarkerProbe probe = new lib.media.MarkerProbe(java.io.OutputStream.nullOutputStream());
        Proc proc = Proc.start("progress", Proc.Spec.of(List.of("sh", "-c",
                "i=0; while [ $i -lt 9000 ]; do printf '\\rwaiting %d' $i >&2; i=$((i+1)); done; sleep 0.2; echo 'received 1234 bytes from b'; sleep 0.2; echo >&2")),
                probe.sink(), probe.sink(), null);
        assertEquals(0, proc.awaitExit(Duration.ofSeconds(20)).orElseThrow());
        assertEquals("received 1234 bytes from b", probe.frame().getNow(null));
    }

    /** stdout as the tool wrote it, past 64 KiB on one line: a long JSON answer is parsed whole. */
    @Test
    void runKeepsALongStdoutLineAsWritten() {
        Proc.Result result = Proc.run(Proc.Spec.of(List.of("sh", "-c", "head -c 100000 /dev/zero | tr '\\0' x; echo 'warning: slow' >&2; echo y")),
                Duration.ofSeconds(10));
        assertEquals("x".repeat(100000) + "y\n", result.stdout());
    }

    /** The pair's target closes once, when both are closed; what comes after (a descendant outliving the child) is dropped. */
    @Test
    void aPairClosesItsTargetWhenBothAreClosedAndDropsLateWrites() throws Exception {
        Recording target = new Recording();
        List<String> writes = target.writes;
        List<lib.core.WholeLines> pair = lib.core.WholeLines.pair(target);
        pair.get(1).write("last words".getBytes());
        pair.get(0).close();
        assertEquals(0, target.closes);
        pair.get(1).close();
        pair.get(1).close();
        assertEquals(List.of("last words\n"), writes);
        assertEquals(1, target.closes);
        pair.get(0).write("late\n".getBytes());
        assertEquals(List.of("last words\n"), writes);
    }

    /** A sink that keeps each write it was given as one string, and counts its closes. */
    private static final class Recording extends java.io.OutputStream {
        final List<String> writes = new java.util.ArrayList<>();
        int closes;

        @Override
        public void write(int b) {
            writes.add(String.valueOf((char) b));
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            writes.add(new String(bytes, offset, length, java.nio.charset.StandardCharsets.ISO_8859_1));
        }

        @Override
        public void close() {
            closes++;
        }
    }
}
