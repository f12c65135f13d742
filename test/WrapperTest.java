import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ./jbang wrapper's fast path: it may skip JBang only while nothing the build
 * reads has changed. A tiny script with a //SOURCES glob and a //FILES resource is
 * run through a copy of the wrapper, and every kind of change must show in the output.
 * Tagged toolchain: each case builds with the real JBang and javac, most of a minute of CPU.
 */
@Tag("toolchain")
class WrapperTest {
    @TempDir Path dir;
    private Path project;

    @BeforeEach
    void project() throws Exception {
        project = Files.createDirectories(dir.resolve("project"));
        Files.copy(Path.of("jbang"), project.resolve("jbang"));
        project.resolve("jbang").toFile().setExecutable(true);
        Files.createDirectories(project.resolve("lib"));
        Files.writeString(project.resolve("hello.java"), """
                ///usr/bin/env jbang "$0" "$@" ; exit $?
                //SOURCES lib/*.java
                public class hello {
                    public static void main(String... args) throws Exception {
                        String note = new String(hello.class.getResourceAsStream("/note.txt").readAllBytes()).strip();
                        String extra;
                        try {
                            extra = (String) Class.forName("lib.Extra").getMethod("text").invoke(null);
                        } catch (ClassNotFoundException e) {
                            extra = "-";
                        }
                        System.out.println(lib.Greeting.text() + " " + note + " " + extra + " [" + String.join("|", args) + "]");
                        if (args.length > 0 && args[0].equals("partial")) {
                            java.nio.file.Files.writeString(java.nio.file.Path.of(System.getProperty("moq.smoke.cds.recording") + ".partial"), "");
                        }
                        System.exit(args.length > 0 && args[0].equals("fail") ? 7 : 0);
                    }
                }
                """);
        greeting("one");
        Files.writeString(project.resolve("note.txt"), "note-1\n");
    }

    @Test
    void keptCommandIsUsedOnlyWhileNoBuildInputChanged() throws Exception {
        Run first = run("a b", "c$d 'e'");
        assertEquals("one note-1 - [a b|c$d 'e']", first.out, first.err);
        assertTrue(first.err.contains("asking JBang"), first.err);

        Run again = run("x");
        assertEquals("one note-1 - [x]", again.out, again.err);
        assertTrue(again.err.contains("running the kept java command"), again.err);

        greeting("two");
        Run sourceChanged = run();
        assertEquals("two note-1 - []", sourceChanged.out, sourceChanged.err);
        assertTrue(sourceChanged.err.contains("asking JBang"), sourceChanged.err);

        Files.writeString(project.resolve("note.txt"), "note-2\n");
        Run resourceChanged = run();
        assertEquals("two note-2 - []", resourceChanged.out, resourceChanged.err);

        Files.writeString(project.resolve("lib/Extra.java"), "package lib;\npublic class Extra { public static String text() { return \"extra\"; } }\n");
        Run fileAdded = run();
        assertEquals("two note-2 extra []", fileAdded.out, fileAdded.err);

        Files.delete(project.resolve("lib/Extra.java"));
        Run fileRemoved = run();
        assertEquals("two note-2 - []", fileRemoved.out, fileRemoved.err);
        assertTrue(fileRemoved.err.contains("asking JBang"), fileRemoved.err);

        Run unchanged = run();
        assertTrue(unchanged.err.contains("running the kept java command"), unchanged.err);
    }

    @Test
    void aRunFromAnotherDirectorySeesAnEditUnderASourcesGlob() throws Exception {
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        List<String> command = List.of("../project/jbang", "../project/hello.java");
        assertEquals("one note-1 - []", start(elsewhere, "first", command).call().out);
        greeting("two");
        Run edited = start(elsewhere, "edited", command).call();
        assertEquals("two note-1 - []", edited.out, edited.err);
        assertTrue(edited.err.contains("asking JBang"), edited.err);
    }

