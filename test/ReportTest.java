import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

import lib.core.Secrets;
import lib.report.CellResult.Status;
import lib.report.CellResult;
import lib.report.JsonReport;
import lib.report.JunitReport;
import lib.report.MarkdownReport;
import lib.report.Report;
import lib.report.TerminalReport;

class ReportTest {
    static final String TOKEN = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb290IjoiZGVtbyIsInB1dCI6WyJhbGljZSJdfQ.c2lnbmF0dXJlLWJ5dGVz";
    static final String KEY_JSON = "{\"kty\":\"oct\",\"alg\":\"HS256\",\"k\":\"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA\"}";

    @TempDir Path out;

    Report report() throws Exception {
        Path log = out.resolve("cells/rust-python/subscriber.log");
        Files.createDirectories(log.getParent());
        Files.writeString(log, "connecting\nusing token " + TOKEN + "\nkey " + KEY_JSON + "\nError: timed out <&>\n");
        List<CellResult> cells = List.of(
                new CellResult("rust", "rust", "", Status.PASS, "moof + mdat (10 payload bytes)", Duration.ofMillis(1234), List.of(), List.of(), "rerun a"),
                new CellResult("rust", "python", "", Status.FAIL, "no frame within 30s with " + TOKEN, null, List.of(log),
                        List.of(new CellResult.Check("rejects expired token", false, "accepted it")), "rerun b"),
                CellResult.unavailable("rust", "swift", "", "swift not found on PATH", "rerun c"));
        return new Report("media", "moq smoke: media matrix", "run-1", Instant.parse("2026-11-25T10:00:00Z"),
                Instant.parse("2026-11-25T10:00:42Z"), false, List.of("--full", "--token", TOKEN), Map.of("timeout", 30),
                Map.of("moq-relay", "moq-relay 0.17.10"), "publisher", "subscriber", cells, out, null);
    }

    @Test
    void jsonCarriesEveryCellWithStatusTimingAndLogs() throws Exception {
        JsonNode json = new ObjectMapper().readTree(JsonReport.render(report()));
        assertEquals("run-1", json.get("runId").asText());
        assertEquals(42.0, json.get("wallSeconds").asDouble());
        assertEquals("moq-relay 0.17.10", json.get("versions").get("moq-relay").asText());
        assertEquals(1, json.get("summary").get("fail").asInt());
        JsonNode cells = json.get("cells");
        assertEquals(3, cells.size());
        assertEquals("pass", cells.get(0).get("status").asText());
        assertEquals(1234, cells.get(0).get("timeToFirstFrameMs").asInt());
        assertEquals("python", cells.get(1).get("subscriber").asText());
        assertEquals("cells/rust-python/subscriber.log", cells.get(1).get("logs").get(0).asText());
        assertEquals("rejects expired token", cells.get(1).get("checks").get(0).get("name").asText());
        assertEquals("unavailable", cells.get(2).get("status").asText());
    }

    @Test
    void junitHasATestcasePerCellWithFailuresAndSkips() throws Exception {
        String xml = JunitReport.render(report());
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        assertEquals(3, doc.getElementsByTagName("testcase").getLength());
        assertEquals(1, doc.getElementsByTagName("failure").getLength());
        assertEquals(1, doc.getElementsByTagName("skipped").getLength());
        assertEquals("swift not found on PATH", doc.getElementsByTagName("skipped").item(0).getAttributes().getNamedItem("message").getNodeValue());
        assertTrue(doc.getElementsByTagName("failure").item(0).getTextContent().contains("Error: timed out <&>"), "log tail included, escaped");
    }

    @Test
    void terminalAndMarkdownShowTheMatrixTheReasonsAndHowToRerun() throws Exception {
        String text = TerminalReport.render(report(), false);
        assertTrue(text.contains("publisher \\ subscriber"), text);
        assertTrue(text.contains("✓ 1.2s"), text);
        assertTrue(text.contains("FAIL rust→python: no frame within 30s"), text);
        assertTrue(text.contains("rerun: rerun b"), text);
        assertTrue(text.contains("FAIL rejects expired token: accepted it"), text);
        assertTrue(text.contains("unavailable: swift not found on PATH"), text);
        assertTrue(text.contains("cells: 1 pass, 1 fail, 1 unavailable in 42.0s"), text);
        assertFalse(text.contains("\u001b["), "no colour unless asked");
        assertTrue(TerminalReport.render(report(), true).contains("\u001b[32m✓"));
        String md = MarkdownReport.render(report());
        assertTrue(md.contains("| publisher \\ subscriber | rust | python | swift |"), md);
        assertTrue(md.contains("| rust | ✅ 1.2s | ❌ | ➖ |"), md);
        assertTrue(md.contains("`rerun b`"), md);
    }

    @Test
    void eachVariantsGridHasOnlyItsOwnRowsAndColumns() throws Exception {
        Report base = report();
        List<CellResult> cells = List.of(
                new CellResult("rust", "js-node", "HS256", Status.PASS, "ok", null, List.of(), List.of(), "r1"),
                new CellResult("rust", "relay", "relay auth HS256", Status.PASS, "ok", null, List.of(), List.of(), "r2"));
        Report mixed = new Report("token", "moq smoke: token matrix", "run-2", base.started(), base.finished(), false, List.of(),
                Map.of(), Map.of(), "generator", "verifier", cells, out, null);
        String text = TerminalReport.render(mixed, false);
        assertTrue(text.contains("HS256:\ngenerator \\ verifier  js-node  \n"), text);
        assertTrue(text.contains("relay auth HS256:\ngenerator \\ verifier  relay    \n"), text);
        String md = MarkdownReport.render(mixed);
        assertTrue(md.contains("| generator \\ verifier | js-node |\n"), md);
        assertTrue(md.contains("| generator \\ verifier | relay |\n"), md);
    }

    @Test
    void noReportLeaksATokenOrKey() throws Exception {
        Report report = report();
        for (String rendered : List.of(JsonReport.render(report), JunitReport.render(report), MarkdownReport.render(report),
                TerminalReport.render(report, false))) {
            assertFalse(rendered.contains(TOKEN), rendered);
            assertFalse(rendered.contains("c2lnbmF0dXJlLWJ5dGVz"), rendered);
            assertFalse(rendered.contains("c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA"), rendered);
        }
        assertTrue(TerminalReport.render(report, false).contains(Secrets.describeJwt(TOKEN)));
    }

    @Test
    void redactionShowsTheTokenHeaderAndAHashOnly() {
        String shown = Secrets.redact("token=" + TOKEN);
        assertTrue(shown.startsWith("token=<jwt {\"alg\":\"HS256\",\"typ\":\"JWT\"} sha256 "), shown);
        assertEquals(Secrets.redact(TOKEN), Secrets.redact(TOKEN), "stable, so lines can be matched");
        assertTrue(Secrets.redact("eyJrdHkiOiJvY3QiLCJrIjoic2VjcmV0In0").startsWith("<base64 key material"));
        assertEquals("no secrets here", Secrets.redact("no secrets here"));
    }
}
