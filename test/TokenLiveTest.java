import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The published token tools for real: moq-token installed with cargo (the first
 * run compiles it), @moq/token fresh from npm under node and bun, and for --relay
 * the published relay and moq-cli.
 */
@Tag("live")
// Real relays and first-frame times: alone, as a user runs them.
@Isolated
class TokenLiveTest {
    @TempDir Path dir;

    @Test
    void rustNodeAndBunCrossVerifyEveryDefaultAlgorithm() throws Exception {
        Fakes.Outcome outcome = Fakes.run(true, "token", dir.resolve("out"), Map.of(), LiveSmokeTest.INSTALL_AND_RUN, "--channel", "cargo",
                "--generators", "rust,js-node,js-bun", "--verifiers", "rust,js-node,js-bun");
        System.out.print(outcome.stdout());
        assertEquals(0, outcome.exitCode(), outcome.all());
        JsonNode results = outcome.results();
        assertEquals(36, results.get("cells").size());
        for (JsonNode cell : results.get("cells")) {
            assertEquals("pass", cell.get("status").asText(), cell.toString());
            assertEquals(8, cell.get("checks").size(), cell.toString());
        }
        assertTrue(results.get("versions").get("rust").asText().startsWith("moq-token "), results.get("versions").toString());
        assertTrue(results.get("versions").get("js-bun").asText().matches("@moq/token \\S+ under bun \\S+"), results.get("versions").toString());
    }

    @Test
    void rustTokensOpenALiveRelayAndBadOnesAreTurnedAway() throws Exception {
        Fakes.Outcome outcome = Fakes.run(true, "token", dir.resolve("out"), Map.of(), LiveSmokeTest.INSTALL_AND_RUN, "--channel", "cargo",
                "--algorithms", "EdDSA", "--relay", "--timeout", "20");
        System.out.print(outcome.stdout());
        assertEquals(0, outcome.exitCode(), outcome.all());
        JsonNode relay = outcome.results().get("cells").get(1);
        assertEquals("relay", relay.get("verifier").asText());
        assertEquals("pass", relay.get("status").asText(), relay.toString());
        for (JsonNode check : relay.get("checks")) {
            if (check.get("name").asText().startsWith("refuses")) {
                assertTrue(check.get("detail").asText().startsWith("refused: "), "turned away with an auth error, not a timeout: " + check);
            }
        }
    }
}
