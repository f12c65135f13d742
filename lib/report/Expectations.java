package lib.report;

//DEPS org.tomlj:tomlj:2.2.0

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

import lib.core.UsageError;
import lib.report.CellResult.Status;

/**
 * Known-red cells (expectations.toml): each entry names a suite and a cell key,
 * the pattern the failure's reason must match, the upstream issue tracking it and
 * the date it expires. A red cell whose reason matches is an expected failure
 * (xfail); a green cell with an entry is an unexpected pass (xpass), whose entry
 * should go; an expired entry fails the run until it is renewed or removed.
 * strict: an xpass fails the run too.
 */
public record Expectations(Path file, List<Expectation> entries, boolean strict) {
    public static final String DEFAULT = "expectations.toml";
    /** Far above any real list; bounds what --expectations can make the harness read. */
    static final long MAX_BYTES = 1 << 20;
    private static final Set<String> KEYS = Set.of("suite", "cell", "reason", "tracking", "expires");
    private static final Set<String> SUITES = Set.of("media", "token");

    /** One [[expect]] entry; line is its first key's line in the file, for messages. */
    public record Expectation(String suite, String cell, Pattern reason, String tracking, LocalDate expires, int line) {
        public boolean expired(LocalDate today) {
            return today.isAfter(expires);
        }

        /** "tracked at URL, expires 2027-01-31", for reports. */
        public String describe() {
            return "expected red (reason matching /" + reason.pattern() + "/), tracked at " + tracking + ", expires " + expires;
        }
    }

    /** How a cell is judged once expectations are applied. */
    public enum Verdict {
        PASS, FAIL, UNAVAILABLE, UNSUPPORTED, XFAIL, XPASS;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Expectations {
        entries = List.copyOf(entries);
    }

    public static Expectations none() {
        return new Expectations(null, List.of(), false);
    }

    /**
     * The file given with --expectations; without one, expectations.toml in the
     * current directory if there is one, else none.
     *
     * @throws UsageError naming the file and line of a bad entry (unknown key, wrong type, bad date or pattern)
     */
    public static Expectations load(Path file, boolean strict) {
        if (file == null) {
            Path local = Path.of(DEFAULT);
            if (!Files.isRegularFile(local)) return new Expectations(null, List.of(), strict);
            file = local;
        }
        String text;
        try {
            if (Files.size(file) > MAX_BYTES) throw new UsageError("expectations " + file + " is over " + MAX_BYTES + " bytes");
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UsageError("cannot read expectations " + file + ": " + e.getMessage());
        }
        return new Expectations(file, parse(text, file.toString()), strict);
    }

    static List<Expectation> parse(String text, String source) {
        TomlParseResult toml = Toml.parse(text);
        if (toml.hasErrors()) {
            TomlParseError error = toml.errors().get(0);
            throw new UsageError(source + " line " + error.position().line() + ": not valid TOML: " + error.getMessage());
        }
        for (String key : toml.keySet()) {
            if (!key.equals("expect")) {
                throw new UsageError(source + " line " + toml.inputPositionOf(key).line() + ": unknown key '" + key + "' (only [[expect]] entries)");
            }
        }
        if (!toml.contains("expect")) return List.of();
        TomlArray array = toml.isArray("expect") ? toml.getArrayOrEmpty("expect") : null;
        List<Expectation> entries = new ArrayList<>();
        for (int i = 0; array != null && i < array.size(); i++) {
            if (!array.isTable(i)) array = null;
            else entries.add(entry(array.getTable(i), source));
        }
        if (array == null) throw new UsageError(source + " line " + toml.inputPositionOf("expect").line() + ": expect must be [[expect]] tables");
        return entries;
    }

    private static Expectation entry(TomlTable table, String source) {
        int line = table.isEmpty() ? 0 : table.keySet().stream().mapToInt(k -> table.inputPositionOf(k).line()).min().orElse(0);
        String at = source + " line " + line;
        for (String key : table.keySet()) {
            if (!KEYS.contains(key)) {
                throw new UsageError(source + " line " + table.inputPositionOf(key).line() + ": unknown key '" + key
                        + "' (valid: suite, cell, reason, tracking, expires)");
            }
        }
        String suite = string(table, "suite", source, at);
        if (!SUITES.contains(suite)) throw new UsageError(lineOf(table, "suite", source) + ": suite must be media or token, not '" + suite + "'");
        String cell = string(table, "cell", source, at);
        String reason = string(table, "reason", source, at);
        Pattern pattern;
        try {
            pattern = Pattern.compile(reason);
        } catch (PatternSyntaxException e) {
            throw new UsageError(lineOf(table, "reason", source) + ": reason is not a valid regex: " + e.getDescription());
        }
        String tracking = string(table, "tracking", source, at);
        if (!tracking.startsWith("https://")) throw new UsageError(lineOf(table, "tracking", source) + ": tracking must be the https:// URL of the upstream issue or PR");
        if (!table.contains("expires")) throw new UsageError(at + ": missing expires (a date like 2027-01-31)");
        if (!table.isLocalDate("expires")) {
            throw new UsageError(lineOf(table, "expires", source) + ": expires must be a TOML date like 2027-01-31 (unquoted)");
        }
        return new Expectation(suite, cell, pattern, tracking, table.getLocalDate("expires"), line);
    }

    private static String string(TomlTable table, String key, String source, String at) {
        if (!table.contains(key)) throw new UsageError(at + ": missing " + key);
        if (!table.isString(key) || table.getString(key).isBlank()) {
            throw new UsageError(lineOf(table, key, source) + ": " + key + " must be a non-empty string");
        }
        return table.getString(key);
    }

    private static String lineOf(TomlTable table, String key, String source) {
        return source + " line " + table.inputPositionOf(key).line();
    }

    /** This suite's entry for the cell with this key, if any. */
    public Optional<Expectation> find(String suite, String key) {
        return entries.stream().filter(e -> e.suite().equals(suite) && e.cell().equals(key)).findFirst();
    }

    /**
     * The cell's verdict: a red cell whose reason the live entry's pattern finds is
     * XFAIL, a green cell with a live entry is XPASS; an expired entry counts for
     * nothing (the run fails on it separately), and neither does one whose pattern
     * misses the reason: the cell broke some other way.
     */
    public Verdict verdict(String suite, CellResult cell, LocalDate today) {
        Optional<Expectation> entry = find(suite, cell.key()).filter(e -> !e.expired(today));
        return switch (cell.status()) {
            case PASS -> entry.isPresent() ? Verdict.XPASS : Verdict.PASS;
            case FAIL -> entry.filter(e -> e.reason().matcher(cell.reason()).find()).isPresent() ? Verdict.XFAIL : Verdict.FAIL;
            case UNAVAILABLE -> Verdict.UNAVAILABLE;
            case UNSUPPORTED -> Verdict.UNSUPPORTED;
        };
    }

    /** Why an entry did not apply to a red cell, for the failure's text: its pattern missed the reason. */
    public Optional<String> mismatch(String suite, CellResult cell, LocalDate today) {
        if (cell.status() != Status.FAIL) return Optional.empty();
        return find(suite, cell.key()).filter(e -> !e.expired(today) && !e.reason().matcher(cell.reason()).find())
                .map(e -> "expected red, but its reason no longer matches /" + e.reason().pattern() + "/ (" + file + " line " + e.line() + ")");
    }

    /** The entries for these cell keys that have expired by today. */
    public List<Expectation> expired(String suite, List<String> keys, LocalDate today) {
        return entries.stream().filter(e -> e.suite().equals(suite) && keys.contains(e.cell()) && e.expired(today)).toList();
    }
}
