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
}
