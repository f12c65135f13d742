import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import org.w3c.dom.Element;

import lib.core.UsageError;
import lib.report.CellResult.Status;
import lib.report.CellResult;
import lib.report.Expectations.Verdict;
import lib.report.Expectations;
import lib.report.HtmlReport;
import lib.report.JsonReport;
import lib.report.JunitReport;
import lib.report.MarkdownReport;
import lib.report.Report;
import lib.report.TerminalReport;

class ExpectationsTest {
    static final String ISSUE = "https://github.com/moq-dev/moq/issues/1";

    @TempDir Path dir;

    Path file(String text) throws Exception {
        Path file = dir.resolve("expectations.toml");
        Files.writeString(file, text);
        return file;
    }

    static String entry(String cell, String reason, String expires) {
        return "[[expect]]\nsuite = \"media\"\ncell = \"" + cell + "\"\nreason = \"" + reason + "\"\ntracking = \"" + ISSUE + "\"\nexpires = " + expires + "\n";
    }

    Report report(Expectations expectations, CellResult... cells) {
        return new Report("media", "moq smoke: media matrix", "run-1", Instant.parse("2026-11-25T10:00:00Z"), Instant.parse("2026-11-25T10:00:10Z"),
                false, List.of(), Map.of(), Map.of(), "publisher", "subscriber", List.of(cells), dir, null, expectations);
    }

    static CellResult red(String to, String reason) {
        return CellResult.failed("rust", to, "", reason, List.of(), "rerun " + to);
    }

    static CellResult green(String to) {
        return new CellResult("rust", to, "", Status.PASS, "moof + mdat", Duration.ofMillis(900), List.of(), List.of(), "rerun " + to);
    }

    @Test
    void theCommittedFileHasNoEntriesAndTheDefaultIsOptional() throws Exception {
        assertEquals(List.of(), Expectations.load(Path.of("expectations.toml"), false).entries());
        assertTrue(Files.readString(Path.of("expectations.toml")).contains("# [[expect]]"), "a commented example explains the format");
    }

    @Test
    void anEntryIsReadWithItsLine() throws Exception {
        Expectations e = Expectations.load(file("# known reds\n\n" + entry("rust→js-native-node", "never announced", "2027-01-31")), false);
        assertEquals(1, e.entries().size());
        assertEquals(4, e.entries().get(0).line(), "its first key");
        assertEquals("2027-01-31", e.entries().get(0).expires().toString());
    }

    @Test
    void badEntriesAreUsageErrorsNamingTheLine() throws Exception {
        Map<String, String> cases = Map.of(
                entry("a→b", "x", "2027-01-31") + "owner = \"me\"\n", "line 7: unknown key 'owner'",
                entry("a→b", "x", "\"2027-01-31\""), "line 6: expires must be a TOML date",
                entry("a→b", "x", "2027-01-31").replace("suite = \"media\"", "suite = 3"), "line 2: suite must be a non-empty string",
                entry("a→b", "x", "2027-01-31").replace("suite = \"media\"", "suite = \"video\""), "line 2: suite must be media or token",
                entry("a→b", "(unclosed", "2027-01-31"), "line 4: reason is not a valid regex",
                entry("a→b", "x", "2027-01-31").replace("tracking = \"" + ISSUE + "\"\n", ""), "line 2: missing tracking",
                "title = \"known reds\"\n", "line 1: unknown key 'title'",
                "[[expect]\n", "line 1: not valid TOML",
                "expect = [1, 2]\n", "line 1: expect must be [[expect]] tables");
        for (var c : cases.entrySet()) {
            Path bad = file(c.getKey());
            UsageError e = assertThrows(UsageError.class, () -> Expectations.load(bad, false), c.getKey());
            assertTrue(e.getMessage().contains(c.getValue()), e.getMessage() + " should say " + c.getValue());
            assertTrue(e.getMessage().startsWith(bad.toString()), e.getMessage());
        }
    }

    @Test
    void eachCellIsClassified() throws Exception {
        Expectations e = Expectations.load(file(entry("rust→b", "never announced", "2027-01-31") + entry("rust→c", "never announced", "2027-01-31")
                + entry("rust→d", "never announced", "2027-01-31")), false);
        Report report = report(e, red("a", "timed out"), red("b", "broadcast x was never announced to the relay"), green("c"),
                red("d", "subscriber exited (code 1)"), CellResult.unavailable("rust", "e", "", "offline", "r"));
        assertEquals(List.of(Verdict.FAIL, Verdict.XFAIL, Verdict.XPASS, Verdict.FAIL, Verdict.UNAVAILABLE),
                report.cells().stream().map(report::verdict).toList());
        assertTrue(report.failing(), "the unexpected reds fail the run");
        assertTrue(e.mismatch("media", report.cells().get(3), report.today()).orElseThrow().contains("no longer matches /never announced/"));
    }

