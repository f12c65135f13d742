import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.CharBuffer;
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
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import lib.core.Secrets;
import lib.report.CellResult.Status;
import lib.report.CellResult;
import lib.report.HtmlReport;
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
    void theHtmlHeaderShowsOnlyTheOptionsThatWereSet() throws Exception {
        Report base = report();
        Map<String, Object> options = new java.util.LinkedHashMap<>();
        options.put("timeout", 30);
        options.put("publishers", List.of("rust", "python"));
        options.put("config", null);
        options.put("keep", false);
        options.put("client-source", List.of());
        Report report = new Report(base.suite(), base.title(), base.runId(), base.started(), base.finished(), false, base.args(), options,
                base.versions(), "publisher", "subscriber", base.cells(), out, null);
        String html = HtmlReport.render(report);
        assertTrue(html.contains("<dt>--timeout</dt><dd>30</dd>") && html.contains("<dt>--publishers</dt><dd>[rust, python]</dd>"), html);
        for (String unset : List.of("--config", "--keep", "--client-source")) assertFalse(html.contains("<dt>" + unset + "</dt>"), unset);
        assertTrue(JsonReport.render(report).contains("\"config\" : null"), "results.json keeps every option");
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
        assertTrue(text.contains("cells: 1 pass, 1 fail, 1 unavailable, 0 unsupported in 42.0s"), text);
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

    // A client can print anything: these are the bytes the reports must survive.
    static final String ESCAPES = "\u0000\u0007\u0008\u000b\u000c\r\u001b[2J\u001b]0;pwned\u0007\u007f\u009b31m";
    static final String HTML = "<script>alert(1)</script>";
    static final String REASON = "subscriber: Error: connection refused " + ESCAPES + " " + HTML + " `tick` a|b lone \uD800 \uDC00 nonchar \uFFFE bidi \u202E "
            + TOKEN + " " + "x".repeat(3000);

    Report hostile() throws Exception {
        Path log = out.resolve("cells/rust-js/subscriber.log");
        Files.createDirectories(log.getParent());
        // What a client writes is bytes: ANSI colour, a bell, a C1 CSI, U+FFFE, all in UTF-8.
        Files.write(log, ("starting\n\u001b[31mERROR\u001b[0m \u0001bell\u0007 csi\u009b2J nonchar\uFFFE " + HTML + " " + TOKEN + "\n")
                .getBytes(StandardCharsets.UTF_8));
        List<CellResult> cells = List.of(
                new CellResult("rust", "rust", "", Status.PASS, "frame " + ESCAPES, Duration.ofMillis(800), List.of(),
                        List.of(new CellResult.Check("reannounces", true, "ok"), CellResult.Check.notRun("survives a relay restart", "relay would not restart")),
                        "rerun a", Map.of("publisher", "quic", "subscriber", "quic"),
                        List.of("subscriber exited abnormally (code 134) after the frame arrived: free(): invalid pointer " + ESCAPES + HTML)),
                new CellResult("rust", "js|web", "", Status.FAIL, REASON, null, List.of(log),
                        List.of(new CellResult.Check("name `x` | y", false, "detail " + ESCAPES + HTML),
                                CellResult.Check.notRun("rejects expired token", "never got that far")),
                        "smoke --only 'rust→js`web'", Map.of("publisher", "quic", "subscriber", "websocket"), List.of()),
                CellResult.unavailable("rust", "swift", "", "subscriber swift unavailable: not found on PATH", "rerun c"),
                CellResult.unsupported("rust", "gst", "", "subscriber gst unsupported here: gst runs on linux, not macos", "rerun d"));
        return new Report("media", "moq smoke: media matrix", "run-3", Instant.parse("2026-11-25T10:00:00Z"),
                Instant.parse("2026-11-25T10:00:42Z"), false, List.of("--full"), Map.of(),
                Map.of("moq-relay", "moq-relay 0.17.10 \u001b[1m<b>bold</b>\uD800"), "publisher", "subscriber", cells, out, null);
    }

    /** Control characters, lone surrogates and the like, which break XML, a UTF-8 encoder or a terminal. */
    static void assertNoRawControls(String rendered) throws Exception {
        StandardCharsets.UTF_8.newEncoder().encode(CharBuffer.wrap(rendered)); // throws on a lone surrogate
        for (int i = 0; i < rendered.length(); i++) {
            char c = rendered.charAt(i);
            boolean bad = (c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7f && c <= 0x9f) || c == '\uFFFE' || c == '\u202E';
            assertFalse(bad, String.format("raw U+%04X at %d in:%n%s", (int) c, i, rendered));
        }
    }

    @Test
    void junitParsesWhateverAClientPrinted() throws Exception {
        String xml = JunitReport.render(hostile());
        assertNoRawControls(xml);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        Element failure = (Element) doc.getElementsByTagName("failure").item(0);
        String message = failure.getAttribute("message");
        assertTrue(message.startsWith("subscriber: Error: connection refused \\x00\\x07\\x08\\x0b\\x0c\\r\\x1b[2J\\x1b]0;pwned\\x07\\x7f\\x9b31m "
                + HTML + " `tick` a|b lone \\ud800 \\udc00 nonchar \\ufffe bidi \\u202e <jwt "), message);
        assertTrue(message.endsWith("xxx…") && message.length() < 700, "capped, the first error kept: " + message.length());
        assertTrue(failure.getTextContent().contains("\\x1b[31mERROR\\x1b[0m \\x01bell\\x07 csi\\x9b2J nonchar\\ufffe " + HTML), failure.getTextContent());
        assertTrue(failure.getTextContent().contains("FAIL name `x` | y: detail \\x00"), failure.getTextContent());
        assertFalse(xml.contains(TOKEN));
    }

    @Test
    void jsonStaysValidAndKeepsEveryTextInFull() throws Exception {
        String rendered = JsonReport.render(hostile());
        assertNoRawControls(rendered);
        JsonNode json = new ObjectMapper().readTree(rendered);
        assertEquals(Secrets.redact(REASON), json.get("cells").get(1).get("reason").asText(), "the reason whole, only redacted");
        assertEquals("moq-relay 0.17.10 \u001b[1m<b>bold</b>\uD800", json.get("versions").get("moq-relay").asText());
        assertFalse(rendered.contains(TOKEN));
    }

    @Test
    void terminalNeverEmitsAClientsEscapeSequence() throws Exception {
        Report report = hostile();
        String plain = TerminalReport.render(report, false);
        assertNoRawControls(plain);
        assertFalse(plain.contains("\u001b"), plain);
        String coloured = TerminalReport.render(report, true);
        assertFalse(coloured.replaceAll("\u001b\\[(0|3[0-9]|90)m", "").contains("\u001b"), "only our own colour codes: " + coloured);
        assertTrue(plain.contains("    \\x1b[31mERROR\\x1b[0m \\x01bell\\x07 csi\\x9b2J"), plain);
        String failLine = plain.lines().filter(l -> l.startsWith("FAIL rust→js|web: ")).findFirst().orElseThrow();
        assertTrue(failLine.startsWith("FAIL rust→js|web: subscriber: Error: connection refused \\x00\\x07"), failLine);
        assertTrue(failLine.endsWith("xxx…") && failLine.length() < 700, "capped, the first error kept: " + failLine.length());
    }

    @Test
    void markdownEscapesHtmlBackticksPipesAndEscapes() throws Exception {
        String md = MarkdownReport.render(hostile());
        assertNoRawControls(md);
        assertFalse(md.contains("<script>"), md);
        assertTrue(md.contains("moq-relay `moq-relay 0.17.10 \\x1b[1m<b>bold</b>\\ud800`"), "HTML is inert in a code span: " + md);
        assertTrue(md.contains("&lt;script&gt;alert(1)&lt;/script&gt; \\`tick\\` a\\|b lone \\\\ud800"), md);
        assertTrue(md.contains("\\\\x1b\\[2J"), "an escape is shown, as text: " + md);
        assertTrue(md.contains("rerun: ``smoke --only 'rust→js`web'``"), "a backtick cannot close the code span: " + md);
        List<String> table = md.lines().filter(l -> l.startsWith("|")).toList();
        for (String row : table) {
            assertEquals(6, row.replace("\\|", "").chars().filter(c -> c == '|').count(), "a pipe in a cell breaks the table: " + row);
        }
    }

    @Test
    void everyReportShowsUnsupportedTransportsWarningsAndChecksNotRun() throws Exception {
        Report report = hostile();
        String text = TerminalReport.render(report, false);
        assertTrue(text.contains("✓ 0.8s quic ⚠"), text);
        assertTrue(text.contains("✗ sub: websocket"), text);
        assertTrue(text.contains("○ "), text);
        assertTrue(text.contains("  unavailable: subscriber swift unavailable: not found on PATH\n"), text);
        assertTrue(text.contains("  unsupported: subscriber gst unsupported here: gst runs on linux, not macos\n"), text);
        assertTrue(text.contains("⚠ WARNING rust→rust: subscriber exited abnormally (code 134) after the frame arrived: free(): invalid pointer"), text);
        assertTrue(text.contains("⚠ WARNING rust→rust: check \"survives a relay restart\" not run: relay would not restart"), text);
        assertTrue(text.contains("  transports: publisher quic, subscriber websocket\n"), text);
        assertTrue(text.contains("  not run rejects expired token: never got that far\n"), text);
        assertTrue(text.contains("cells: 1 pass, 1 fail, 1 unavailable, 1 unsupported in"), text);

        JsonNode json = new ObjectMapper().readTree(JsonReport.render(report));
        assertEquals(1, json.get("summary").get("unsupported").asInt());
        assertEquals(1, json.get("summary").get("unavailable").asInt());
        JsonNode pass = json.get("cells").get(0);
        assertEquals("quic", pass.get("transports").get("publisher").asText());
        assertTrue(pass.get("warnings").get(0).asText().startsWith("subscriber exited abnormally (code 134)"));
        assertTrue(pass.get("checks").get(1).get("notRun").asBoolean());
        assertFalse(pass.get("checks").get(0).get("notRun").asBoolean());
        assertEquals("websocket", json.get("cells").get(1).get("transports").get("subscriber").asText());
        assertEquals("unsupported", json.get("cells").get(3).get("status").asText());

        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(JunitReport.render(report).getBytes(StandardCharsets.UTF_8)));
        assertEquals("2", doc.getDocumentElement().getAttribute("skipped"));
        Element passCase = (Element) doc.getElementsByTagName("testcase").item(0);
        assertTrue(passCase.getElementsByTagName("system-err").item(0).getTextContent()
                .startsWith("warning: subscriber exited abnormally (code 134) after the frame arrived"));
        assertTrue(passCase.getElementsByTagName("system-out").item(0).getTextContent().contains("not run survives a relay restart: relay would not restart"));
        assertEquals(Map.of("status", "pass", "transport.publisher", "quic", "transport.subscriber", "quic"), properties(passCase));
        assertEquals("websocket", properties((Element) doc.getElementsByTagName("testcase").item(1)).get("transport.subscriber"));
        assertEquals("unsupported", properties((Element) doc.getElementsByTagName("testcase").item(3)).get("status"));
        assertTrue(doc.getElementsByTagName("failure").item(0).getTextContent().contains("not run rejects expired token: never got that far"));

        String md = MarkdownReport.render(report);
        assertTrue(md.contains("1 unavailable, 1 unsupported**"), md);
        assertTrue(md.contains("| rust | ✅ 0.8s quic ⚠️ | ❌ sub: websocket | ➖ | ⊘ |"), md);
        assertTrue(md.contains("- ⚠️ **rust→rust**: subscriber exited abnormally (code 134) after the frame arrived"), md);
        assertTrue(md.contains("- ⚠️ **rust→rust**: check \"survives a relay restart\" not run: relay would not restart"), md);
        assertTrue(md.contains("Unsupported here:\n\n- ⊘ subscriber gst unsupported here"), md);
        assertTrue(md.contains("  - transports: publisher quic, subscriber websocket\n"), md);
        assertTrue(md.contains("  - not run rejects expired token: never got that far\n"), md);
        assertTrue(md.indexOf("Warnings") < md.indexOf("Failures"), "warnings right under the matrix");
    }

    /** The package source a side took (C and gst have several) is in every report's record of the cell. */
    @Test
    void everyReportNamesTheSourceOfASideThatHadAChoice() throws Exception {
        List<CellResult> cells = List.of(CellResult.failed("rust", "c-pkgconfig", "", "fatal error: moq.h: No such file or directory", List.of(), "rerun e")
                .withSources(Map.of("subscriber", "release")));
        Report report = new Report("media", "moq smoke: media matrix", "run-4", Instant.parse("2026-11-25T10:00:00Z"),
                Instant.parse("2026-11-25T10:00:42Z"), false, List.of(), Map.of(), Map.of(), "publisher", "subscriber", cells, out, null);
        assertEquals("release", new ObjectMapper().readTree(JsonReport.render(report)).get("cells").get(0).get("sources").get("subscriber").asText());
        assertTrue(TerminalReport.render(report, false).contains("  sources: subscriber release\n"));
        assertTrue(MarkdownReport.render(report).contains("  - sources: subscriber release\n"));
        assertTrue(HtmlReport.render(report).contains("<p>sources: subscriber release</p>"));
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(JunitReport.render(report).getBytes(StandardCharsets.UTF_8)));
        assertEquals("release", properties((Element) doc.getElementsByTagName("testcase").item(0)).get("source.subscriber"));
        assertTrue(doc.getElementsByTagName("failure").item(0).getTextContent().contains("sources: subscriber release\n"));
    }

    /** A cell that failed before its subscriber said how it connected names the publisher's transport as the publisher's. */
    @Test
    void theGridNamesAPublishersTransportAloneAsThePublishers() {
        List<CellResult> cells = List.of(
                CellResult.failed("rust", "js-native-node", "", "subscriber exited (code 2) before a frame arrived", List.of(), "rerun a")
                        .withTransports(Map.of("publisher", "quic")),
                CellResult.failed("rust", "rust", "", "no frame within 30s", List.of(), "rerun b").withTransports(Map.of("publisher", "quic", "subscriber", "quic")));
        Report report = new Report("media", "moq smoke: media matrix", "run-6", Instant.parse("2026-11-25T10:00:00Z"),
                Instant.parse("2026-11-25T10:00:42Z"), false, List.of(), Map.of(), Map.of(), "publisher", "subscriber", cells, out, null);
        String grid = TerminalReport.render(report, false).lines().filter(l -> l.startsWith("rust ")).findFirst().orElseThrow();
        assertTrue(grid.matches("rust\\s+✗ pub: quic\\s+✗ quic\\s*"), grid);
    }

    /** An install's warning stands in each of its client's cells; the terminal says it once, naming the cells. */
    @Test
    void theTerminalSaysAWarningSharedByCellsOnce() {
        String duplicated = "the vite bundle carries more than one version of @moq packages: @moq/net 0.2.8, 0.3.4";
        List<CellResult> cells = List.of(
                CellResult.failed("rust", "js-vite", "", "no frame within 30s", List.of(), "rerun a").withWarnings(List.of(duplicated)),
                CellResult.failed("js-vite", "rust", "", "no frame within 30s", List.of(), "rerun b").withWarnings(List.of(duplicated, "only here")));
        Report report = new Report("media", "moq smoke: media matrix", "run-5", Instant.parse("2026-11-25T10:00:00Z"),
                Instant.parse("2026-11-25T10:00:42Z"), false, List.of(), Map.of(), Map.of(), "publisher", "subscriber", cells, out, null);
        String text = TerminalReport.render(report, false);
        assertEquals(1, text.split("@moq/net 0.2.8", -1).length - 1, text);
        assertTrue(text.contains("⚠ WARNING " + duplicated + " (2 cells: rust→js-vite, js-vite→rust)\n"), text);
        assertTrue(text.contains("⚠ WARNING js-vite→rust: only here\n"), text);
    }

    static Map<String, String> properties(Element testcase) {
        Map<String, String> found = new java.util.TreeMap<>();
        NodeList properties = testcase.getElementsByTagName("property");
        for (int i = 0; i < properties.getLength(); i++) {
            Element property = (Element) properties.item(i);
            found.put(property.getAttribute("name"), property.getAttribute("value"));
        }
        return found;
    }
}
