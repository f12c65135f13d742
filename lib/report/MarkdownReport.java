package lib.report;

import java.util.List;

import lib.core.Artifact;
import lib.report.CellResult.Status;
import lib.report.Expectations.Expectation;
import lib.report.Expectations.Verdict;

/**
 * summary.md, also appended to the CI job summary: the matrix as a table, what to
 * notice and what failed. GitHub renders it with inline HTML, so everything a
 * client printed is escaped (md, code) before it lands here.
 */
public final class MarkdownReport {
    private MarkdownReport() {}

    public static String render(Report report) {
        StringBuilder md = new StringBuilder("## ").append(md(report.title())).append("\n\n");
        md.append("Run ").append(code(report.runId())).append(": **").append(md(ReportText.counts(report))).append("**").append(report.interrupted() ? " (interrupted)" : "").append("\n\n");
        if (!report.versions().isEmpty()) {
            md.append("Versions under test: ");
            md.append(String.join(", ", report.versions().entrySet().stream()
                    .map(e -> md(e.getKey()) + " " + code(e.getValue())).toList())).append("\n\n");
        }
        for (String variant : report.variants()) {
            List<String> tos = report.tos(variant);
            if (!variant.isEmpty()) md.append("### ").append(md(variant)).append("\n\n");
            md.append("| ").append(md(report.fromLabel())).append(" \\ ").append(md(report.toLabel())).append(" |");
            tos.forEach(to -> md.append(" ").append(md(to)).append(" |"));
            md.append("\n|---|").append("---|".repeat(tos.size())).append('\n');
            for (String from : report.froms(variant)) {
                md.append("| ").append(md(from)).append(" |");
                for (String to : tos) {
                    md.append(" ").append(report.cell(from, to, variant).map(c -> mark(report, c)).orElse("")).append(" |");
                }
                md.append('\n');
            }
            md.append('\n');
        }
        if (!report.noted().isEmpty()) {
            md.append("**⚠️ Warnings:**\n\n");
            for (CellResult cell : report.noted()) {
                cell.notes().forEach(note -> md.append("- ⚠️ **").append(md(cell.key())).append("**: ").append(md(note)).append('\n'));
            }
            md.append('\n');
        }
        reasons(md, "Unavailable here:", "➖", report.reasons(Status.UNAVAILABLE));
        reasons(md, "Unsupported here:", "⊘", report.reasons(Status.UNSUPPORTED));
        expectations(report, md);
        if (!report.failed().isEmpty()) {
            md.append("Failures:\n\n");
            for (CellResult cell : report.failed()) {
                md.append("- **").append(md(cell.key())).append("**: ").append(md(cell.reason())).append('\n');
                report.expectations().mismatch(report.suite(), cell, report.today()).ifPresent(why -> md.append("  - ").append(md(why)).append('\n'));
                if (!cell.transports().isEmpty()) md.append("  - transports: ").append(md(ReportText.transportsLong(cell.transports()))).append('\n');
                if (!cell.sources().isEmpty()) md.append("  - sources: ").append(md(ReportText.sourcesLong(cell.sources()))).append('\n');
                cell.checks().stream().filter(c -> !c.passed()).forEach(c -> md.append("  - ").append(ReportText.verdict(c)).append(' ')
                        .append(md(c.name())).append(c.detail().isEmpty() ? "" : ": " + md(c.detail())).append('\n'));
                md.append("  - rerun: ").append(code(cell.rerun())).append('\n');
                Repro.path(report, cell).ifPresent(script -> md.append("  - replay with the versions it used: ").append(code(report.show(script))).append('\n'));
            }
            md.append('\n');
        }
        provenance(report, md);
        return md.toString();
    }

    /** Every artifact the cells used, once, with the file and digest that was fetched. */
    private static void provenance(Report report, StringBuilder md) {
        List<Artifact> all = Repro.distinct(report.cells());
        if (all.isEmpty()) return;
        md.append("<details><summary>Provenance: what was fetched</summary>\n\n| artifact | version | source | file | digest |\n|---|---|---|---|---|\n");
        for (Artifact a : all) {
            md.append("| ").append(md(a.name())).append(" | ").append(md(a.version())).append(" | ").append(a.source().id()).append(" | ")
                    .append(md(a.file())).append(" | ").append(a.known() ? code(a.digestText()) : md(a.digestText())).append(" |\n");
        }
        md.append("\n</details>\n");
    }

    /** Each item starts with the sign, so a reason is never read as a heading or a list marker. */
    private static void reasons(StringBuilder md, String title, String sign, List<String> reasons) {
        if (reasons.isEmpty()) return;
        md.append(title).append("\n\n");
        reasons.forEach(r -> md.append("- ").append(sign).append(' ').append(md(r)).append('\n'));
        md.append('\n');
    }

    /** Known-red cells, and what needs the maintainer: an xpass's entry should go, an expired one be renewed or removed. */
    private static void expectations(Report report, StringBuilder md) {
        if (!report.with(Verdict.XFAIL).isEmpty()) {
            md.append("Expected failures (xfail):\n\n");
            for (CellResult cell : report.with(Verdict.XFAIL)) {
                md.append("- **").append(md(cell.key())).append("**: ").append(md(cell.reason())).append(" (")
                        .append(md(report.expectation(cell).map(Expectation::tracking).orElse(""))).append(")\n");
            }
            md.append('\n');
        }
        for (CellResult cell : report.with(Verdict.XPASS)) {
            Expectation entry = report.expectation(cell).orElseThrow();
            md.append("**XPASS ").append(md(cell.key())).append("**: passed, but expected red (").append(md(entry.tracking()))
                    .append("): remove this expectation (line ").append(entry.line()).append(")\n\n");
        }
        for (Expectation entry : report.expired()) {
            md.append("**EXPIRED expectation** for ").append(md(entry.cell())).append(" (line ").append(entry.line()).append(", ")
                    .append(md(entry.tracking())).append(") expired on ").append(entry.expires()).append(": renew it or remove it\n\n");
        }
    }

    private static String mark(Report report, CellResult cell) {
        StringBuilder mark = new StringBuilder(switch (report.verdict(cell)) {
            case PASS -> "✅";
            case FAIL -> "❌";
            case UNAVAILABLE -> "➖";
            case UNSUPPORTED -> "⊘";
            case XFAIL -> "❌ xfail";
            case XPASS -> "✅ xpass";
        });
        String timing = ReportText.timing(cell);
        if (!timing.isEmpty()) mark.append(' ').append(md(timing));
        String transports = ReportText.transportsShort(cell.transports());
        if (!transports.isEmpty()) mark.append(' ').append(md(transports));
        if (!cell.notes().isEmpty()) mark.append(" ⚠️");
        return mark.toString();
    }

    /**
     * Inline text: HTML's specials as entities (no <script>, no <img onerror>),
     * Markdown's as backslash escapes: emphasis, links, code spans, and the pipe,
     * which ends a table cell even inside a code span.
     */
    static String md(String raw) {
        String text = ReportText.line(raw);
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '\\', '`', '*', '_', '[', ']', '|', '~' -> out.append('\\').append(c);
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * A code span that no backtick inside can close: the fence is one backtick
     * longer than the longest run inside. Not for table cells (a pipe still ends them).
     */
    static String code(String raw) {
        String text = ReportText.line(raw);
        int longest = 0;
        int run = 0;
        for (char c : text.toCharArray()) {
            run = c == '`' ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        String fence = "`".repeat(longest + 1);
        String pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
        return fence + pad + text + pad + fence;
    }
}
