import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lib.core.UsageError;
import lib.report.Compare;

class CompareTest {
    @TempDir Path dir;

    Path results(String name, String suite, String relay, String cells) throws Exception {
        Path file = dir.resolve(name + "/results.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"suite\": \"" + suite + "\", \"versions\": {\"moq-relay\": \"" + relay + "\"}, \"cells\": [" + cells + "]}");
        return file;
    }

    static String cell(String key, String status, Long firstFrameMs) {
        return "{\"cell\": \"" + key + "\", \"status\": \"" + status + "\", \"reason\": \"why " + key + "\", \"timeToFirstFrameMs\": " + firstFrameMs + "}";
    }

    @Test
    void aGreenCellTurnedRedIsARegressionAndVersionsAreListed() throws Exception {
        Path a = results("a", "media", "0.17.9", cell("rust→rust", "pass", 1000L) + "," + cell("rust→go", "fail", null) + "," + cell("rust→js", "pass", 800L));
        Path b = results("b", "media", "0.17.10", cell("rust→rust", "pass", 1200L) + "," + cell("rust→go", "pass", 900L) + "," + cell("rust→js", "fail", null));
        Compare.Diff diff = Compare.diff(Compare.read(a), Compare.read(b));
        assertTrue(diff.regression());
        assertTrue(diff.lines().contains("version moq-relay: 0.17.9 -> 0.17.10"), diff.lines().toString());
        assertTrue(diff.lines().contains("changed rust→go: fail -> pass"), diff.lines().toString());
        assertTrue(diff.lines().contains("REGRESSION rust→js: pass -> fail (why rust→js)"), diff.lines().toString());
        assertEquals(3, diff.lines().size(), "20% slower is no change worth a line: " + diff.lines());
    }

    @Test
    void moreThanHalfAgainSlowerIsARegression() throws Exception {
        Path a = results("a", "media", "1", cell("rust→rust", "pass", 1000L));
        Path b = results("b", "media", "1", cell("rust→rust", "pass", 1600L));
        Compare.Diff diff = Compare.diff(Compare.read(a), Compare.read(b));
        assertTrue(diff.regression());
        assertEquals("REGRESSION rust→rust: first frame 1.0s -> 1.6s (+60%)", diff.lines().get(0));
        assertFalse(Compare.diff(Compare.read(b), Compare.read(a)).regression(), "faster is fine");
    }

    @Test
    void tokenResultsCompareTooAndAKnownRedIsNoRegression() throws Exception {
        Path a = results("a", "token", "1", cell("rust→js HS256", "pass", null) + "," + cell("rust→js ES256", "pass", null));
        Path b = results("b", "token", "1", cell("rust→js HS256", "xfail", null) + "," + cell("js→js HS256", "fail", null));
        Compare.Diff diff = Compare.diff(Compare.read(a), Compare.read(b));
        assertFalse(diff.regression(), diff.lines().toString());
        assertTrue(diff.lines().contains("changed rust→js HS256: pass -> xfail (why rust→js HS256)"), diff.lines().toString());
        assertTrue(diff.lines().contains("new cell js→js HS256: fail"), diff.lines().toString());
        assertTrue(diff.lines().contains("cell rust→js ES256 not in the later run"), diff.lines().toString());
    }

    @Test
    void differentSuitesOrNoResultsAreBadInput() throws Exception {
        Path media = results("a", "media", "1", "");
        Path token = results("b", "token", "1", "");
        assertThrows(UsageError.class, () -> Compare.diff(Compare.read(media), Compare.read(token)));
        Path junk = dir.resolve("junk.json");
        Files.writeString(junk, "[1, 2]");
        assertThrows(UsageError.class, () -> Compare.read(junk));
    }

    @Test
    void theSubcommandExitsOneOnARegressionElseZero() throws Exception {
        Path a = results("a", "media", "1", cell("rust→rust", "pass", 1000L));
        Path b = results("b", "media", "1", cell("rust→rust", "fail", null));
        Fakes.Outcome red = Fakes.run("smoke", null, Map.of(), Duration.ofSeconds(30), "compare", a.toString(), b.toString());
        assertEquals(1, red.exitCode(), red.all());
        assertTrue(red.stdout().contains("REGRESSION rust→rust: pass -> fail"), red.stdout());
        Fakes.Outcome green = Fakes.run("token", null, Map.of(), Duration.ofSeconds(30), "compare", b.toString(), a.toString());
        assertEquals(0, green.exitCode(), green.all());
        assertTrue(green.stdout().contains("no regression"), green.stdout());
        Fakes.Outcome missing = Fakes.run("smoke", null, Map.of(), Duration.ofSeconds(30), "compare", a.toString(), dir.resolve("nope.json").toString());
        assertEquals(2, missing.exitCode(), missing.all());
    }
}