    @Test
    void onlyUnexpectedResultsFailTheRunAndXpassOnlyUnderStrict() throws Exception {
        Path f = file(entry("rust→b", "never announced", "2027-01-31") + entry("rust→c", "never announced", "2027-01-31"));
        CellResult[] cells = {green("a"), red("b", "was never announced"), green("c")};
        assertFalse(report(Expectations.load(f, false), cells).failing(), "xfail and xpass pass the run");
        assertTrue(report(Expectations.load(f, true), cells).failing(), "--strict fails an xpass");
    }

    @Test
    void anExpiredEntryFailsTheRunAndCoversNothing() throws Exception {
        Report report = report(Expectations.load(file(entry("rust→b", "never announced", "2026-11-24")), false), red("b", "never announced"));
        assertEquals(Verdict.FAIL, report.verdict(report.cells().get(0)));
        assertEquals(1, report.expired().size());
        assertTrue(report.failing());
        Report green = report(report.expectations(), green("b"));
        assertEquals(Verdict.PASS, green.verdict(green.cells().get(0)));
        assertTrue(green.failing(), "still failing until the entry is renewed or removed");
        assertTrue(TerminalReport.render(green, false).contains("EXPIRED expectation for rust→b"), TerminalReport.render(green, false));
        assertTrue(MarkdownReport.render(green).contains("EXPIRED expectation"));
        assertTrue(HtmlReport.render(green).contains("id=\"expired\""));
    }

    @Test
    void everyReportShowsXfailAndXpass() throws Exception {
        Path f = file(entry("rust→b", "never announced", "2027-01-31") + entry("rust→c", "never announced", "2027-01-31"));
        for (boolean strict : List.of(false, true)) {
            Report report = report(Expectations.load(f, strict), red("b", "was never announced"), green("c"));

            JsonNode json = new ObjectMapper().readTree(JsonReport.render(report));
            assertEquals("xfail", json.get("cells").get(0).get("status").asText());
            assertEquals(ISSUE, json.get("cells").get(0).get("expectation").get("tracking").asText());
            assertEquals("xpass", json.get("cells").get(1).get("status").asText());
            assertEquals(1, json.get("summary").get("xfail").asInt());
            assertEquals(strict, json.get("expectations").get("strict").asBoolean());

            Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new ByteArrayInputStream(JunitReport.render(report).getBytes(StandardCharsets.UTF_8)));
            Element skipped = (Element) doc.getElementsByTagName("skipped").item(0);
            assertTrue(skipped.getAttribute("message").contains("was never announced"), skipped.getAttribute("message"));
            assertEquals(strict ? 1 : 0, doc.getElementsByTagName("failure").getLength(), "xpass is a JUnit failure only under --strict");

            String terminal = TerminalReport.render(report, false);
            assertTrue(terminal.contains("✗ xfail"), terminal);
            assertTrue(terminal.contains("XPASS rust→c passed") && terminal.contains("remove this expectation"), terminal);
            assertTrue(terminal.contains("cells: 0 pass, 0 fail, 0 unavailable, 0 unsupported, 1 xfail, 1 xpass"), terminal);

            String md = MarkdownReport.render(report);
            assertTrue(md.contains("❌ xfail") && md.contains("✅ xpass") && md.contains("remove this expectation"), md);

            String html = HtmlReport.render(report);
            assertTrue(html.contains("data-status=\"xfail\"") && html.contains("data-status=\"xpass\""), html);
        }
    }

    @Test
    void aMatchingExpectationTurnsARedRunGreen() throws Exception {
        Path f = file(entry("rust→rust", "init segment only", "2099-01-31"));
        Fakes.Outcome outcome = Fakes.smoke(dir.resolve("out"), Map.of("FAKE_MOQ_MODE", "init-only"), "--timeout", "3", "--expectations", f.toString());
        assertEquals(0, outcome.exitCode(), outcome.all());
        assertEquals("xfail", outcome.results().get("cells").get(0).get("status").asText());
        assertTrue(outcome.stdout().contains("xfail"), outcome.stdout());
    }

    @Test
    void aBadFileIsExit2BeforeAnythingIsCreated() throws Exception {
        Path f = file(entry("rust→rust", "x", "tomorrow"));
        Fakes.Outcome outcome = Fakes.smoke(dir.resolve("out"), Map.of(), "--expectations", f.toString());
        assertEquals(2, outcome.exitCode(), outcome.all());
        assertTrue(outcome.stderr().contains(f + " line 6"), outcome.stderr());
        assertFalse(Files.exists(dir.resolve("out")), "nothing left behind");
    }
}
