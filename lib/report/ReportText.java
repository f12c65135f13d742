package lib.report;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import lib.core.Secrets;
import lib.report.CellResult.Check;
import lib.report.Expectations.Verdict;

/**
 * Text a client or tool printed (reasons, check details, warnings, log lines,
 * versions), made safe to put in any report: secrets redacted, length capped,
 * and every character a terminal, an XML parser or a UTF-8 encoder would choke
 * on shown as a visible escape: ESC as \x1b, U+FFFE or a lone surrogate as
 * backslash, u and four hex digits.
 */
final class ReportText {
    /**
     * Enough for the first meaningful error with its context; beyond that a
     * client has dumped its whole stderr into one line and the log holds the rest.
     */
    static final int LIMIT = 500;

    private ReportText() {}

    /** One line of someone else's text: redacted, capped at LIMIT characters with an ellipsis, escaped. */
    static String line(String raw) {
        return escape(capped(Secrets.redact(raw == null ? "" : raw)));
    }

    /** "3 pass, 1 fail, 0 unavailable, 0 unsupported", then xfail and xpass when there are any, and expired entries. */
    static String counts(Report report) {
        StringBuilder text = new StringBuilder();
        text.append(report.count(Verdict.PASS)).append(" pass, ").append(report.count(Verdict.FAIL)).append(" fail, ")
                .append(report.count(Verdict.UNAVAILABLE)).append(" unavailable, ").append(report.count(Verdict.UNSUPPORTED)).append(" unsupported");
        if (report.count(Verdict.XFAIL) > 0) text.append(", ").append(report.count(Verdict.XFAIL)).append(" xfail");
        if (report.count(Verdict.XPASS) > 0) text.append(", ").append(report.count(Verdict.XPASS)).append(" xpass");
        if (!report.expired().isEmpty()) text.append(", ").append(report.expired().size()).append(" expired expectation(s)");
        return text.toString();
    }

    /**
     * The cell's timing for a grid: "1.2s" to the first frame; for a repeated
     * cell the rounds passed of those run, then the median and the slowest first
     * frame, "3/5 1.2s/1.9s". Empty when there is nothing to show.
     */
    static String timing(CellResult cell) {
        String median = cell.firstFrame() == null ? "" : String.format("%.1fs", cell.firstFrame().toMillis() / 1000.0);
        if (cell.rounds().isEmpty()) return median;
        return cell.passRate() + (median.isEmpty() ? "" : " " + median + "/" + String.format("%.1fs", cell.maxFirstFrame().toMillis() / 1000.0));
    }

    /** "ok", "FAIL" or "not run": a check that never ran must not read as passed. */
    static String verdict(Check check) {
        return check.notRun() ? "not run" : check.passed() ? "ok" : "FAIL";
    }

    /** "FAIL rejects expired token: accepted it", "ok   ..." (names aligned), for the terminal and JUnit bodies. */
    static String check(Check check) {
        return String.format("%-4s ", verdict(check)) + line(check.name()) + (check.detail().isEmpty() ? "" : ": " + line(check.detail()));
    }

    /**
     * The transports for a grid cell: "quic" when every side used the same one,
     * otherwise only the sides that did not use QUIC (the default a run demands),
     * e.g. "sub: websocket". A publisher's alone is named as the publisher's
     * ("pub: quic"): beside a cross, a bare "quic" would read as the subscriber's.
     */
    static String transportsShort(Map<String, String> transports) {
        if (transports.isEmpty()) return "";
        if (transports.size() == 1 && transports.containsKey("publisher")) return line("pub: " + transports.get("publisher"));
        if (transports.values().stream().distinct().count() == 1) return line(transports.values().iterator().next());
        return new TreeMap<>(transports).entrySet().stream().filter(e -> !e.getValue().equals("quic"))
                .map(e -> line(e.getKey().substring(0, Math.min(3, e.getKey().length())) + ": " + e.getValue()))
                .collect(Collectors.joining(" "));
    }

    /** "publisher quic, subscriber websocket". */
    static String transportsLong(Map<String, String> transports) {
        return perSide(transports);
    }

    /** "subscriber release": the package source of each side with a choice of sources. */
    static String sourcesLong(Map<String, String> sources) {
        return perSide(sources);
    }

    private static String perSide(Map<String, String> values) {
        return new TreeMap<>(values).entrySet().stream().map(e -> line(e.getKey() + " " + e.getValue()))
                .collect(Collectors.joining(", "));
    }

    /**
     * Rendered JSON with what Jackson leaves raw written as JSON's own
     * backslash-u escapes: lone surrogates (no UTF-8 encoder accepts them), DEL, C1 controls,
     * non-characters and bidi overrides (which act on a terminal that cats the file).
     * Such characters only occur inside string literals, so the text parses back the same.
     */
    static String jsonEscaped(String json) {
        StringBuilder out = new StringBuilder(json.length());
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (pair(json, i)) {
                out.append(c).append(json.charAt(++i));
            } else if (c >= 0x7f && unsafe(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String capped(String text) {
        if (text.codePointCount(0, text.length()) <= LIMIT) return text;
        return text.substring(0, text.offsetByCodePoints(0, LIMIT)) + "…";
    }

    /**
     * Tab and printable text kept; newline and CR escaped so one reason stays one
     * line (a bare CR would let a client overwrite what the terminal showed);
     * the other controls as \xHH, everything else unsafe as a backslash-u escape.
     */
    private static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (pair(text, i)) out.append(c).append(text.charAt(++i));
            else if (c == '\n') out.append("\\n");
            else if (c == '\r') out.append("\\r");
            else if (!unsafe(c)) out.append(c);
            else if (c <= 0x9f) out.append(String.format("\\x%02x", (int) c));
            else out.append(String.format("\\u%04x", (int) c));
        }
        return out.toString();
    }

    private static boolean pair(String text, int i) {
        return Character.isHighSurrogate(text.charAt(i)) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
    }

    /**
     * C0 controls but tab, DEL and C1 controls (0x9b is a CSI on some terminals);
     * surrogates (call it on the half of no pair); U+FFFE/U+FFFF, which XML 1.0
     * forbids; bidi overrides and isolates, which reorder what a reader sees.
     */
    private static boolean unsafe(char c) {
        return (c < 0x20 && c != '\t') || (c >= 0x7f && c <= 0x9f) || Character.isSurrogate(c) || c == '\uFFFE' || c == '\uFFFF'
                || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069');
    }
}
