package lib.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import lib.core.Logs;
import lib.report.Expectations.Expectation;
import lib.report.Expectations.Verdict;

/**
 * The matrix as text, then what to notice, what went wrong and how to rerun it.
 * Colour only on a terminal, and only ours: everything a client printed goes
 * through ReportText, so its escape sequences show as \x1b instead of acting.
 */
public final class TerminalReport {
    static final int LOG_TAIL_LINES = 25;
    static final int RELAY_TAIL_LINES = 40;
    private static final String WARNING = "⚠";

    private TerminalReport() {}

    public static String render(Report report, boolean colour) {
        StringBuilder out = new StringBuilder("\n").append(report.title()).append(" (run ").append(report.runId()).append(")\n");
        for (String variant : report.variants()) {
            if (!variant.isEmpty()) out.append("\n").append(ReportText.line(variant)).append(":\n");
            grid(report, variant, colour, out);
        }
        out.append("\n").append(symbol(Verdict.PASS, colour)).append(" pass   ").append(symbol(Verdict.FAIL, colour))
                .append(" fail   ").append(symbol(Verdict.UNAVAILABLE, colour)).append(" unavailable   ")
                .append(symbol(Verdict.UNSUPPORTED, colour)).append(" unsupported")
                .append(report.expectations().entries().isEmpty() ? "" : "   " + symbol(Verdict.XFAIL, colour) + " xfail (expected red)   "
                        + symbol(Verdict.XPASS, colour) + " xpass (expected red, passed)")
                .append(report.noted().isEmpty() ? "" : "   " + warning(colour) + " see below").append('\n');
        if (report.cells().stream().anyMatch(c -> !c.rounds().isEmpty())) out.append("  rounds passed/run, first frame median/slowest\n");
        for (String reason : report.reasons(CellResult.Status.UNAVAILABLE)) out.append("  unavailable: ").append(ReportText.line(reason)).append('\n');
        for (String reason : report.reasons(CellResult.Status.UNSUPPORTED)) out.append("  unsupported: ").append(ReportText.line(reason)).append('\n');
        if (!report.noted().isEmpty()) out.append('\n');
        // One line per note: an install's warning stands in every cell of that client.
        Map<String, List<String>> noted = new LinkedHashMap<>();
        for (CellResult cell : report.noted()) {
            for (String note : cell.notes()) noted.computeIfAbsent(note, n -> new ArrayList<>()).add(cell.key());
        }
        noted.forEach((note, keys) -> {
            out.append(warning(colour)).append(" WARNING ");
            if (keys.size() == 1) {
                out.append(ReportText.line(keys.get(0))).append(": ").append(ReportText.line(note));
            } else {
                out.append(ReportText.line(note)).append(" (").append(keys.size()).append(" cells: ").append(ReportText.line(String.join(", ", keys))).append(')');
            }
            out.append('\n');
        });
        expectations(report, out);
        for (CellResult cell : report.failed()) failure(report, cell, out);
        if (!report.failed().isEmpty() && report.relayLog() != null) {
            out.append("\nrelay log (last ").append(RELAY_TAIL_LINES).append(" lines of ").append(report.show(report.relayLog())).append("):\n");
            Logs.tail(report.relayLog(), RELAY_TAIL_LINES).forEach(l -> out.append("    ").append(ReportText.line(l)).append('\n'));
        }
        out.append("\ncells: ").append(ReportText.counts(report))
                .append(report.interrupted() ? " (interrupted)" : "")
                .append(" in ").append(String.format("%.1fs", report.wallTime().toMillis() / 1000.0))
                .append("; reports in ").append(report.out()).append('\n');
        return out.toString();
    }

    private static void grid(Report report, String variant, boolean colour, StringBuilder out) {
        List<String> froms = report.froms(variant);
        List<String> tos = report.tos(variant);
        String corner = report.fromLabel() + " \\ " + report.toLabel();
        int first = Math.max(corner.length(), froms.stream().mapToInt(from -> ReportText.line(from).length()).max().orElse(0)) + 2;
        int widest = Math.max(tos.stream().mapToInt(to -> ReportText.line(to).length()).max().orElse(0),
                report.cells().stream().filter(c -> c.variant().equals(variant)).mapToInt(c -> cellText(report, c).length()).max().orElse(0));
        int width = Math.max(9, widest + 2);
        out.append(pad(corner, first));
        tos.forEach(to -> out.append(pad(ReportText.line(to), width)));
        out.append('\n');
        for (String from : froms) {
            out.append(pad(ReportText.line(from), first));
            for (String to : tos) {
                Optional<CellResult> cell = report.cell(from, to, variant);
                String text = cell.map(c -> cellText(report, c)).orElse("");
                // Colour replaces the plain mark only, so the padding still counts visible characters.
                out.append(cell.map(c -> symbol(report.verdict(c), colour) + text.substring(1)).orElse(""))
                        .append(" ".repeat(Math.max(1, width - text.length())));
            }
            out.append('\n');
        }
    }

