package lib.run;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

import lib.core.ArtifactFailure;
import lib.core.Proc;
import lib.core.Reaper;
import lib.core.Secrets;
import lib.core.Workspace;
import lib.report.CellResult;
import lib.report.Expectations.Verdict;
import lib.report.Expectations;
import lib.report.Report;

/**
 * One run of a matrix: its id, artifacts dir and scratch, the planned cells and
 * the results as they come in. If the run is cut short (Ctrl-C, SIGTERM) a
 * shutdown hook stops every child process and still writes the reports, with the
 * cells that never finished marked as interrupted.
 */
public final class Run implements AutoCloseable {
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneId.systemDefault());

    public final String id;
    public final Workspace workspace;
    private final ArtifactsDir artifacts;
    private final String suite;
    private final String title;
    private final String fromLabel;
    private final String toLabel;
    private final List<String> args;
    private final Map<String, Object> options;
    private final boolean keepScratch;
    private final boolean requireAvailable;
    /** How many rounds each cell runs (--repeat). */
    private final int rounds;
    private final Expectations expectations;
    private final Instant started = Instant.now();
    private final Map<String, String> versions = new ConcurrentHashMap<>();
    /** Each cell's results in the order they came: one per round. */
    private final Map<String, List<CellResult>> results = new ConcurrentHashMap<>();
    private final Object endLock = new Object();
    private final Thread hook;
    private volatile List<CellResult> planned = List.of();
    private volatile boolean interrupted;
    private volatile boolean ended;
    private volatile Path relayLog;

    /** Labels name the two axes, e.g. "publisher"/"subscriber". */
    public record Kind(String suite, String title, String fromLabel, String toLabel) {}

    private Run(Kind kind, Path out, CommonOptions common, List<String> args, Map<String, Object> options) {
        // Read before anything exists, so a bad file leaves nothing behind.
        this.expectations = Expectations.load(common.expectations, common.strict);
        this.id = ID_TIME.format(started) + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff));
        Path dir = out != null ? out : Path.of("out", id);
        // Claimed before anything else exists, so bad input leaves nothing behind.
        this.artifacts = ArtifactsDir.claim(dir, id, out != null ? "--out " + out : "artifacts dir " + dir);
        try {
            this.workspace = Workspace.create(dir, common.keep).withPins(common.pins());
        } catch (RuntimeException e) {
            artifacts.releaseIfUnused();
            throw e;
        }
        this.suite = kind.suite();
        this.title = kind.title();
        this.fromLabel = kind.fromLabel();
        this.toLabel = kind.toLabel();
        this.args = List.copyOf(args);
        this.options = new LinkedHashMap<>(options);
        this.keepScratch = common.keep;
        this.requireAvailable = common.requireAvailable;
        this.rounds = common.repeat();
        this.hook = new Thread(this::onShutdown, "run-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    public static Run start(Kind kind, CommonOptions common, List<String> args, Map<String, Object> options) {
        return new Run(kind, common.out, common, args, options);
    }

    /** The cells this run will report; any not recorded by the end count as interrupted. A cell recorded more than once ran rounds (--repeat). */
    public void plan(List<CellResult> placeholders) {
        planned = List.copyOf(placeholders);
    }

    public void record(CellResult result) {
        if (interrupted) return;
        List<CellResult> recorded = results.computeIfAbsent(result.key(), k -> new CopyOnWriteArrayList<>());
        recorded.add(result);
        // Rounds run one after another, so a cell's nth record is its nth round.
        String round = rounds > 1 ? " [round " + recorded.size() + "/" + rounds + "]" : "";
        System.out.println(progressLine(result, expectations.verdict(suite, result, LocalDate.ofInstant(started, ZoneId.systemDefault()))) + round);
    }

    public void version(String artifact, String version) {
        if (version != null && !version.isBlank()) versions.put(artifact, version);
    }

    public void relayLog(Path log) {
        relayLog = log;
    }

    /** Writes every report and returns the exit code: 0 all passed, 1 otherwise. */
    public int finish() {
        Proc.stopAll(Duration.ofSeconds(1));
        Report report = writeReportsOnce().orElseGet(this::report);
        removeHook();
        boolean failed = report.failing() || (requireAvailable && report.count(Verdict.UNAVAILABLE) > 0);
        return failed ? 1 : 0;
    }

    public Path out() {
        return workspace.out();
    }

    /**
     * Ends a run that never reached finish() because the harness threw (bad input
     * found late, or a harness bug): children stopped, scratch removed, no report,
     * since a report would present the cells as interrupted, and no artifacts dir
     * if nothing was written to it. If a signal is being handled, the shutdown hook
     * reports instead.
     */
    @Override
    public void close() {
        synchronized (endLock) {
            if (ended || interrupted) return;
            ended = true;
        }
        Proc.stopAll(Duration.ZERO);
        // --keep is for looking into the clients of a run that ran: one refused or broken has none worth keeping.
        cleanUp(false);
        artifacts.releaseIfUnused();
        removeHook();
    }

    /**
     * The main thread may be finishing at the very moment a signal arrives. Both
     * paths write under one lock, so whichever comes second waits for the first to
     * finish writing: the JVM halts as soon as the hook returns.
     */
    private void onShutdown() {
        if (ended) {
            Proc.stopAll(Duration.ZERO);
            return;
        }
        interrupted = true;
        System.err.println("\ninterrupted: stopping every child process, then writing the reports");
        Proc.stopAll(Duration.ofSeconds(1));
        try {
            writeReportsOnce();
        } catch (ArtifactFailure e) {
            System.err.println(e.getMessage());
        }
    }

    private Optional<Report> writeReportsOnce() {
        synchronized (endLock) {
            if (ended) return Optional.empty();
            ended = true;
            Report report = report();
            try {
                report.writeAll();
            } finally {
                cleanUp(keepScratch);
            }
            return Optional.of(report);
        }
    }

    private void removeHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook is running or has run; it finds the run ended.
        }
    }

    private Report report() {
        List<CellResult> cells = new ArrayList<>();
        for (CellResult placeholder : planned) {
            List<CellResult> rounds = results.get(placeholder.key());
            cells.add(rounds == null ? placeholder : CellResult.ofRounds(rounds));
        }
        return new Report(suite, title, id, started, Instant.now(), interrupted, args, options, Map.copyOf(versions),
                fromLabel, toLabel, cells, workspace.out(), relayLog, expectations);
    }

    /** After every child is stopped: scratch removed (unless kept), and the reaper has nothing left to do. */
    private void cleanUp(boolean keep) {
        try {
            if (keep) {
                System.err.println("scratch kept: " + workspace.scratch());
            } else {
                workspace.deleteScratch();
            }
        } finally {
            Reaper.release();
        }
    }

    private static String progressLine(CellResult result, Verdict verdict) {
        String time = result.firstFrame() == null ? "" : String.format(" (first frame %.1fs)", result.firstFrame().toMillis() / 1000.0);
        return String.format("%-11s %s%s: %s", verdict.id(), result.key(), time, Secrets.redact(result.reason()));
    }
}
