package lib.report;

//DEPS com.fasterxml.jackson.core:jackson-databind:2.23.0

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import lib.core.Artifact;
import lib.core.Secrets;
import lib.report.Expectations.Expectation;
import lib.report.Expectations.Verdict;

/** results.json: the whole run, machine-readable; texts in full (redacted), as JSON escapes them. */
public final class JsonReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonReport() {}

    public static String render(Report report) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("suite", report.suite());
        root.put("runId", report.runId());
        root.put("started", report.started().toString());
        root.put("finished", report.finished().toString());
        root.put("wallSeconds", report.wallTime().toMillis() / 1000.0);
        root.put("interrupted", report.interrupted());
        root.put("args", report.args().stream().map(Secrets::redact).toList());
        root.put("options", report.options());
        root.put("versions", report.versions());
        Map<String, Object> summary = new LinkedHashMap<>();
        for (Verdict verdict : Verdict.values()) summary.put(verdict.id(), report.count(verdict));
        summary.put("expired", report.expired().size());
        root.put("summary", summary);
        Map<String, Object> expectations = new LinkedHashMap<>();
        expectations.put("file", report.expectations().file() == null ? null : report.expectations().file().toString());
        expectations.put("strict", report.expectations().strict());
        expectations.put("expired", report.expired().stream().map(JsonReport::entry).toList());
        root.put("expectations", expectations);
        root.put("relayLog", report.relayLog() == null ? null : report.show(report.relayLog()));
        root.put("cells", report.cells().stream().map(c -> cell(report, c)).toList());
        try {
            return ReportText.jsonEscaped(JSON.writeValueAsString(root)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> cell(Report report, CellResult cell) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("cell", cell.key());
        json.put(report.fromLabel(), cell.from());
        json.put(report.toLabel(), cell.to());
        if (!cell.variant().isEmpty()) json.put("variant", cell.variant());
        json.put("status", report.verdict(cell).id());
        report.expectation(cell).ifPresent(e -> json.put("expectation", entry(e)));
        json.put("reason", Secrets.redact(cell.reason()));
        json.put("timeToFirstFrameMs", cell.firstFrame() == null ? null : cell.firstFrame().toMillis());
        if (!cell.rounds().isEmpty()) {
            // A repeated cell: timeToFirstFrameMs is the rounds' median.
            json.put("passRate", cell.passRate());
            json.put("maxTimeToFirstFrameMs", cell.maxFirstFrame() == null ? null : cell.maxFirstFrame().toMillis());
            json.put("rounds", cell.rounds().stream().map(r -> {
                Map<String, Object> round = new LinkedHashMap<>();
                round.put("status", r.status().name().toLowerCase());
                round.put("reason", Secrets.redact(r.reason()));
                round.put("timeToFirstFrameMs", r.firstFrame() == null ? null : r.firstFrame().toMillis());
                return round;
            }).toList());
        }
        json.put("logs", cell.logs().stream().map(report::show).toList());
        if (!cell.checks().isEmpty()) {
            List<Map<String, Object>> checks = cell.checks().stream().map(check -> {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("name", check.name());
                entry.put("passed", check.passed());
                entry.put("notRun", check.notRun());
                entry.put("detail", Secrets.redact(check.detail()));
                return entry;
            }).toList();
            json.put("checks", checks);
        }
        json.put("transports", new TreeMap<>(cell.transports()));
        json.put("sources", new TreeMap<>(cell.sources()));
        json.put("warnings", cell.warnings().stream().map(Secrets::redact).toList());
        json.put("rerun", cell.rerun());
        json.put("artifacts", cell.artifacts().stream().map(JsonReport::artifact).toList());
        Repro.path(report, cell).ifPresent(script -> json.put("repro", report.show(script)));
        return json;
    }

    /** One artifact as fetched; digest is null (and unknown says why) when the harness could not read it. */
    static Map<String, Object> artifact(Artifact artifact) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", artifact.name());
        json.put("version", artifact.version());
        json.put("source", artifact.source().id());
        json.put("file", artifact.file());
        if (artifact.known()) {
            json.put("digest", Map.of("algorithm", artifact.algorithm(), "value", artifact.digest()));
        } else {
            json.put("digest", null);
            json.put("unknown", Secrets.redact(artifact.unknown()));
        }
        if (artifact.dependency()) json.put("dependency", true);
        artifact.pin().ifPresent(pin -> json.put("pin", pin));
        return json;
    }

    private static Map<String, Object> entry(Expectation expectation) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("cell", expectation.cell());
        json.put("reason", expectation.reason().pattern());
        json.put("tracking", expectation.tracking());
        json.put("expires", expectation.expires().toString());
        json.put("line", expectation.line());
        return json;
    }
}