    /** "✓ 1.2s quic ⚠": the mark first (one character, coloured in place), xfail or xpass, the time, transports, a warning sign. */
    private static String cellText(Report report, CellResult cell) {
        Verdict verdict = report.verdict(cell);
        StringBuilder text = new StringBuilder(mark(verdict));
        if (verdict == Verdict.XFAIL || verdict == Verdict.XPASS) text.append(' ').append(verdict.id());
        String timing = ReportText.timing(cell);
        if (!timing.isEmpty()) text.append(' ').append(timing);
        String transports = ReportText.transportsShort(cell.transports());
        if (!transports.isEmpty()) text.append(' ').append(transports);
        if (!cell.notes().isEmpty()) text.append(' ').append(WARNING);
        return text.toString();
    }

    private static String mark(Verdict verdict) {
        return switch (verdict) {
            case PASS, XPASS -> "✓";
            case FAIL, XFAIL -> "✗";
            case UNAVAILABLE -> "–";
            case UNSUPPORTED -> "○";
        };
    }

    private static String symbol(Verdict verdict, boolean colour) {
        if (!colour) return mark(verdict);
        String code = switch (verdict) {
            case PASS -> "32";
            case FAIL -> "31";
            case UNAVAILABLE, XFAIL -> "33";
            case UNSUPPORTED -> "90";
            case XPASS -> "35";
        };
        return "\u001b[" + code + "m" + mark(verdict) + "\u001b[0m";
    }

    /**
     * Known-red cells briefly, then what needs the maintainer: an xpass (its entry
     * should go) and an expired entry (renew it or remove it), each prominently.
     */
    private static void expectations(Report report, StringBuilder out) {
        String file = String.valueOf(report.expectations().file());
        for (CellResult cell : report.with(Verdict.XFAIL)) {
            out.append("\nXFAIL ").append(ReportText.line(cell.key())).append(": ").append(ReportText.line(cell.reason()))
                    .append("\n  known: ").append(ReportText.line(report.expectation(cell).map(Expectation::tracking).orElse(""))).append('\n');
        }
        for (CellResult cell : report.with(Verdict.XPASS)) {
            Expectation entry = report.expectation(cell).orElseThrow();
            out.append("\nXPASS ").append(ReportText.line(cell.key())).append(" passed, but ").append(ReportText.line(file)).append(" line ")
                    .append(entry.line()).append(" expects it red (").append(ReportText.line(entry.tracking())).append("): remove this expectation")
                    .append(report.expectations().strict() ? " (fails the run under --strict)" : "").append('\n');
        }
        for (Expectation entry : report.expired()) {
            out.append("\nEXPIRED expectation for ").append(ReportText.line(entry.cell())).append(" (").append(ReportText.line(file))
                    .append(" line ").append(entry.line()).append(") expired on ").append(entry.expires()).append(": renew it or remove it; tracked at ")
                    .append(ReportText.line(entry.tracking())).append('\n');
        }
    }

    /** A path to paste where the report is shown: relative to the working directory when below it, else absolute. */
    static String fromHere(Path path) {
        return Report.from(Path.of(""), path);
    }

    private static String warning(boolean colour) {
        return colour ? "\u001b[33m" + WARNING + "\u001b[0m" : WARNING;
    }

    private static void failure(Report report, CellResult cell, StringBuilder out) {
        out.append("\nFAIL ").append(ReportText.line(cell.key())).append(": ").append(ReportText.line(cell.reason())).append('\n');
        report.expectations().mismatch(report.suite(), cell, report.today()).ifPresent(why -> out.append("  ").append(ReportText.line(why)).append('\n'));
        if (!cell.transports().isEmpty()) out.append("  transports: ").append(ReportText.transportsLong(cell.transports())).append('\n');
        if (!cell.sources().isEmpty()) out.append("  sources: ").append(ReportText.sourcesLong(cell.sources())).append('\n');
        for (CellResult.Check check : cell.checks()) out.append("  ").append(ReportText.check(check)).append('\n');
        out.append("  rerun: ").append(ReportText.line(cell.rerun())).append('\n');
        Repro.path(report, cell).ifPresent(script -> out.append("  replay with the versions it used: bash ").append(fromHere(script)).append('\n'));
        for (Path log : cell.logs()) {
            if (log.equals(report.relayLog())) continue;
            out.append("  ").append(report.show(log)).append(" (last ").append(LOG_TAIL_LINES).append(" lines):\n");
            Logs.tail(log, LOG_TAIL_LINES).forEach(l -> out.append("    ").append(ReportText.line(l)).append('\n'));
        }
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(Math.max(1, width - text.length()));
    }
}
