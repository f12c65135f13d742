import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Command;

import lib.core.ArtifactFailure;
import lib.core.Cli;
import lib.report.CellResult;
import lib.report.Report;

/** The harness's own failures (a full disk, a java.lang.Error) are exit 3 with one line, never a red cell or exit 1. */
class HarnessFailureTest {
    @TempDir Path dir;

    @Test
    void aFullDiskDuringARunIsExit3WithOneLineAndNoHalfReport() throws Exception {
        try (Tmpfs disk = Tmpfs.mount(dir.resolve("disk"), "size=64k").leaving(8192)) {
            Fakes.Outcome outcome = smoke(disk.dir.resolve("run"), Map.of());
            assertEquals(3, outcome.exitCode(), outcome.all());
            assertOneLine(outcome.stderr(), "smoke: no space left on device: ");
            if (Files.exists(outcome.out().resolve("results.json"))) assertEquals(1, outcome.results().get("cells").size(), "a complete results.json");
            assertNoScratch();
        }
    }

    @Test
    void aReportThatCannotBeWrittenIsExit3WithOneLineAndScratchRemoved() throws Exception {
        Fakes.Outcome outcome = smoke(dir.resolve("out"), Map.of("GITHUB_STEP_SUMMARY", "/dev/full"));
        assertEquals(3, outcome.exitCode(), outcome.all());
        assertOneLine(outcome.stderr(), "smoke: no space left on device: /dev/full");
        assertEquals("pass", outcome.results().get("cells").get(0).get("status").asText(), "results.json was written whole before the summary failed");
        assertNoScratch();
    }

    /** smoke.java with the fakes and its temp dir (where scratch goes) inside this test's dir. */
    private Fakes.Outcome smoke(Path out, Map<String, String> env, String... args) throws Exception {
        Path temp = Files.createDirectories(dir.resolve("tmp"));
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + temp);
        List<String> given = new java.util.ArrayList<>(List.of("--timeout", "10"));
        given.addAll(List.of(args));
        return Fakes.smoke(out, all, given.toArray(String[]::new));
    }

    @Test
    void aTempDirWithoutRoomForTheScratchDirIsExit3WithOneLine() throws Exception {
        Path notADir = Files.writeString(dir.resolve("not-a-dir"), "");
        Fakes.Outcome outcome = Fakes.smoke(dir.resolve("out"), Map.of("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + notADir), "--timeout", "10");
        assertEquals(3, outcome.exitCode(), outcome.all());
        assertOneLine(outcome.stderr(), "smoke: Not a directory: the run's scratch dir in " + notADir);
        assertFalse(Files.exists(dir.resolve("out")), "no artifacts dir");
    }

    @Test
    void badInputFoundWithKeepGivenLeavesNoScratchEither() throws Exception {
        Fakes.Outcome outcome = smoke(dir.resolve("out"), Map.of("RELAY_BIN", dir.resolve("nowhere/moq-relay").toString()), "--keep");
        assertEquals(2, outcome.exitCode(), outcome.all());
        assertOneLine(outcome.stderr(), "smoke: RELAY_BIN=");
        try (Stream<Path> left = Files.list(dir.resolve("tmp"))) {
            assertEquals(List.of(), left.toList(), "nothing in the temp dir, a kept scratch dir included");
        }
        assertFalse(Files.exists(dir.resolve("out")), "no artifacts dir");
    }

    @Test
    void reportsAreWrittenWholeOrNotAtAll() throws Exception {
        try (Tmpfs disk = Tmpfs.mount(dir.resolve("disk"), "size=64k").leaving(0)) {
            Report report = new Report("media", "moq smoke: media matrix", "run-1", Instant.now(), Instant.now(), false, List.of(), Map.of(),
                    Map.of(), "publisher", "subscriber", List.of(CellResult.interrupted("rust", "rust", "", "rerun")), disk.dir, null);
            ArtifactFailure failure = assertThrows(ArtifactFailure.class, report::writeAll);
            assertEquals("no space left on device: " + disk.dir.resolve("results.json"), failure.getMessage());
            try (Stream<Path> files = Files.list(disk.dir)) {
                assertEquals(List.of(disk.dir.resolve("filler")), files.toList(), "no empty results.json, no temp file");
            }
        }
    }

    @Command(name = "overflow")
    static final class Overflow implements Callable<Integer> {
        @Override
        public Integer call() {
            return depth(0);
        }

        private static int depth(int n) {
            return depth(n + 1) + 1;
        }

        public static void main(String... args) {
            System.exit(Cli.execute(new Overflow(), args));
        }
    }

    @Command(name = "hog")
    static final class Hog implements Callable<Integer> {
        @Override
        public Integer call() {
            return new long[Integer.MAX_VALUE].length;
        }

        public static void main(String... args) {
            System.exit(Cli.execute(new Hog(), args));
        }
    }

    @Test
    void aJavaLangErrorIsTheHarnessFailingNotExit1() throws Exception {
        for (Class<?> main : List.of(Overflow.class, Hog.class)) {
            Process process = Fakes.command(main.getName(), null, Map.of()).redirectErrorStream(true).redirectOutput(dir.resolve("console").toFile()).start();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS));
            String console = Files.readString(dir.resolve("console"));
            assertEquals(3, process.exitValue(), console.lines().limit(5).toList().toString());
            assertTrue(console.contains(": the harness itself failed (not a cell verdict):"), console.lines().limit(5).toList().toString());
        }
    }

    private static void assertOneLine(String stderr, String prefix) {
        List<String> said = stderr.lines().filter(line -> line.startsWith("smoke:") || line.contains("Exception") || line.startsWith("\tat ")).toList();
        assertEquals(1, said.size(), stderr);
        assertTrue(said.get(0).startsWith(prefix), stderr);
    }

    private void assertNoScratch() throws IOException {
        try (Stream<Path> left = Files.list(dir.resolve("tmp"))) {
            assertEquals(List.of(), left.filter(p -> p.getFileName().toString().startsWith("moq-smoke-")).toList(), "scratch left behind");
        }
    }
}
