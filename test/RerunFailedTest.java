import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RerunFailedTest {
    @TempDir Path dir;

    Path results(String suite, String options, String cells) throws Exception {
        Path file = dir.resolve("a/results.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"suite\": \"" + suite + "\", \"options\": {" + options + "}, \"versions\": {}, \"cells\": [" + cells + "]}");
        return file;
    }

    static String cell(String key, String status) {
        return "{\"cell\": \"" + key + "\", \"status\": \"" + status + "\"}";
    }

    @Test
    void smokeRerunsExactlyTheFailedCellsWithThatRunsOptions() throws Exception {
        Path a = results("media", "\"channel\": \"path\", \"out\": \"/somewhere/else\", \"keep\": false, \"timeout\": 7, \"publishers\": [\"rust\"], "
                + "\"subscribers\": [\"rust\", \"js-native-node\"], \"source\": \"clip\", \"transport\": \"quic\", \"config\": null",
                cell("rust→rust", "fail") + "," + cell("rust→js-native-node", "pass"));
        Fakes.Outcome outcome = Fakes.smoke(dir.resolve("b"), Map.of(), "--rerun-failed", a.toString());
        assertEquals(0, outcome.exitCode(), outcome.all());
        JsonNode results = outcome.results();
        assertEquals(1, results.get("cells").size());
        assertEquals("rust→rust", results.get("cells").get(0).get("cell").asText());
        assertEquals(7, results.get("options").get("timeout").asInt(), "that run's options");
        assertTrue(outcome.stdout().contains("rerunning the 1 failed cell(s)"), outcome.stdout());
        assertTrue(results.get("cells").get(0).get("rerun").asText().contains("--timeout 7"));
    }

    /**
     * A run failed by --require-available (an unavailable cell) or --strict (an xpass) is
     * not green: its rerun must rerun those cells, not say "nothing to rerun" and exit 0,
     * which turned a CI step "rerun what failed" green after a red run.
     */
    @Test
    void cellsThatFailedTheRunThroughItsOwnOptionsAreRerun() throws Exception {
        Path required = results("media", "\"require-available\": true, \"strict\": false",
                cell("rust→rust", "pass") + "," + cell("rust→go", "unavailable"));
        assertEquals(java.util.Set.of("rust→go"), lib.run.RerunFailed.read(required, "media", null).cells());
        Path strict = results("media", "\"require-available\": false, \"strict\": true",
                cell("rust→rust", "xpass") + "," + cell("rust→go", "unavailable"));
        assertEquals(java.util.Set.of("rust→rust"), lib.run.RerunFailed.read(strict, "media", null).cells());
        Path lenient = results("media", "\"require-available\": false, \"strict\": false",
                cell("rust→rust", "xpass") + "," + cell("rust→go", "unavailable") + "," + cell("rust→js-vite", "xfail"));
        assertEquals(java.util.Set.of(), lib.run.RerunFailed.read(lenient, "media", null).cells());
    }

    @Test
    void aRealRunsResultsRoundTrip() throws Exception {
        // A subscriber that fails at once makes the red run without waiting out a timeout, and leaves the rerun, which
        // inherits the timeout, ample time for its frame on a loaded machine.
        Fakes.Outcome red = Fakes.smoke(dir.resolve("red"), Map.of("FAKE_MOQ_MODE", "exit1"), "--timeout", "10", "--transport", "any");
        assertEquals(1, red.exitCode(), red.all());
        Fakes.Outcome again = Fakes.smoke(dir.resolve("again"), Map.of(), "--rerun-failed", red.out().resolve("results.json").toString());
        assertEquals(0, again.exitCode(), again.all());
        assertEquals("any", again.results().get("options").get("transport").asText());
        assertEquals("pass", again.results().get("cells").get(0).get("status").asText());
    }

    @Test
    void tokenRerunsOnlyTheFailedAlgorithm() throws Exception {
        Path a = results("token", "\"channel\": \"path\", \"timeout\": 10, \"generators\": [\"rust\"], \"verifiers\": [\"rust\"], "
                + "\"algorithms\": [\"HS256\", \"HS512\"], \"full\": false, \"relay\": false",
                cell("rust→rust HS256", "pass") + "," + cell("rust→rust HS512", "fail"));
        Fakes.Outcome outcome = Fakes.run("token", dir.resolve("b"), Map.of("TOKEN_BIN", TokenRunTest.FAKE_TOKEN.toString()), Duration.ofSeconds(90),
                "--rerun-failed", a.toString());
        assertEquals(0, outcome.exitCode(), outcome.all());
        JsonNode cells = outcome.results().get("cells");
        assertEquals(1, cells.size());
        assertEquals("rust→rust HS512", cells.get(0).get("cell").asText());
    }
}
