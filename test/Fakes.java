import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Runs smoke.java (or token.java) as a separate process, the way a user does, but
 * from the classes this test run already built, with fake binaries from
 * test/fakes in place of the published ones.
 */
final class Fakes {
    static final Path RELAY = Path.of("test/fakes/fake-relay").toAbsolutePath();
    static final Path MOQ = Path.of("test/fakes/fake-moq").toAbsolutePath();

    record Outcome(int exitCode, String stdout, String stderr, Path out) {
        JsonNode results() throws IOException {
            return new ObjectMapper().readTree(out.resolve("results.json").toFile());
        }

        String all() {
            return stdout + stderr;
        }
    }

    private Fakes() {}

    static ProcessBuilder command(String mainClass, Path out, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of(javaBinary()));
        command.addAll(ChildJvm.FLAGS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        if (out != null) command.addAll(List.of("--out", out.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(Elsewhere.DIR.toFile());
        builder.environment().putAll(env);
        String path = builder.environment().get("PATH");
        String inherited = System.getenv("PATH");
        if (path != null && inherited != null && path.endsWith(inherited) && Python.DIR.isPresent()) {
            builder.environment().put("PATH", path.substring(0, path.length() - inherited.length()) + Python.DIR.get() + ":" + inherited);
        }
        return builder;
    }

    /** The PATH a fake started in this JVM runs with: this JVM's, with python3 found without a shim (see Python). */
    static String path() {
        return Python.DIR.map(dir -> dir + ":").orElse("") + System.getenv("PATH");
    }

    static Outcome run(String mainClass, Path out, Map<String, String> env, Duration limit, String... args) throws Exception {
        return run(false, mainClass, out, env, limit, args);
    }

    /** showProgress passes the run's stderr (install progress) straight through, for the slow live runs. */
    /** A live smoke run in its own out dir under dir, its progress and report echoed to the test output; limit bounds its wall time. */
    static Outcome liveSmoke(Path dir, Duration limit, String... args) throws Exception {
        Outcome outcome = run(true, "smoke", dir.resolve("out-" + System.nanoTime()), Map.of(), limit, args);
        System.out.print(outcome.stdout());
        return outcome;
    }

    static Outcome run(boolean showProgress, String mainClass, Path out, Map<String, String> env, Duration limit, String... args)
            throws Exception {
        Path stdout = Files.createTempFile("fake-run-", ".out");
        Path stderr = Files.createTempFile("fake-run-", ".err");
        ProcessBuilder builder = command(mainClass, out, env, args).redirectOutput(stdout.toFile());
        Process process = (showProgress ? builder.redirectError(ProcessBuilder.Redirect.INHERIT) : builder.redirectError(stderr.toFile())).start();
        boolean finished = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        try {
            assertTrue(finished, mainClass + " did not finish within " + limit + ": " + Files.readString(stdout));
            return new Outcome(process.exitValue(), Files.readString(stdout), Files.readString(stderr), out);
        } finally {
            // Thousands of runs a day otherwise leave as many files in /tmp.
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }

    /** smoke.java on the path channel with the fake relay and the fake moq CLI. */
    static Outcome smoke(Path out, Map<String, String> env, String... args) throws Exception {
        Map<String, String> all = new java.util.HashMap<>(Map.of("RELAY_BIN", RELAY.toString(), "MOQ_BIN", MOQ.toString()));
        all.putAll(env);
        return run("smoke", out, all, Duration.ofSeconds(90), args);
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * The working directory of every run started here: an empty directory outside this
     * checkout, as for a run from the catalog alias. In the checkout, each run would scan
     * every tracked file for the always-latest policy (FreshnessTest covers that scan) and
     * take up the committed expectations.toml, which names real clients' known breaks,
     * not the fakes'. Every path a test hands a run is absolute.
     */
    static final class Elsewhere {
        static final Path DIR = dir();

        private static Path dir() {
            try {
                Path dir = Files.createTempDirectory("fake-runs-cwd-");
                dir.toFile().deleteOnExit();
                return dir;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /**
     * The python3 the fakes' shebang finds, as a direct link to its interpreter, put in
     * front of the PATH a run inherits from this JVM. A version manager's shim (pyenv's is
     * a bash script that runs several more) costs about 0.4 s per start on a loaded 2-core
     * machine; a fake run starts python about six times, and a slow --version answer runs
     * into the harness's 5 s probe timeout. The interpreter is the same one either way.
     */
    static final class Python {
        static final Optional<Path> DIR = dir();

        private static Optional<Path> dir() {
            try {
                Process which = new ProcessBuilder("python3", "-c", "import sys; print(sys.executable)").redirectErrorStream(true).start();
                String executable = new String(which.getInputStream().readAllBytes()).strip();
                if (which.waitFor() != 0 || executable.isEmpty()) return Optional.empty();
                Path dir = Files.createTempDirectory("fakes-python-");
                Path link = Files.createSymbolicLink(dir.resolve("python3"), Path.of(executable));
                for (Path made : List.of(dir, link)) made.toFile().deleteOnExit();
                return Optional.of(dir);
            } catch (IOException e) {
                return Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    /**
     * JVM flags for the many short smoke/token runs: C1 only, the serial collector and
     * a class-data archive of this classpath, dumped once per test run from the classes
     * a run of smoke against the fakes loaded (a static archive, as ./jbang makes: unlike
     * one recorded at exit it holds picocli's Java 5 classes too). Together they halve a
     * run's CPU (about 4 s to 2 s of user time per fake smoke run on this project's
     * 2-core machine), which most of the unit suite is made of. Without an archive (a
     * JDK that cannot dump one) the runs go on without it.
     */
    static final class ChildJvm {
        /** smoke.java's own //RUNTIME_OPTIONS (the tests run from the checkout's top). */
        static final List<String> SHORT_RUN = runtimeOptions("smoke.java");
        static final List<String> FLAGS = flags();

        /** The JVM options script's //RUNTIME_OPTIONS line gives, as JBang starts it with. */
        static List<String> runtimeOptions(String script) {
            try {
                String line = Files.readAllLines(Path.of(script)).stream().filter(l -> l.startsWith("//RUNTIME_OPTIONS ")).findFirst()
                        .orElseThrow(() -> new IllegalStateException(script + " has no //RUNTIME_OPTIONS"));
                return List.of(line.substring("//RUNTIME_OPTIONS ".length()).strip().split("\\s+"));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        private static List<String> flags() {
            try {
                Path dir = Files.createTempDirectory("fakes-cds-");
                Path classes = dir.resolve("smoke.classlist");
                Path archive = dir.resolve("smoke.jsa");
                Path log = dir.resolve("training.log");
                // deleteOnExit deletes in the reverse order of these calls: the files, then their directory.
                for (Path path : List.of(dir, classes, archive, log)) path.toFile().deleteOnExit();
                List<String> command = new ArrayList<>(List.of(javaBinary()));
                command.addAll(SHORT_RUN);
                command.addAll(List.of("-XX:DumpLoadedClassList=" + classes, "-cp", System.getProperty("java.class.path"), "smoke",
                        "--out", dir.resolve("out").toString(), "--timeout", "10"));
                ProcessBuilder training = new ProcessBuilder(command).directory(Elsewhere.DIR.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
                training.environment().putAll(Map.of("RELAY_BIN", RELAY.toString(), "MOQ_BIN", MOQ.toString()));
                Python.DIR.ifPresent(python -> training.environment().put("PATH", python + ":" + System.getenv("PATH")));
                Process process = training.start();
                if (!process.waitFor(60, TimeUnit.SECONDS)) process.destroyForcibly();
                if (Files.exists(dir.resolve("out"))) {
                    try (var paths = Files.walk(dir.resolve("out"))) {
                        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                    }
                }
                List<String> dump = new ArrayList<>(List.of(javaBinary()));
                dump.addAll(SHORT_RUN);
                dump.addAll(List.of("-Xshare:dump", "-XX:SharedClassListFile=" + classes, "-XX:SharedArchiveFile=" + archive,
                        "-cp", System.getProperty("java.class.path")));
                Process dumping = new ProcessBuilder(dump).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
                if (!dumping.waitFor(60, TimeUnit.SECONDS)) dumping.destroyForcibly();
                if (!Files.isRegularFile(archive)) return SHORT_RUN;
                List<String> flags = new ArrayList<>(SHORT_RUN);
                // A JVM that can't map the archive says so on stdout, where a test reads the run's own lines.
                flags.addAll(List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
                return List.copyOf(flags);
            } catch (IOException e) {
                return SHORT_RUN;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return SHORT_RUN;
            }
        }
    }
}
