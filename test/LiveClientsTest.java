import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The language clients installed from their registries at latest and run against
 * the real relay and CLI (cargo channel). The native JS cells need moq's QUIC
 * polyfill, whose prebuilt addon needs glibc 2.38: on an older glibc they must be
 * red with the loader's words (a real packaging finding), and green over the
 * WebSocket fallback either way.
 */
@Tag("live")
// Real relays and first-frame times: alone, as a user runs them.
@Isolated
class LiveClientsTest {
    static final Duration LIMIT = Duration.ofMinutes(60);

    @TempDir Path dir;

    Fakes.Outcome smoke(String... args) throws Exception {
        return Fakes.liveSmoke(dir, LIMIT, args);
    }

    static void assertNativeJsCell(JsonNode cell) {
        String reason = cell.get("reason").asText();
        assertTrue(cell.get("status").asText().equals("pass") || reason.contains("GLIBC_2.38"),
                "a native JS cell passes, or fails naming the addon's glibc: " + cell);
    }

    @Test
    void rustAndPythonInteropAndNativeJsNamesItsAddon() throws Exception {
        Fakes.Outcome outcome = smoke("--channel", "cargo", "--publishers", "rust,python",
                "--subscribers", "rust,python,js-native-node,js-native-bun", "--timeout", "30");
        JsonNode results = outcome.results();
        for (JsonNode cell : results.get("cells")) {
            if (cell.get("subscriber").asText().startsWith("js-native")) {
                assertNativeJsCell(cell);
            } else {
                assertEquals("pass", cell.get("status").asText(), cell.toString());
                assertEquals("quic", cell.get("transports").get("subscriber").asText(), cell.toString());
            }
        }
        assertTrue(results.get("versions").has("moq-rs") && results.get("versions").has("moq-ffi"), results.get("versions").toString());
        assertTrue(results.get("versions").has("@moq/net") && results.get("versions").has("@moq/web-transport"), results.get("versions").toString());
    }

    @Test
    void overTheWebSocketFallbackEveryCellIsGreen() throws Exception {
        Fakes.Outcome outcome = smoke("--channel", "cargo", "--publishers", "rust,python",
                "--subscribers", "rust,python,js-native-node,js-native-bun", "--timeout", "30", "--transport", "websocket");
        assertEquals(0, outcome.exitCode(), outcome.all());
        for (JsonNode cell : outcome.results().get("cells")) {
            assertEquals("pass", cell.get("status").asText(), cell.toString());
            assertEquals("websocket", cell.get("transports").get("subscriber").asText(), cell.toString());
        }
    }

    @Test
    void theNegativeControlHoldsForEveryLanguage() throws Exception {
        Fakes.Outcome outcome = smoke("--channel", "cargo", "--negative", "--subscribers", "rust,python,js-native-node,js-native-bun",
                "--timeout", "8", "--transport", "websocket");
        assertEquals(0, outcome.exitCode(), outcome.all());
        for (JsonNode cell : outcome.results().get("cells")) {
            assertEquals("pass", cell.get("status").asText(), cell.toString());
            assertEquals("received nothing within 8s, as it must", cell.get("reason").asText());
        }
    }

    /** The browser in both roles with every other client: the page bundled by vite and by esbuild. */
    @Test
    void browsersPublishAndSubscribeWithEveryClient() throws Exception {
        Fakes.Outcome outcome = smoke("--channel", "cargo", "--publishers", "rust,python,js-vite,js-esbuild",
                "--subscribers", "rust,python,js-vite,js-esbuild,js-jsdelivr", "--timeout", "40");
        for (JsonNode cell : outcome.results().get("cells")) {
            if (cell.get("subscriber").asText().equals("js-jsdelivr")) {
                String status = cell.get("status").asText();
                assertTrue(status.equals("pass") || (status.equals("unavailable") && cell.get("reason").asText().contains("CDN is unreachable")),
                        cell.toString());
                continue;
            }
            assertEquals("pass", cell.get("status").asText(), cell.toString());
            assertEquals("quic", cell.get("transports").get("subscriber").asText(), cell.toString());
            if (cell.get("subscriber").asText().startsWith("js-")) {
                // The reason is the frame alone; whether the canvas got painted is its check, read at the end.
                assertTrue(cell.get("reason").asText().matches("received \\d+ bytes"), cell.toString());
                for (JsonNode check : cell.get("checks")) {
                    if (check.get("name").asText().startsWith("audio")) assertTrue(check.get("passed").asBoolean(), "audio is named only when it came: " + cell);
                }
            }
        }
    }
}
