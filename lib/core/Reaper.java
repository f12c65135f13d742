package lib.core;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Makes sure nothing a run starts outlives it, however the JVM ends, kill -9 included.
 *
 * <p>Every child carries {@code MOQ_SMOKE_RUN=<run>/<n>} in its environment (Proc sets it),
 * which setsid and double forks do not shed, so a run's processes are found by scanning
 * /proc rather than by following parent links. A sidecar {@code sh} holds the read end of
 * a pipe from the JVM; when it reads end-of-file (the JVM is gone, whatever the cause) it
 * kills every process carrying the run's marker and removes the run's scratch dirs, which
 * are named after the run. A run whose sidecar died too (its process group was killed, the
 * machine lost power) is swept by the next run to start. Finding processes by marker needs
 * /proc (Linux); elsewhere teardown follows the process tree only.
 */
public final class Reaper {
    public static final String VARIABLE = "MOQ_SMOKE_RUN";
    private static final String SCRATCH_PREFIX = "moq-smoke-";
    /** A run is its JVM's pid and start time, unique on a machine; scratch dirs embed it. */
    private static final Pattern RUN = Pattern.compile("(\\d+)-(\\d+)");
    private static final Pattern SCRATCH = Pattern.compile(Pattern.quote(SCRATCH_PREFIX) + RUN.pattern() + "-.*");
    private static final Path PROC = Path.of("/proc");
    private static final String THIS_RUN = ProcessHandle.current().pid() + "-" + started(ProcessHandle.current().pid()).orElseThrow();

    /*
     * $1 the run, $2 the dir holding its scratch dirs. "done" on stdin: the run cleaned up
     * after itself. Signals from the terminal reach the whole process group; the sidecar
     * ignores them and waits for the JVM instead. Killed processes become zombies, whose
     * environ is empty, so the loop ends once all are dead.
     */
    private static final String SIDECAR = """
            trap '' HUP INT TERM QUIT
            while read -r line; do
                [ "$line" = done ] && exit 0
            done
            killed=0
            for _ in 1 2 3 4 5 6 7 8 9 10; do
                pids=
                for f in $(grep -lzx "MOQ_SMOKE_RUN=$1/[0-9]*" /proc/[0-9]*/environ 2>/dev/null); do
                    f=${f#/proc/}
                    pids="$pids ${f%/environ}"
                done
                [ -n "$pids" ] || break
                kill -9 $pids 2>/dev/null
                killed=1
                sleep 0.2
            done
            removed=0
            for dir in "$2/moq-smoke-$1-"*; do
                [ -e "$dir" ] && rm -rf "$dir" && removed=1
            done
            if [ $killed = 1 ] || [ $removed = 1 ]; then
                echo "moq-smoke: the harness (run $1) ended without cleaning up; its processes are killed and its scratch removed" >&2
            fi
            """;

    private static boolean swept;
    private static Process sidecar;
    private static OutputStream lifeline;

    private Reaper() {}

    /** The marker value for one child; Proc gives each child its own number. */
    public static String marker(long child) {
        return THIS_RUN + "/" + child;
    }

    /** The name prefix for this run's scratch dirs in the temp dir, which the sidecar removes. */
    public static String scratchPrefix() {
        return SCRATCH_PREFIX + THIS_RUN + "-";
    }

    /**
     * Starts this JVM's sidecar unless it runs already, and the first time sweeps what
     * earlier, dead runs left behind, on a thread of its own: a run need not wait for that.
     *
     * @throws IllegalStateException if sh cannot be started: running unguarded would
     *         leave children behind on a crash, which is a harness failure
     */
    public static synchronized void ensureStarted() {
        if (lifeline != null) return;
        if (!swept) {
            swept = true;
            new Thread(Reaper::sweepDeadRuns, "reaper-sweep").start();
        }
        Path temp = Path.of(System.getProperty("java.io.tmpdir"));
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", SIDECAR, "moq-smoke-reaper", THIS_RUN, temp.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        // A harness started by another run's Proc inherits that run's marker; the sidecar
        // must not carry it, or that run's teardown would kill it before it does its job.
        builder.environment().remove(VARIABLE);
        // The run's PATH may be a test's handful of fakes; grep, sleep and rm must be found.
        builder.environment().merge("PATH", "/usr/bin:/bin", (given, standard) -> standard + ":" + given);
        try {
            sidecar = builder.start();
            lifeline = sidecar.getOutputStream();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the reaper (/bin/sh): " + e.getMessage(), e);
        }
    }

