import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.microsoft.playwright.Page;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lib.browser.Chromium;
import lib.report.CellResult;
import lib.report.CellResult.Status;
import lib.report.HtmlReport;
import lib.report.Report;

/** report.html opened in the real headless Chromium: it loads clean, offline, with one element per cell in the right state. */
@Tag("toolchain")
class HtmlReportTest {
    @TempDir Path dir;

    static Report report(Path out) throws Exception {
        Path log = Files.writeString(out.resolve("subscriber.log"), "connecting\n");
        List<CellResult> cells = List.of(
                new CellResult("rust", "python", "", Status.PASS, "received 10 bytes", Duration.ofMillis(1200), List.of(log), List.of(), "rerun a",
                        Map.of("publisher", "quic", "subscriber", "quic"), List.of()),
                new CellResult("rust", "js-native-node", "", Status.FAIL, "<script>alert(1)</script> \u001b[31mGLIBC_2.38\u001b[0m not found", null,
                        List.of(log), List.of(new CellResult.Check("frame rendered", false, "")), "rerun b", Map.of(), List.of()),
                CellResult.unavailable("python", "python", "", "uv not found", "rerun c"),
                CellResult.unsupported("python", "swift", "", "swift runs on macos, not linux", "rerun d"));
        return new Report("media", "moq smoke: media matrix", "run-1", Instant.parse("2026-11-29T10:00:00Z"),
                Instant.parse("2026-11-29T10:00:05Z"), false, List.of("--full"), Map.of("timeout", 30), fullRunVersions(),
                "publisher", "subscriber", cells, out, null);
    }

    /** As many artifact versions as a --full run lists (about fifty). */
    static Map<String, String> fullRunVersions() {
        Map<String, String> versions = new java.util.TreeMap<>(Map.of("moq-relay", "0.17.10"));
        for (int i = 1; i < 48; i++) versions.put("js-vite bundle @moq/package-" + i, "0.1." + i);
        return versions;
    }

    @Test
    void theReportLoadsCleanAndShowsEveryCell() throws Exception {
        Report report = report(dir);
        Path html = Files.writeString(dir.resolve("report.html"), HtmlReport.render(report));
        // Kept after the run (out/ is gitignored), for a person to look at.
        Path screenshot = Files.createDirectories(Path.of("out", "test-output")).resolve("report.png");
        try (Chromium chromium = Chromium.launch()) {
            assertTrue(chromium.availability().ready(), chromium.availability().toString());
            List<String> problems = new ArrayList<>();
            Map<String, String> states = chromium.call(() -> {
                var context = chromium.browser().newContext(new com.microsoft.playwright.Browser.NewContextOptions().setViewportSize(1280, 720));
                Page page = context.newPage();
                page.onConsoleMessage(m -> { if (m.type().equals("error")) problems.add("console: " + m.text()); });
                page.onPageError(e -> problems.add("page error: " + e));
                page.onRequestFailed(r -> problems.add("failed request: " + r.url()));
                page.onRequest(r -> { if (!r.url().startsWith("file:")) problems.add("outside request: " + r.url()); });
                page.navigate(html.toUri().toString());
                page.locator("td.cell").first().locator("summary").click();
                page.screenshot(new Page.ScreenshotOptions().setPath(screenshot).setFullPage(true));
                Map<String, String> found = new java.util.LinkedHashMap<>();
                for (var cell : page.locator("td.cell").all()) found.put(cell.getAttribute("data-cell"), cell.getAttribute("data-status"));
                assertEquals(0, page.locator("script").count(), "a client's text never becomes a script");
                assertTrue(page.locator("table.grid").boundingBox().y < 720, "the matrix is on the first screen despite 48 versions");
                assertEquals(48, page.locator("#versions dt").count(), "every version is in the page, folded");
                assertEquals("Versions under test (48)", page.locator("details.versions summary").innerText());
                context.close();
                return found;
            });
            assertEquals(List.of(), problems);
            assertEquals(Map.of("rust→python", "pass", "rust→js-native-node", "fail", "python→python", "unavailable", "python→swift", "unsupported"), states);
            assertTrue(Files.size(screenshot) > 0, "a screenshot is saved");
        }
    }
}
