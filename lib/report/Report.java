package lib.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import lib.core.ArtifactFailure;
import lib.core.Concurrently;
import lib.report.CellResult.Status;
import lib.report.Expectations.Expectation;
import lib.report.Expectations.Verdict;

/**
 * Everything a run reports, and the one place the report files are written. Every
 * renderer (terminal, JSON, JUnit XML, Markdown) works from this record alone.
 * fromLabel/toLabel name the two axes ("publisher"/"subscriber"). Every renderer
 * shows a cell's verdict, its status judged against the expectations.
 */
public record Report(String suite, String title, String runId, Instant started, Instant finished, boolean interrupted,
        List<String> args, Map<String, Object> options, Map<String, String> versions,
        String fromLabel, String toLabel, List<CellResult> cells, Path out, Path relayLog, Expectations expectations) {

    /** A report with no expectations: every red cell is a failure. */
    public Report(String suite, String title, String runId, Instant started, Instant finished, boolean interrupted,
            List<String> args, Map<String, Object> options, Map<String, String> versions,
            String fromLabel, String toLabel, List<CellResult> cells, Path out, Path relayLog) {
        this(suite, title, runId, started, finished, interrupted, args, options, versions, fromLabel, toLabel, cells, out, relayLog,
                Expectations.none());
    }

    public long count(Verdict verdict) {
        return cells.stream().filter(c -> verdict(c) == verdict).count();
    }

    /** The day expectations are judged on: the run's start, in local time, as a maintainer reads expires. */
    public LocalDate today() {
        return LocalDate.ofInstant(started, ZoneId.systemDefault());
    }

    public Verdict verdict(CellResult cell) {
        return expectations.verdict(suite, cell, today());
    }

    /** The live entry that made this cell xfail or xpass. */
    public Optional<Expectation> expectation(CellResult cell) {
        Verdict verdict = verdict(cell);
        return verdict == Verdict.XFAIL || verdict == Verdict.XPASS ? expectations.find(suite, cell.key()) : Optional.empty();
    }

    /** The cells with this verdict, in matrix order. */
    public List<CellResult> with(Verdict verdict) {
        return cells.stream().filter(c -> verdict(c) == verdict).toList();
    }

    /** Entries for this run's cells that have expired: each fails the run until renewed or removed. */
    public List<Expectation> expired() {
        return expectations.expired(suite, cells.stream().map(CellResult::key).toList(), today());
    }

    /** A failure the run must exit 1 for: an unexpected red cell, an expired entry, or under --strict an xpass. */
    public boolean failing() {
        return count(Verdict.FAIL) > 0 || !expired().isEmpty() || (expectations.strict() && count(Verdict.XPASS) > 0);
    }

    public Duration wallTime() {
        return Duration.between(started, finished);
    }

    public List<String> variants() {
        return distinct(cells.stream().map(CellResult::variant).toList());
    }

    /** The rows of variant's grid: each axis lists only what that variant's cells use. */
    public List<String> froms(String variant) {
        return distinct(cells.stream().filter(c -> c.variant().equals(variant)).map(CellResult::from).toList());
    }

    public List<String> tos(String variant) {
        return distinct(cells.stream().filter(c -> c.variant().equals(variant)).map(CellResult::to).toList());
    }

    public Optional<CellResult> cell(String from, String to, String variant) {
        return cells.stream().filter(c -> c.from().equals(from) && c.to().equals(to) && c.variant().equals(variant)).findFirst();
    }

    /** The unexpected failures: red cells no live expectation covers. */
    public List<CellResult> failed() {
        return with(Verdict.FAIL);
    }

    /** Each distinct reason a cell has this status, once: why cells were unavailable, or unsupported, here. */
    public List<String> reasons(Status status) {
        return distinct(cells.stream().filter(c -> c.status() == status).map(CellResult::reason).toList());
    }

    /** The cells with something to note beside their status (CellResult.notes()), in matrix order. */
    public List<CellResult> noted() {
        return cells.stream().filter(c -> !c.notes().isEmpty()).toList();
    }

    /** Path relative to the artifacts dir when it lies inside it, for readable reports. */
    public String show(Path path) {
        return from(out, path);
    }

    /** path relative to base when it lies inside it, else absolute. */
    static String from(Path base, Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        Path inside = base.toAbsolutePath().normalize();
        return absolute.startsWith(inside) ? inside.relativize(absolute).toString() : absolute.toString();
    }

    /**
     * Writes results.json, junit.xml, report.html and summary.md, each failed cell's repro.sh (to run from the
     * current directory, where the run started), appends the summary for CI, prints the terminal report.
     * Each file appears whole or not at all: a reader never finds an empty or half-written results.json.
     *
     * @throws ArtifactFailure naming the file that could not be written (a full disk, say)
     */
    public void writeAll() {
        Path dir = create(out);
        // Rendered side by side (each is tens of milliseconds of a run's last moments),
        // written in turn: a renderer that throws stops the writing where it always did.
        Concurrently.Task<String> json = Concurrently.start("report-json", () -> JsonReport.render(this));
        Concurrently.Task<String> junit = Concurrently.start("report-junit", () -> JunitReport.render(this));
        Concurrently.Task<String> html = Concurrently.start("report-html", () -> HtmlReport.render(this));
        Concurrently.Task<String> md = Concurrently.start("report-markdown", () -> MarkdownReport.render(this));
        replace(dir.resolve("results.json"), json.join());
        Repro.writeAll(this, Path.of("").toAbsolutePath());
        replace(dir.resolve("junit.xml"), junit.join());
        replace(dir.resolve("report.html"), html.join());
        String markdown = md.join();
        replace(dir.resolve("summary.md"), markdown);
        String stepSummary = System.getenv("GITHUB_STEP_SUMMARY");
        if (stepSummary != null && !stepSummary.isBlank()) {
            Path summary = Path.of(stepSummary);
            try {
                Files.writeString(summary, markdown + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new ArtifactFailure(summary, e);
            }
        }
        System.out.print(TerminalReport.render(this, System.console() != null && System.getenv("NO_COLOR") == null));
        System.out.flush();
    }

    private static Path create(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new ArtifactFailure(dir, e);
        }
    }

    /**
     * Writes a sibling temp file, then renames it over file: rename is atomic within a dir.
     * The temp file is made like any other (createTempFile would make it private to the user).
     */
    private static void replace(Path file, String content) {
        Path temp = file.resolveSibling("." + file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            Files.writeString(temp, content);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new ArtifactFailure(file, e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // The failure being reported matters more than a stray temp file.
        }
    }

    private static List<String> distinct(List<String> values) {
        Set<String> seen = new LinkedHashSet<>(values);
        return new ArrayList<>(seen);
    }
}
