package lib.core;

//DEPS org.zeroturnaround:zt-exec:1.13.0
//DEPS org.slf4j:slf4j-nop:2.0.20
// Awaitility: lib/token and the tests poll with it; declared here with the other process tooling.
//DEPS org.awaitility:awaitility:4.3.0

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.zeroturnaround.exec.ProcessExecutor;
import org.zeroturnaround.exec.StartedProcess;
import org.zeroturnaround.exec.stream.TeeOutputStream;

/**
 * A child process started by the harness, with its output in its own log file.
 * Every Proc is registered while it runs, so a Ctrl-C can stop them all.
 * zt-exec only ever signals the direct child; stopping here takes everything the
 * child started, found by the marker each child inherits (see Reaper), so even a
 * descendant that called setsid and was re-parented away is stopped.
 */
public final class Proc {
    private static final Set<Proc> LIVE = ConcurrentHashMap.newKeySet();
    private static final AtomicLong STARTED = new AtomicLong();
    private static final Duration GONE_POLL = Duration.ofMillis(2);
    /**
     * How long output is waited for once the child exited: a descendant that inherited
     * its stdout or stderr can hold them open long after. onExit() completes by then.
     */
    public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final String label;
    private final String marker;
    private final Process process;
    private final CompletableFuture<Integer> exit;
    private final CompletableFuture<Integer> childExit;

    private Proc(String label, String marker, StartedProcess started, Runnable drained) {
        this.label = label;
        this.marker = marker;
        this.process = started.getProcess();
        this.exit = new CompletableFuture<>();
        this.childExit = process.onExit().thenApply(Process::exitValue);
        // zt-exec's future completes once the output is drained too, which matters to
        // frame probes reading the last bytes a client wrote before it exited; the
        // streams are closed before the exit is known, so whoever waits for it finds
        // the last line in the log.
        Thread waiter = new Thread(() -> {
            int code;
            try {
                code = started.getFuture().get().getExitValue();
            } catch (Exception e) {
                code = process.isAlive() ? -1 : process.exitValue();
            }
            drained.run();
            exit.complete(code);
        }, "wait-" + label);
        waiter.setDaemon(true);
        waiter.start();
    }

    /** What to run: command, extra environment, working directory. */
    public record Spec(List<String> command, Map<String, String> env, Path dir) {
        public Spec {
            command = List.copyOf(command);
            env = Map.copyOf(env);
        }

        public static Spec of(List<String> command) {
            return new Spec(command, Map.of(), null);
        }

        public Spec withEnv(Map<String, String> extra) {
            var merged = new java.util.HashMap<>(env);
            merged.putAll(extra);
            return new Spec(command, merged, dir);
        }
    }

    /** Starts spec with stdout and stderr both appended to log. */
    public static Proc start(String label, Spec spec, Path log, InputStream stdin) {
        OutputStream logStream = openLog(log);
        return start(label, spec, logStream, logStream, stdin);
    }

    /** Starts spec with stdout going to out (for clients whose stdout is data) and stderr to log. */
    public static Proc start(String label, Spec spec, OutputStream out, Path log, InputStream stdin) {
        return start(label, spec, out, openLog(log), stdin);
    }