    @Test
    void runsStartedTogetherAfterAnEditBuildOneAtATimeAndAllRun() throws Exception {
        run();
        greeting("three");
        List<Callable<Run>> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) runs.add(start(project, "together-" + i, List.of("./jbang", "hello.java")));
        for (Callable<Run> one : runs) {
            Run done = one.call();
            assertEquals(0, done.code, done.err);
            assertEquals("three note-1 - []", done.out, done.err);
        }
    }

    @Test
    void aDeletedJbangCacheAndTheExitCodeAreHandled() throws Exception {
        assertEquals("one note-1 - []", run().out);
        deleteTree(dir.resolve("jbang-cache"));
        Run rebuilt = run();
        assertEquals("one note-1 - []", rebuilt.out, rebuilt.err);
        assertTrue(rebuilt.err.contains("asking JBang"), rebuilt.err);

        Run failing = run("fail");
        assertEquals(7, failing.code);
        assertTrue(failing.err.contains("running the kept java command"), failing.err);
    }

    @Test
    void recordingABuildPrunesTheEntriesOfScriptsThatAreGone() throws Exception {
        Path launch = Files.createDirectories(dir.resolve("cache/jbang-launch"));
        Path elsewhere = Files.createDirectories(dir.resolve("other-clone")).resolve("smoke.java");
        Files.writeString(elsewhere, "");
        Files.writeString(launch.resolve("_gone_smoke.java.cmd"), "key\njava -classpath x y\n" + dir.resolve("deleted-clone/smoke.java") + "\n");
        Files.writeString(launch.resolve("_gone_smoke.java.jsa"), "archive");
        Files.writeString(launch.resolve("_gone_smoke.java.jsa.123"), "pending archive");
        Files.writeString(launch.resolve("_older_wrapper.java.cmd"), "key\njava -classpath x y\n");
        Files.writeString(launch.resolve("_other_smoke.java.cmd"), "key\njava -classpath x y\n" + elsewhere + "\n");
        Files.writeString(launch.resolve("_other_smoke.java.jsa"), "archive");

        assertEquals("one note-1 - []", run().out);
        try (var files = Files.list(launch)) {
            List<String> left = files.map(f -> f.getFileName().toString()).filter(n -> !n.contains("hello")).sorted().toList();
            assertEquals(List.of("_other_smoke.java.cmd", "_other_smoke.java.jsa"), left);
        }
        try (var files = Files.list(launch)) {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().endsWith("hello.java.cmd")), "this script's own entry");
        }
    }

    @Test
    void aCacheDirThatCannotBeMadeIsOneLineAndExitTwo() throws Exception {
        Files.writeString(dir.resolve("cache"), "a file where the cache dir would go\n");
        Run refused = run();
        assertEquals(2, refused.code, refused.err);
        assertEquals("jbang: cannot create the cache dir " + dir.resolve("cache/jbang-launch")
                + " (from MOQ_SMOKE_CACHE, XDG_CACHE_HOME or HOME); point MOQ_SMOKE_CACHE at a writable directory", refused.err.strip());
    }

    @Test
    void theClassDataArchiveIsRecordedOnceAndNeverPrints() throws Exception {
        run();
        Run second = run();
        Path launch = dir.resolve("cache/jbang-launch");
        try (var files = Files.list(launch)) {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().endsWith(".jsa")), "no archive in " + launch);
        }
        Run third = run();
        assertFalse(third.err.contains("recording a class-data-sharing archive"), third.err);
        assertEquals("one note-1 - []", second.out, second.err);
        assertEquals("one note-1 - []", third.out, third.err);
    }

    @Test
    void aRunThatCallsItsArchivePartialIsRecordedAgain() throws Exception {
        run("partial");
        Run afterPartial = run();
        assertTrue(afterPartial.err.contains("recording a class-data-sharing archive"), afterPartial.err);
        Run afterFull = run();
        assertFalse(afterFull.err.contains("recording a class-data-sharing archive"), afterFull.err);
    }

    @Test
    void anArchiveOlderThanAClasspathEntryIsMadeAgain() throws Exception {
        run();
        run();
        Path launch = dir.resolve("cache/jbang-launch");
        Path kept;
        try (var files = Files.list(launch)) {
            kept = files.filter(f -> f.getFileName().toString().endsWith("hello.java.cmd")).findFirst().orElseThrow();
        }
        String classpath = Files.readAllLines(kept).get(1).replaceAll(".* -classpath (\\S+) .*", "$1");
        // A jar fetched or built again after the archive was dumped: the JVM would refuse the archive.
        Path entry = Path.of(classpath.split(":")[0]);
        Files.setLastModifiedTime(entry, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        Run after = run();
        assertEquals("one note-1 - []", after.out, after.err);
        assertTrue(after.err.contains("recording a class-data-sharing archive"), after.err);
    }

    private void greeting(String text) throws Exception {
        Files.writeString(project.resolve("lib/Greeting.java"), """
                package lib;
                //FILES note.txt=../note.txt
                public class Greeting {
                    public static String text() {
                        return "%s";
                    }
                }
                """.formatted(text));
    }

    private record Run(int code, String out, String err) {}

    private Run run(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("./jbang", "hello.java"));
        command.addAll(List.of(args));
        return start(project, "run", command).call();
    }

    /** Starts command in cwd; the call waits for it and returns what it said (in files named after label). */
    private Callable<Run> start(Path cwd, String label, List<String> command) throws Exception {
        Path out = dir.resolve(label + ".out");
        Path err = dir.resolve(label + ".err");
        ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("JBANG_WRAPPER_USE_JAR", "1");
        builder.environment().put("JBANG_WRAPPER_DEBUG", "1");
        builder.environment().put("JBANG_CACHE_DIR", dir.resolve("jbang-cache").toString());
        builder.environment().put("MOQ_SMOKE_CACHE", dir.resolve("cache").toString());
        Process process = builder.start();
        return () -> {
            assertTrue(process.waitFor(180, TimeUnit.SECONDS), "wrapper did not finish");
            return new Run(process.exitValue(), Files.readString(out).strip(), Files.readString(err));
        };
    }

    private static void deleteTree(Path root) throws Exception {
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(path);
        }
    }
}
