package lib;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The outcome of one matrix cell: the single record every report is rendered
 * from. from/to are the two implementations (publisher/subscriber, or
 * generator/verifier); variant is an extra axis such as the token algorithm, or
 * "" when there is none. firstFrame is null unless a frame arrived.
 */
public record CellResult(String from, String to, String variant, Status status, String reason,
        Duration firstFrame, List<Path> logs, List<Check> checks, String rerun) {

    public enum Status { PASS, FAIL, UNAVAILABLE }

    /** A named sub-check within a cell, e.g. "rejects expired token". */
    public record Check(String name, boolean passed, String detail) {}

    public CellResult {
        logs = List.copyOf(logs);
        checks = List.copyOf(checks);
        reason = reason == null ? "" : reason;
    }

    public String key() {
        return from + "→" + to + (variant.isEmpty() ? "" : " " + variant);
    }

    public static CellResult unavailable(String from, String to, String variant, String reason, String rerun) {
        return new CellResult(from, to, variant, Status.UNAVAILABLE, reason, null, List.of(), List.of(), rerun);
    }

    /** What a planned cell reports if the run is cut short before it finishes. */
    public static CellResult interrupted(String from, String to, String variant, String rerun) {
        return failed(from, to, variant, "interrupted before this cell finished", List.of(), rerun);
    }

    public static CellResult failed(String from, String to, String variant, String reason, List<Path> logs, String rerun) {
        return new CellResult(from, to, variant, Status.FAIL, reason, null, logs, List.of(), rerun);
    }
}
