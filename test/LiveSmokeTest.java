import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The real thing: the latest published moq-relay and moq-cli, installed with cargo
 * into the cache (the first run compiles them), talking to each other.
 */
@Tag("live")
// Real relays and first-frame times: alone, as a user runs them.
@Isolated
class LiveSmokeTest {
    static final Duration INSTALL_AND_RUN = Duration.ofMinutes(85);

    @TempDir Path dir;

    @Test
    void rustPublishesAndRustSubscribesAFrame() throws Exception {
        Fakes.Outcome outcome = Fakes.run(true, "smoke", dir.resolve("out"), Map.of(), INSTALL_AND_RUN, "--channel", "cargo", "--timeout", "30");
        System.out.print(outcome.stdout());
        assertEquals(0, outcome.exitCode(), outcome.all());
        JsonNode results = outcome.results();
        assertEquals("pass", results.get("cells").get(0).get("status").asText());
        assertTrue(results.get("versions").get("moq-relay").asText().startsWith("moq-relay "), results.toString());
        assertTrue(results.get("versions").get("moq-cli").asText().matches("moq(-cli)? .*"), results.toString());
    }

    @Test
    void negativeControlReceivesNothing() throws Exception {
        Fakes.Outcome outcome = Fakes.run(true, "smoke", dir.resolve("out"), Map.of(), INSTALL_AND_RUN, "--channel", "cargo", "--negative", "--timeout", "5");
        System.out.print(outcome.stdout());
        assertEquals(0, outcome.exitCode(), outcome.all());
        assertEquals("pass", outcome.results().get("cells").get(0).get("status").asText());
        assertEquals("received nothing within 5s, as it must", outcome.results().get("cells").get(0).get("reason").asText());
    }
}
