package lib.report;

import java.nio.file.Path;
import java.util.List;

import lib.core.Logs;
import lib.core.Secrets;
import lib.report.CellResult.Status;

/** The matrix as text, then what went wrong and how to rerun it. Colour only on a terminal. */
public final class TerminalReport {
    static final int LOG_TAIL_LINES = 25;
    static final int RELAY_TAIL_LINES = 40;

    private TerminalReport() {}

    public static String render(Report report, boolean colour) {
        StringBuilder out = new StringBuilder("\n").append(report.title()).append(" (run ").append(report.runId()).append(")\n");
        for (String variant : report.variants()) {
            if (!variant.isEmpty()) out.append("\n").append(variant).append(":\n");
            grid(report, variant, colour, out);
        }
        out.append("\n").append(symbol(Status.PASS, colour)).append(" pass   ").append(symbol(Status.FAIL, colour))
                .append(" fail   ").append(symbol(Status.UNAVAILABLE, colour)).append(" unavailable   ")
                .append(symbol(Status.UNSUPPORTED, colour)).append(" unsupported\n");
        for (String reason : report.unavailableReasons()) out.append("  unavailable: ").append(Secrets.redact(reason)).append('\n');
        for (CellResult cell : report.failed()) failure(report, cell, out);
        if (!report.failed().isEmpty() && report.relayLog() != null) {
            out.append("\nrelay log (last ").append(RELAY_TAIL_LINES).append(" lines of ").append(report.show(report.relayLog())).append("):\n");
            Logs.tail(report.relayLog(), RELAY_TAIL_LINES).forEach(l -> out.append("    ").append(l).append('\n'));
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
        int first = Math.max(corner.length(), froms.stream().mapToInt(String::length).max().orElse(0)) + 2;
        int width = Math.max(9, tos.stream().mapToInt(String::length).max().orElse(0) + 2);
        out.append(pad(corner, first));
        tos.forEach(to -> out.append(pad(to, width)));
        out.append('\n');
        for (String from : froms) {
            out.append(pad(from, first));
            for (String to : tos) {
                String text = report.cell(from, to, variant).map(TerminalReport::cellText).orElse("");
                String shown = report.cell(from, to, variant).map(c -> symbol(c.status(), colour) + text.substring(1)).orElse("");
                out.append(shown).append(" ".repeat(Math.max(1, width - text.length())));
            }
            out.append('\n');
        }
    }

    private static String cellText(CellResult cell) {
        String mark = switch (cell.status()) {
            case PASS -> "✓";
            case FAIL -> "✗";
            case UNAVAILABLE -> "–";
            case UNSUPPORTED -> "○";
        };
        return cell.firstFrame() == null ? mark : mark + String.format(" %.1fs", cell.firstFrame().toMillis() / 1000.0);
    }

    private static String symbol(Status status, boolean colour) {
        String mark = switch (status) {
            case PASS -> "✓";
            case FAIL -> "✗";
            case UNAVAILABLE -> "–";
            case UNSUPPORTED -> "○";
        };
        if (!colour) return mark;
        String code = switch (status) {
            case PASS -> "32";
            case FAIL -> "31";
            case UNAVAILABLE -> "33";
            case UNSUPPORTED -> "90";
        };
        return "\u001b[" + code + "m" + mark + "\u001b[0m";
    }

    private static void failure(Report report, CellResult cell, StringBuilder out) {
        out.append("\nFAIL ").append(cell.key()).append(": ").append(Secrets.redact(cell.reason())).append('\n');
        for (CellResult.Check check : cell.checks()) {
            out.append("  ").append(check.passed() ? "ok   " : "FAIL ").append(check.name())
                    .append(check.detail().isEmpty() ? "" : ": " + Secrets.redact(check.detail())).append('\n');
        }
        out.append("  rerun: ").append(cell.rerun()).append('\n');
        for (Path log : cell.logs()) {
            if (log.equals(report.relayLog())) continue;
            out.append("  ").append(report.show(log)).append(" (last ").append(LOG_TAIL_LINES).append(" lines):\n");
            Logs.tail(log, LOG_TAIL_LINES).forEach(l -> out.append("    ").append(l).append('\n'));
        }
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(Math.max(1, width - text.length()));
    }
}
