package lib.report;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import lib.core.Artifact;

/**
 * The outcome of one matrix cell: the single record every report is rendered
 * from. from/to are the two implementations (publisher/subscriber, or
 * generator/verifier); variant is an extra axis such as the token algorithm, or
 * "" when there is none. firstFrame is null unless a frame arrived. transports
 * maps each side ("publisher", "subscriber") to the transport it really used;
 * warnings are findings that don't fail the cell (a crash after the frame).
 * rounds: each round's outcome when the matrix ran more than once (--repeat),
 * else empty. artifacts: what the cell used, as fetched (provenance: version, file,
 * digest), the relay's and both sides'. sources maps each side whose client has a
 * choice of package sources to the one it took ("release", "crate", "local").
 */
public record CellResult(String from, String to, String variant, Status status, String reason,
        Duration firstFrame, List<Path> logs, List<Check> checks, String rerun,
        Map<String, String> transports, List<String> warnings, List<Round> rounds, List<Artifact> artifacts,
        Map<String, String> sources) {

    /** One round of a repeated cell; firstFrame is null unless a frame arrived. */
    public record Round(Status status, String reason, Duration firstFrame) {}

    /** UNAVAILABLE: could not be reached from here. UNSUPPORTED: does not run on this platform. */
    public enum Status { PASS, FAIL, UNAVAILABLE, UNSUPPORTED }

    /** A named sub-check within a cell, e.g. "rejects expired token"; notRun when it could not be tried. */
    public record Check(String name, boolean passed, String detail, boolean notRun) {
        public Check(String name, boolean passed, String detail) {
            this(name, passed, detail, false);
        }

        public static Check notRun(String name, String why) {
            return new Check(name, false, why, true);
        }
    }

    public CellResult {
        logs = List.copyOf(logs);
        checks = List.copyOf(checks);
        reason = reason == null ? "" : reason;
        transports = Map.copyOf(transports);
        warnings = List.copyOf(warnings);
        rounds = List.copyOf(rounds);
        artifacts = List.copyOf(artifacts);
        sources = Map.copyOf(sources);
    }

    public CellResult(String from, String to, String variant, Status status, String reason,
            Duration firstFrame, List<Path> logs, List<Check> checks, String rerun,
            Map<String, String> transports, List<String> warnings, List<Round> rounds, List<Artifact> artifacts) {
        this(from, to, variant, status, reason, firstFrame, logs, checks, rerun, transports, warnings, rounds, artifacts, Map.of());
    }

    public CellResult(String from, String to, String variant, Status status, String reason,
            Duration firstFrame, List<Path> logs, List<Check> checks, String rerun,
            Map<String, String> transports, List<String> warnings, List<Round> rounds) {
        this(from, to, variant, status, reason, firstFrame, logs, checks, rerun, transports, warnings, rounds, List.of());
    }

    public CellResult(String from, String to, String variant, Status status, String reason,
            Duration firstFrame, List<Path> logs, List<Check> checks, String rerun,
            Map<String, String> transports, List<String> warnings) {
        this(from, to, variant, status, reason, firstFrame, logs, checks, rerun, transports, warnings, List.of());
    }

    public CellResult(String from, String to, String variant, Status status, String reason,
            Duration firstFrame, List<Path> logs, List<Check> checks, String rerun) {
        this(from, to, variant, status, reason, firstFrame, logs, checks, rerun, Map.of(), List.of());
    }

    /**
     * One record for a cell that ran several rounds, in round order. A cell is only
     * as good as its worst round: the first round with the worst status (fail, then
     * unavailable, unsupported, pass) gives the status, reason, logs and checks,
     * the reason prefixed with how many rounds failed. firstFrame is the median (the
     * lower middle for an even count) of the rounds that got one. A single round is returned as it is.
     */
    public static CellResult ofRounds(List<CellResult> results) {
        if (results.size() == 1) return results.get(0);
        List<Status> worstFirst = List.of(Status.FAIL, Status.UNAVAILABLE, Status.UNSUPPORTED, Status.PASS);
        CellResult worst = results.stream().min(java.util.Comparator.comparingInt(r -> worstFirst.indexOf(r.status()))).orElseThrow();
        long failed = results.stream().filter(r -> r.status() == Status.FAIL).count();
        String reason = failed == 0 ? worst.reason() : "failed " + failed + " of " + results.size() + " rounds; first: " + worst.reason();
        List<Round> rounds = results.stream().map(r -> new Round(r.status(), r.reason(), r.firstFrame())).toList();
        List<String> warnings = results.stream().flatMap(r -> r.warnings().stream()).distinct().toList();
        return new CellResult(worst.from(), worst.to(), worst.variant(), worst.status(), reason, median(rounds), worst.logs(), worst.checks(),
                worst.rerun(), worst.transports(), warnings, rounds, worst.artifacts(), worst.sources());
    }

    /** "3/5": rounds passed of rounds run; empty for a cell that ran once. */
    public String passRate() {
        if (rounds.isEmpty()) return "";
        return rounds.stream().filter(r -> r.status() == Status.PASS).count() + "/" + rounds.size();
    }

    /** The slowest first frame over the rounds, or null if no round got one. */
    public Duration maxFirstFrame() {
        return rounds.stream().map(Round::firstFrame).filter(java.util.Objects::nonNull).max(Duration::compareTo).orElse(firstFrame);
    }

    private static Duration median(List<Round> rounds) {
        List<Duration> times = rounds.stream().map(Round::firstFrame).filter(java.util.Objects::nonNull).sorted().toList();
        return times.isEmpty() ? null : times.get((times.size() - 1) / 2);
    }

    public String key() {
        return key(from, to, variant);
    }

    /** "rust→js-native-node", "rust→js HS256": how reports, expectations and --rerun-failed name a cell. */
    public static String key(String from, String to, String variant) {
        return from + "→" + to + (variant.isEmpty() ? "" : " " + variant);
    }

    /**
     * What a reader must see even when the status looks fine: the warnings, then,
     * unless the cell failed (a failure lists all its checks), each check that never ran.
     */
    public List<String> notes() {
        List<String> notes = new ArrayList<>(warnings);
        if (status != Status.FAIL) {
            checks.stream().filter(Check::notRun)
                    .forEach(c -> notes.add("check \"" + c.name() + "\" not run" + (c.detail().isEmpty() ? "" : ": " + c.detail())));
        }
        return notes;
    }

    public CellResult withTransports(Map<String, String> used) {
        Map<String, String> all = new LinkedHashMap<>(transports);
        all.putAll(used);
        return new CellResult(from, to, variant, status, reason, firstFrame, logs, checks, rerun, all, warnings, rounds, artifacts, sources);
    }

    public CellResult withSources(Map<String, String> taken) {
        Map<String, String> all = new LinkedHashMap<>(sources);
        all.putAll(taken);
        return new CellResult(from, to, variant, status, reason, firstFrame, logs, checks, rerun, transports, warnings, rounds, artifacts, all);
    }

    public CellResult withWarnings(List<String> more) {
        List<String> all = new ArrayList<>(warnings);
        all.addAll(more);
        return new CellResult(from, to, variant, status, reason, firstFrame, logs, checks, rerun, transports, all, rounds, artifacts, sources);
    }

    /** The same cell with used added to its artifacts, each (name, version, source) once. */
    public CellResult withArtifacts(List<Artifact> used) {
        Map<String, Artifact> all = new LinkedHashMap<>();
        for (Artifact a : artifacts) all.putIfAbsent(a.name() + " " + a.version() + " " + a.source(), a);
        for (Artifact a : used) all.putIfAbsent(a.name() + " " + a.version() + " " + a.source(), a);
        return new CellResult(from, to, variant, status, reason, firstFrame, logs, checks, rerun, transports, warnings, rounds, List.copyOf(all.values()),
                sources);
    }

    public static CellResult unavailable(String from, String to, String variant, String reason, String rerun) {
        return new CellResult(from, to, variant, Status.UNAVAILABLE, reason, null, List.of(), List.of(), rerun);
    }

    public static CellResult unsupported(String from, String to, String variant, String reason, String rerun) {
        return new CellResult(from, to, variant, Status.UNSUPPORTED, reason, null, List.of(), List.of(), rerun);
    }

    /** What a planned cell reports if the run is cut short before it finishes. */
    public static CellResult interrupted(String from, String to, String variant, String rerun) {
        return failed(from, to, variant, "interrupted before this cell finished", List.of(), rerun);
    }

    public static CellResult failed(String from, String to, String variant, String reason, List<Path> logs, String rerun) {
        return new CellResult(from, to, variant, Status.FAIL, reason, null, logs, List.of(), rerun);
    }
}
