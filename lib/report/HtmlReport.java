package lib.report;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import lib.core.Artifact;
import lib.report.CellResult.Check;
import lib.report.Expectations.Expectation;
import lib.report.Expectations.Verdict;

/**
 * report.html: the run as one self-contained page (no script, font or style sheet
 * from anywhere, so it reads offline from the artifacts folder). A header with the
 * run, its options, every version under test and the counts; then one coloured
 * grid per variant, publishers by subscribers (or generators by verifiers), each
 * cell showing its status, time to first frame and transport, and opening, on a
 * click, to the reason, the named checks, the warnings, the rerun command and
 * links to its logs. Everything a client printed is escaped.
 */
public final class HtmlReport {
    private static final String STYLE = """
            body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222;background:#fafafa}
            h1{font-size:1.3em;margin:0 0 .3em}h2{font-size:1.1em;margin:1.2em 0 .4em}
            table.grid{border-collapse:collapse;margin:.5em 0}table.grid th,table.grid td{border:1px solid #ccc;padding:.3em .5em;vertical-align:top}
            table.grid th{background:#eee;text-align:left}td.cell{min-width:9em}
            td.pass{background:#d9f2d9}td.fail{background:#f8d0d0}td.unavailable{background:#f5ecc8}td.unsupported{background:#e4e4e4}td.xfail{background:#f3dcc0}td.xpass{background:#e6d4f2}
            td.cell summary{cursor:pointer;font-weight:600}td.cell .meta{font-weight:400;color:#555}
            td.cell details[open]{min-width:24em}.reason{white-space:pre-wrap;word-break:break-word}
            .warn{color:#8a5200}code{background:#f0f0f0;padding:0 .2em;word-break:break-all}ul{margin:.2em 0;padding-left:1.2em}
            dl.meta{display:grid;grid-template-columns:max-content auto;gap:.1em 1em;margin:.4em 0}dl.meta dt{font-weight:600}
            .counts span{margin-right:1em}details.versions>summary{cursor:pointer;font-size:1.1em;font-weight:600;margin:.8em 0 .4em}""";

    /** Up to this many versions are listed open; more are folded under their count. */
    private static final int OPEN_VERSIONS = 12;

    private HtmlReport() {}

    public static String render(Report report) {
        StringBuilder html = new StringBuilder("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width\"><title>").append(h(report.title())).append(" ")
                .append(h(report.runId())).append("</title><style>").append(STYLE).append("</style></head><body>\n");
        header(report, html);
        for (String variant : report.variants()) grid(report, variant, html);
        html.append("</body></html>\n");
        return html.toString();
    }