    /**
     * Starts spec with stdout to out and stderr to err. When they are one sink, each
     * stream reaches it a whole line at a time (see WholeLines).
     */
    public static Proc start(String label, Spec spec, OutputStream stdout, OutputStream stderr, InputStream stdin) {
        List<WholeLines> lines = stdout == stderr ? WholeLines.pair(stdout) : List.of();
        OutputStream out = lines.isEmpty() ? stdout : lines.get(0);
        OutputStream err = lines.isEmpty() ? stderr : lines.get(1);
        Reaper.ensureStarted();
        String marker = Reaper.marker(STARTED.incrementAndGet());
        ProcessExecutor executor = new ProcessExecutor()
                .command(spec.command())
                .environment("NO_COLOR", "1")
                .environment(spec.env())
                .environment(Reaper.VARIABLE, marker)
                .redirectOutput(out)
                .redirectError(err)
                .closeTimeout(CLOSE_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        if (spec.dir() != null) executor.directory(spec.dir().toFile());
        if (stdin != null) executor.redirectInput(stdin);
        try {
            Proc proc = new Proc(label, marker, executor.start(), () -> {
                closeQuietly(out);
                closeQuietly(err);
            });
            LIVE.add(proc);
            // What it left running is still found by the run's marker in stopAll.
            proc.exit.whenComplete((code, error) -> LIVE.remove(proc));
            return proc;
        } catch (IOException e) {
            closeQuietly(out);
            closeQuietly(err);
            throw new UncheckedIOException("cannot start " + spec.command().get(0) + ": " + e.getMessage(), e);
        }
    }

    /** Runs a short tool to completion, killing its tree if it outlives timeout. */
    public static Result run(Spec spec, Duration timeout) {
        return run(spec, null, timeout);
    }

    /**
     * As {@link #run(Spec, Duration)}, with stdin (text, written as given, then closed)
     * as the tool's standard input when not null.
     */
    public static Result run(Spec spec, String stdin, Duration timeout) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        // stdout as written, for what is parsed; both streams a line at a time into all.
        List<WholeLines> lines = WholeLines.pair(all);
        Proc proc;
        try {
            proc = start(spec.command().get(0), spec, new TeeOutputStream(stdout, lines.get(0)), lines.get(1),
                    stdin == null ? null : new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        } catch (UncheckedIOException e) {
            return new Result(-1, e.getMessage(), false);
        }
        Optional<Integer> code = proc.awaitExit(timeout);
        if (code.isEmpty()) proc.stop(Duration.ZERO);
        return new Result(code.orElse(-1), all.toString(StandardCharsets.UTF_8), stdout.toString(StandardCharsets.UTF_8), code.isEmpty());
    }

    /**
     * How a short tool ended. output: stdout and stderr together, whole lines in the
     * order they came; stdout: stdout alone as the tool wrote it, for what is parsed
     * (JSON, versions, flags).
     */
    public record Result(int exitCode, String output, String stdout, boolean timedOut) {
        /** A result whose streams were not kept apart: stdout is all of output. */
        public Result(int exitCode, String output, boolean timedOut) {
            this(exitCode, output, output, timedOut);
        }

        public boolean ok() {
            return exitCode == 0 && !timedOut;
        }

        /** The last non-blank line on either stream: what a failed tool said last. */
        public String lastLine() {
            return last(output);
        }

        /**
         * The tool's answer to a query (--version, a path, a version number): the last
         * line of stdout, or of both streams when stdout is empty.
         */
        public String answer() {
            return stdout.isBlank() ? last(output) : last(stdout);
        }

        private static String last(String text) {
            String[] lines = text.strip().split("\n");
            return lines[lines.length - 1].strip();
        }
    }

    public String label() {
        return label;
    }

    public long pid() {
        return process.pid();
    }

    /** Completes with the exit code once the child exited and its output was read to the end (or CLOSE_TIMEOUT passed). */
    public CompletableFuture<Integer> onExit() {
        return exit;
    }

    /**
     * Completes with the exit code the moment the child exits, before its output is
     * necessarily read to the end (which onExit() waits for).
     */
    public CompletableFuture<Integer> onChildExit() {
        return childExit;
    }

    public Optional<Integer> exitCode() {
        return exit.isDone() ? Optional.of(exit.join()) : Optional.empty();
    }

    public Optional<Integer> awaitExit(Duration timeout) {
        try {
            return Optional.of(exit.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
        } catch (java.util.concurrent.TimeoutException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (java.util.concurrent.ExecutionException e) {
            return Optional.of(-1);
        }
    }

    /**
     * Stops the process and everything it started: SIGTERM, then SIGKILL for whatever
     * is still running after grace (moq-cli is known to ignore SIGTERM), again until
     * nothing carrying this child's marker is left, so a process forked meanwhile goes too.
     */
    public void stop(Duration grace) {
        if (!grace.isZero()) {
            List<ProcessHandle> members = members();
            members.forEach(ProcessHandle::destroy);
            awaitGone(members, grace);
        }
        killAll(this::members);
        awaitExit(Duration.ofSeconds(5));
        LIVE.remove(this);
    }

    /**
     * Stops every child still running, then kills anything else of this run: what children
     * that already exited left behind. Used on the way out, whatever the reason.
     */
    public static void stopAll(Duration grace) {
        List<Proc> all = new ArrayList<>(LIVE);
        all.parallelStream().forEach(p -> p.stop(grace));
        killAll(Reaper::ofThisRun);
    }

    public static int liveCount() {
        return (int) LIVE.stream().filter(p -> running(p.process.toHandle())).count();
    }

    /**
     * The child and its descendants, running: by marker, and by parent links for one that
     * cleared its environment or where there is no /proc.
     */
    private List<ProcessHandle> members() {
        Set<ProcessHandle> members = new LinkedHashSet<>(Reaper.carrying(marker));
        process.descendants().forEach(members::add);
        members.add(process.toHandle());
        return members.stream().filter(Proc::running).toList();
    }

    /** SIGKILL, rounds apart, until found() comes back empty; gives up after about 5 s. */
    private static void killAll(Supplier<List<ProcessHandle>> found) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        List<ProcessHandle> left = found.get();
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            left.forEach(ProcessHandle::destroyForcibly);
            awaitGone(left, Duration.ofSeconds(1));
            left = found.get();
        }
    }

    /**
     * Waits until none of tree runs, looking every GONE_POLL: a signalled process is
     * usually gone within a millisecond or two, and every stop in a run's teardown
     * (subscriber, publisher, relay, the last sweep) waits here in turn. Returns at
     * atMost; the caller escalates or gives up.
     */
    private static void awaitGone(List<ProcessHandle> tree, Duration atMost) {
        long until = System.nanoTime() + atMost.toNanos();
        while (tree.stream().anyMatch(Proc::running) && System.nanoTime() < until) {
            try {
                Thread.sleep(GONE_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * True while the process can still run. ProcessHandle.isAlive() is also true for
     * zombies (killed but not yet reaped), so on Linux the state in /proc decides.
     */
    public static boolean running(ProcessHandle handle) {
        Path stat = Path.of("/proc", Long.toString(handle.pid()), "stat");
        if (!Files.exists(Path.of("/proc/self/stat"))) return handle.isAlive();
        try {
            String content = Files.readString(stat);
            char state = content.charAt(content.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static OutputStream openLog(Path log) {
        try {
            Files.createDirectories(log.getParent());
            return Files.newOutputStream(log, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void closeQuietly(OutputStream stream) {
        try {
            stream.close();
        } catch (IOException ignored) {
            // The log is complete as far as it goes.
        }
    }
}
