package lib.report;

import java.util.List;

import lib.core.Secrets;
import lib.report.CellResult.Status;

/** summary.md, also appended to the CI job summary: the matrix as a table and what failed. */
public final class MarkdownReport {
    private MarkdownReport() {}

    public static String render(Report report) {
        StringBuilder md = new StringBuilder("## ").append(report.title()).append("\n\n");
        md.append("Run `").append(report.runId()).append("`: **").append(report.count(Status.PASS)).append(" pass, ")
                .append(report.count(Status.FAIL)).append(" fail, ").append(report.count(Status.UNAVAILABLE))
                .append(" unavailable, ").append(report.count(Status.UNSUPPORTED)).append(" unsupported**").append(report.interrupted() ? " (interrupted)" : "").append("\n\n");
        if (!report.versions().isEmpty()) {
            md.append("Versions under test: ");
            md.append(String.join(", ", report.versions().entrySet().stream()
                    .map(e -> e.getKey() + " `" + e.getValue() + "`").toList())).append("\n\n");
        }
        for (String variant : report.variants()) {
            List<String> tos = report.tos(variant);
            if (!variant.isEmpty()) md.append("### ").append(variant).append("\n\n");
            md.append("| ").append(report.fromLabel()).append(" \\ ").append(report.toLabel()).append(" |");
            tos.forEach(to -> md.append(" ").append(to).append(" |"));
            md.append("\n|---|").append("---|".repeat(tos.size())).append('\n');
            for (String from : report.froms(variant)) {
                md.append("| ").append(from).append(" |");
                for (String to : tos) {
                    md.append(" ").append(report.cell(from, to, variant).map(MarkdownReport::mark).orElse("")).append(" |");
                }
                md.append('\n');
            }
            md.append('\n');
        }
        if (!report.unavailableReasons().isEmpty()) {
            md.append("Unavailable here:\n\n");
            report.unavailableReasons().forEach(r -> md.append("- ").append(Secrets.redact(r)).append('\n'));
            md.append('\n');
        }
        if (!report.failed().isEmpty()) {
            md.append("Failures:\n\n");
            for (CellResult cell : report.failed()) {
                md.append("- **").append(cell.key()).append("**: ").append(Secrets.redact(cell.reason())).append('\n');
                cell.checks().stream().filter(c -> !c.passed())
                        .forEach(c -> md.append("  - ").append(c.name()).append(": ").append(Secrets.redact(c.detail())).append('\n'));
                md.append("  - rerun: `").append(cell.rerun()).append("`\n");
            }
        }
        return md.toString();
    }

    private static String mark(CellResult cell) {
        return switch (cell.status()) {
            case PASS -> cell.firstFrame() == null ? "✅" : String.format("✅ %.1fs", cell.firstFrame().toMillis() / 1000.0);
            case FAIL -> "❌";
            case UNAVAILABLE -> "➖";
            case UNSUPPORTED -> "⊘";
        };
    }
}