    private static void header(Report report, StringBuilder html) {
        html.append("<h1>").append(h(report.title())).append("</h1>\n<dl class=\"meta\">")
                .append("<dt>run</dt><dd><code>").append(h(report.runId())).append("</code>").append(report.interrupted() ? " (interrupted)" : "").append("</dd>")
                .append("<dt>started</dt><dd>").append(h(report.started().toString())).append("</dd>")
                .append("<dt>wall time</dt><dd>").append(seconds(report.wallTime())).append("</dd>")
                .append("<dt>command</dt><dd><code>").append(h(String.join(" ", report.args()))).append("</code></dd>");
        // An option left unset (null, false, an empty list) says nothing a reader needs; results.json keeps them all.
        report.options().forEach((name, value) -> {
            if (value == null || Boolean.FALSE.equals(value) || (value instanceof java.util.Collection<?> c && c.isEmpty())) return;
            html.append("<dt>--").append(h(name)).append("</dt><dd>").append(h(String.valueOf(value))).append("</dd>");
        });
        html.append("</dl>\n<p class=\"counts\" id=\"counts\">");
        for (Verdict verdict : Verdict.values()) {
            html.append("<span>").append(report.count(verdict)).append(' ').append(verdict.id()).append("</span>");
        }
        html.append("</p>\n");
        // A --full run lists some fifty artifacts: folded, so the matrix is on the first screen.
        int versions = report.versions().size();
        html.append("<details class=\"versions\"").append(versions <= OPEN_VERSIONS ? " open" : "").append("><summary>Versions under test (")
                .append(versions).append(")</summary>\n<dl class=\"meta\" id=\"versions\">");
        report.versions().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> html.append("<dt>").append(h(e.getKey())).append("</dt><dd><code>").append(h(e.getValue())).append("</code></dd>"));
        html.append("</dl></details>\n");
        for (CellResult cell : report.with(Verdict.XPASS)) {
            html.append("<p class=\"warn\" id=\"xpass\">XPASS ").append(h(cell.key())).append(": passed, but expected red (")
                    .append(h(report.expectation(cell).orElseThrow().tracking())).append("): remove this expectation</p>\n");
        }
        for (Expectation entry : report.expired()) {
            html.append("<p class=\"warn\" id=\"expired\">EXPIRED expectation for ").append(h(entry.cell())).append(" (line ").append(entry.line())
                    .append(", ").append(h(entry.tracking())).append(") expired on ").append(entry.expires()).append(": renew it or remove it</p>\n");
        }
    }

    private static void grid(Report report, String variant, StringBuilder html) {
        if (!variant.isEmpty()) html.append("<h2>").append(h(variant)).append("</h2>\n");
        List<String> tos = report.tos(variant);
        html.append("<table class=\"grid\"><thead><tr><th>").append(h(report.fromLabel())).append(" \\ ").append(h(report.toLabel())).append("</th>");
        tos.forEach(to -> html.append("<th>").append(h(to)).append("</th>"));
        html.append("</tr></thead><tbody>\n");
        for (String from : report.froms(variant)) {
            html.append("<tr><th>").append(h(from)).append("</th>");
            for (String to : tos) {
                var cell = report.cell(from, to, variant);
                if (cell.isEmpty()) html.append("<td></td>");
                else cell(report, cell.get(), html);
            }
            html.append("</tr>\n");
        }
        html.append("</tbody></table>\n");
    }

    private static void cell(Report report, CellResult cell, StringBuilder html) {
        String status = report.verdict(cell).id();
        html.append("<td class=\"cell ").append(status).append("\" data-cell=\"").append(h(cell.key())).append("\" data-status=\"").append(status)
                .append("\" title=\"").append(h(ReportText.line(cell.reason()))).append("\"><details><summary>").append(mark(report.verdict(cell))).append(' ')
                .append(status);
        String timing = ReportText.timing(cell);
        if (!timing.isEmpty()) html.append(" <span class=\"meta\" title=\"rounds passed/run, first frame median/slowest\">").append(h(timing)).append("</span>");
        String transport = ReportText.transportsShort(cell.transports());
        if (!transport.isEmpty()) html.append(" <span class=\"meta\">").append(h(transport)).append("</span>");
        if (!cell.warnings().isEmpty()) html.append(" <span class=\"warn\">⚠</span>");
        html.append("</summary><p class=\"reason\">").append(h(ReportText.line(cell.reason()))).append("</p>");
        report.expectation(cell).ifPresent(e -> html.append("<p class=\"expectation\">").append(h(e.describe())).append("</p>"));
        report.expectations().mismatch(report.suite(), cell, report.today()).ifPresent(why -> html.append("<p class=\"warn\">").append(h(why)).append("</p>"));
        if (!cell.checks().isEmpty()) {
            html.append("<ul class=\"checks\">");
            for (Check check : cell.checks()) {
                html.append("<li>").append(h(ReportText.check(check))).append("</li>");
            }
            html.append("</ul>");
        }
        if (!cell.transports().isEmpty()) html.append("<p>transports: ").append(h(ReportText.transportsLong(cell.transports()))).append("</p>");
        if (!cell.sources().isEmpty()) html.append("<p>sources: ").append(h(ReportText.sourcesLong(cell.sources()))).append("</p>");
        for (String warning : cell.warnings()) html.append("<p class=\"warn\">⚠ ").append(h(ReportText.line(warning))).append("</p>");
        html.append("<p>rerun: <code>").append(h(cell.rerun())).append("</code></p>");
        Repro.path(report, cell).ifPresent(script -> html.append("<p>replay: <a class=\"repro\" href=\"").append(h(report.show(script))).append("\">")
                .append(h(report.show(script))).append("</a></p>"));
        if (!cell.artifacts().isEmpty()) {
            html.append("<table class=\"artifacts\"><tr><th>artifact</th><th>version</th><th>source</th><th>file</th><th>digest</th></tr>");
            for (Artifact a : cell.artifacts()) {
                html.append("<tr><td>").append(h(a.name())).append("</td><td>").append(h(a.version())).append("</td><td>").append(a.source().id())
                        .append("</td><td>").append(h(a.file())).append("</td><td").append(a.known() ? "><code>" : " class=\"warn\">")
                        .append(h(a.digestText())).append(a.known() ? "</code>" : "").append("</td></tr>");
            }
            html.append("</table>");
        }
        if (!cell.rounds().isEmpty()) {
            html.append("<ol class=\"rounds\">");
            cell.rounds().forEach(r -> html.append("<li>").append(r.status().name().toLowerCase()).append(r.firstFrame() == null ? "" : " " + seconds(r.firstFrame()))
                    .append(": ").append(h(r.reason())).append("</li>"));
            html.append("</ol>");
        }
        if (!cell.logs().isEmpty()) {
            html.append("<ul class=\"logs\">");
            for (Path log : cell.logs()) {
                String shown = report.show(log);
                html.append("<li><a href=\"").append(h(shown)).append("\">").append(h(shown)).append("</a></li>");
            }
            html.append("</ul>");
        }
        html.append("</details></td>");
    }

    private static String mark(Verdict verdict) {
        return switch (verdict) {
            case PASS, XPASS -> "✓";
            case FAIL, XFAIL -> "✗";
            case UNAVAILABLE -> "–";
            case UNSUPPORTED -> "○";
        };
    }

    private static String seconds(Duration duration) {
        return String.format("%.1fs", duration.toMillis() / 1000.0);
    }

    /** HTML-escaped, with control characters already made visible by ReportText's rules. */
    static String h(String text) {
        String safe = text == null ? "" : ReportText.line(text);
        StringBuilder out = new StringBuilder(safe.length());
        for (char c : safe.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
