package lib.report;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import lib.core.Logs;
import lib.report.CellResult.Status;

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
        out.append("\n").append(symbol(Status.PASS, colour)).append(" pass   ").append(symbol(Status.FAIL, colour))
                .append(" fail   ").append(symbol(Status.UNAVAILABLE, colour)).append(" unavailable   ")
                .append(symbol(Status.UNSUPPORTED, colour)).append(" unsupported")
                .append(report.noted().isEmpty() ? "" : "   " + warning(colour) + " see below").append('\n');
        for (String reason : report.reasons(Status.UNAVAILABLE)) out.append("  unavailable: ").append(ReportText.line(reason)).append('\n');
        for (String reason : report.reasons(Status.UNSUPPORTED)) out.append("  unsupported: ").append(ReportText.line(reason)).append('\n');
        if (!report.noted().isEmpty()) out.append('\n');
        for (CellResult cell : report.noted()) {
            for (String note : cell.notes()) {
                out.append(warning(colour)).append(" WARNING ").append(ReportText.line(cell.key())).append(": ")
                        .append(ReportText.line(note)).append('\n');
            }
        }
        for (CellResult cell : report.failed()) failure(report, cell, out);
        if (!report.failed().isEmpty() && report.relayLog() != null) {
            out.append("\nrelay log (last ").append(RELAY_TAIL_LINES).append(" lines of ").append(report.show(report.relayLog())).append("):\n");
            Logs.tail(report.relayLog(), RELAY_TAIL_LINES).forEach(l -> out.append("    ").append(ReportText.line(l)).append('\n'));
        }
        out.append("\ncells: ").append(report.count(Status.PASS)).append(" pass, ").append(report.count(Status.FAIL))
                .append(" fail, ").append(report.count(Status.UNAVAILABLE)).append(" unavailable, ")
                .append(report.count(Status.UNSUPPORTED)).append(" unsupported")
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
                report.cells().stream().filter(c -> c.variant().equals(variant)).mapToInt(c -> cellText(c).length()).max().orElse(0));
        int width = Math.max(9, widest + 2);
        out.append(pad(corner, first));
        tos.forEach(to -> out.append(pad(ReportText.line(to), width)));
        out.append('\n');
        for (String from : froms) {
            out.append(pad(ReportText.line(from), first));
            for (String to : tos) {
                Optional<CellResult> cell = report.cell(from, to, variant);
                String text = cell.map(TerminalReport::cellText).orElse("");
                // Colour replaces the plain mark only, so the padding still counts visible characters.
                out.append(cell.map(c -> symbol(c.status(), colour) + text.substring(1)).orElse(""))
                        .append(" ".repeat(Math.max(1, width - text.length())));
            }
            out.append('\n');
        }
    }

    /** "✓ 1.2s quic ⚠": the mark first (one character, coloured in place), the time, transports, a warning sign. */
    private static String cellText(CellResult cell) {
        StringBuilder text = new StringBuilder(mark(cell.status()));
        if (cell.firstFrame() != null) text.append(String.format(" %.1fs", cell.firstFrame().toMillis() / 1000.0));
        String transports = ReportText.transportsShort(cell.transports());
        if (!transports.isEmpty()) text.append(' ').append(transports);
        if (!cell.notes().isEmpty()) text.append(' ').append(WARNING);
        return text.toString();
    }

    private static String mark(Status status) {
        return switch (status) {
            case PASS -> "✓";
            case FAIL -> "✗";
            case UNAVAILABLE -> "–";
            case UNSUPPORTED -> "○";
        };
    }

    private static String symbol(Status status, boolean colour) {
        if (!colour) return mark(status);
        String code = switch (status) {
            case PASS -> "32";
            case FAIL -> "31";
            case UNAVAILABLE -> "33";
            case UNSUPPORTED -> "90";
        };
        return "\u001b[" + code + "m" + mark(status) + "\u001b[0m";
    }

    private static String warning(boolean colour) {
        return colour ? "\u001b[33m" + WARNING + "\u001b[0m" : WARNING;
    }

    private static void failure(Report report, CellResult cell, StringBuilder out) {
        out.append("\nFAIL ").append(ReportText.line(cell.key())).append(": ").append(ReportText.line(cell.reason())).append('\n');
        if (!cell.transports().isEmpty()) out.append("  transports: ").append(ReportText.transportsLong(cell.transports())).append('\n');
        for (CellResult.Check check : cell.checks()) out.append("  ").append(ReportText.check(check)).append('\n');
        out.append("  rerun: ").append(ReportText.line(cell.rerun())).append('\n');
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