    /**
     * Tells the sidecar the run cleaned up after itself (children stopped, scratch
     * handled) and waits for it to exit, so no process of the run outlives the JVM even
     * for a moment. The next ensureStarted() starts a new one.
     */
    public static synchronized void release() {
        if (lifeline == null) return;
        try (OutputStream closing = lifeline) {
            closing.write("done\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            // The sidecar is gone already; nothing to tell it.
        }
        try {
            sidecar.waitFor(2, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lifeline = null;
        sidecar = null;
    }

    /** Running processes of this run: every one whose marker starts with this run. */
    public static List<ProcessHandle> ofThisRun() {
        String prefix = THIS_RUN + "/";
        return carrying(value -> value.startsWith(prefix));
    }

    /** Running processes carrying exactly marker: one child and everything it started. */
    public static List<ProcessHandle> carrying(String marker) {
        return carrying(marker::equals);
    }

    /**
     * Kills (SIGKILL) processes of runs whose JVM is gone and removes their scratch dirs:
     * what is left when a run and its sidecar died together.
     */
    static void sweepDeadRuns() {
        // A pid means something only in its own namespace: a run in a container is not dead
        // because its JVM's pid names nobody (or someone else) out here.
        Optional<Path> ours = pidNamespace(ProcessHandle.current().pid());
        for (ProcessHandle orphan : carrying(value -> !alive(value.split("/", 2)[0]))) {
            Optional<Path> theirs = pidNamespace(orphan.pid());
            if (theirs.isPresent() && theirs.equals(ours)) orphan.destroyForcibly();
        }
        Path temp = Path.of(System.getProperty("java.io.tmpdir"));
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(temp, SCRATCH_PREFIX + "*")) {
            for (Path dir : dirs) {
                Matcher name = SCRATCH.matcher(dir.getFileName().toString());
                if (!name.matches() || alive(name.group(1) + "-" + name.group(2))) continue;
                try {
                    deleteTree(dir);
                } catch (UncheckedIOException e) {
                    // Another user's dir, say: not ours to remove.
                }
            }
        } catch (IOException e) {
            // An unreadable temp dir holds nothing of ours to sweep.
        }
    }

    /** Deletes dir and everything in it; entries that vanish meanwhile are fine. */
    public static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(path);
        } catch (NoSuchFileException gone) {
            // Someone (the dead run's own sidecar) got there first.
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * When pid started: clock ticks since boot from /proc (ProcessHandle.info() costs tens
     * of ms, which every run would pay at start), else ms since the epoch. Empty if unknown.
     */
    private static Optional<Long> started(long pid) {
        if (!Files.isDirectory(PROC)) {
            return ProcessHandle.of(pid).flatMap(process -> process.info().startInstant()).map(Instant::toEpochMilli);
        }
        try {
            String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
            return Optional.of(Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19]));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<Path> pidNamespace(long pid) {
        try {
            return Optional.of(Files.readSymbolicLink(PROC.resolve(Long.toString(pid)).resolve("ns/pid")));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return Optional.empty();
        }
    }

    /** True unless run's JVM is provably gone: a process we cannot inspect counts as alive. */
    private static boolean alive(String run) {
        Matcher parts = RUN.matcher(run);
        if (!parts.matches()) return true;
        long pid = Long.parseLong(parts.group(1));
        if (ProcessHandle.of(pid).isEmpty()) return false;
        return started(pid).map(start -> start == Long.parseLong(parts.group(2))).orElse(true);
    }

    private static List<ProcessHandle> carrying(Predicate<String> marker) {
        List<ProcessHandle> found = new ArrayList<>();
        if (!Files.isDirectory(PROC.resolve("self"))) return found;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path entry : entries) {
                Optional<String> value = markerOf(entry);
                if (value.isEmpty() || !marker.test(value.get())) continue;
                ProcessHandle.of(Long.parseLong(entry.getFileName().toString())).filter(Proc::running).ifPresent(found::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    /** The process's MOQ_SMOKE_RUN value; empty if it has none, or is gone, a zombie or not ours to read. */
    private static Optional<String> markerOf(Path procEntry) {
        byte[] environ;
        try {
            environ = Files.readAllBytes(procEntry.resolve("environ"));
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
        String all = new String(environ, StandardCharsets.ISO_8859_1);
        String key = VARIABLE + "=";
        int at = all.startsWith(key) ? 0 : all.indexOf("\0" + key);
        if (at < 0) return Optional.empty();
        int start = at == 0 ? key.length() : at + 1 + key.length();
        int end = all.indexOf('\0', start);
        return Optional.of(all.substring(start, end < 0 ? all.length() : end));
    }
}
