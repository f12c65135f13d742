import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The channels this machine can't reach (apt, brew, nix, docker), driven end to
 * end through smoke.java with fake package tools first on PATH, so their code is
 * exercised here and not only on CI.
 */
// Starts before the classes without an order (see tests.java): its fake runs are the longest.
@Order(1)
class ChannelTest {
    static final Path FAKE_BIN = Path.of("test/fakes/bin").toAbsolutePath();

    @TempDir Path dir;
    Path store;

    /** The fake tools link to test/fakes: kept out of the TempDir, whose clean-up warns about such links. */
    @BeforeEach
    void createStore() throws Exception {
        store = Files.createTempDirectory("fake-store-");
    }

    @AfterEach
    void deleteStore() throws Exception {
        try (var paths = Files.walk(store)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    Fakes.Outcome smokeWithFakeTools(String channel, Map<String, String> extra) throws Exception {
        return smokeWithFakeTools("out", channel, extra);
    }

    Fakes.Outcome smokeWithFakeTools(String out, String channel, Map<String, String> extra) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", FAKE_BIN + ":" + System.getenv("PATH"));
        env.put("FAKES", Fakes.MOQ.getParent().toString());
        env.put("FAKE_STORE", store.toString());
        env.put("FAKE_TOOL_LOG", dir.resolve("tools.log").toString());
        env.put("FAKE_MOQ_DELAY", "1");
        env.putAll(extra);
        return Fakes.run("smoke", dir.resolve(out), env, java.time.Duration.ofSeconds(90), "--channel", channel, "--timeout", "10");
    }

    String toolLog() throws Exception {
        return Files.readString(dir.resolve("tools.log"));
    }

    static JsonNode firstCell(Fakes.Outcome outcome) throws Exception {
        return outcome.results().get("cells").get(0);
    }

    @Test
    void dockerChannelRunsThePublishedImagesThroughTheWrapper() throws Exception {
        Fakes.Outcome outcome = smokeWithFakeTools("docker", Map.of());
        assertEquals(0, outcome.exitCode(), outcome.all());
        String log = toolLog();
        assertTrue(log.contains("docker pull moqdev/moq-relay:latest"), log);
        assertTrue(log.contains("docker pull moqdev/moq-cli:latest"), log);
        assertTrue(log.matches("(?s).*docker run --rm -i --name moq-smoke-\\d+-\\d+ --network host --user \\d+:\\d+ -v (\\S+):\\1 -w \\S+ moqdev/moq-relay:latest .*"), log);
        assertTrue(log.matches("(?s).*docker rm -f moq-smoke-.*"), "containers are removed by name: " + log);
    }

    @Test
    void dockerWithoutAnEngineIsUnavailableWithTheEnginesWords() throws Exception {
        Fakes.Outcome outcome = smokeWithFakeTools("docker", Map.of("FAKE_DOCKER_DOWN", "1"));
        assertEquals(0, outcome.exitCode(), "unavailable is not a failure: " + outcome.all());
        assertEquals("unavailable", firstCell(outcome).get("status").asText());
        assertTrue(firstCell(outcome).get("reason").asText().contains("no container engine answers (docker info: Cannot connect to the Docker daemon"),
                firstCell(outcome).get("reason").asText());
    }

    @Test
    void aMissingContainerRuntimeIsNamed() throws Exception {
        Fakes.Outcome outcome = smokeWithFakeTools("docker", Map.of("SMOKE_DOCKER", "no-such-runtime"));
        assertTrue(firstCell(outcome).get("reason").asText().contains("no-such-runtime not found on PATH"), outcome.all());
    }

    @Test
    void nixChannelBuildsTheFlakeFreshEveryRun() throws Exception {
        Fakes.Outcome outcome = smokeWithFakeTools("nix", Map.of());
        assertEquals(0, outcome.exitCode(), outcome.all());
        assertTrue(toolLog().contains("build --refresh --no-link --print-out-paths github:moq-dev/moq#moq-relay"), toolLog());
        assertTrue(toolLog().contains("github:moq-dev/moq#moq-cli"), toolLog());
    }

    @Test
    void brewChannelInstallsFromTheTap() throws Exception {
        Fakes.Outcome outcome = smokeWithFakeTools("brew", Map.of());
        assertEquals(0, outcome.exitCode(), outcome.all());
        assertTrue(toolLog().contains("brew install moq-dev/tap/moq-relay"), toolLog());
        assertTrue(toolLog().contains("brew install moq-dev/tap/moq-cli"), toolLog());
    }

    @Test
    void aptChannelUsesTheInstalledPackages() throws Exception {
        Fakes.Outcome outcome = smokeWithFakeTools("apt", Map.of("FAKE_APT_INSTALLED", "moq-relay moq-cli"));
        assertEquals(0, outcome.exitCode(), outcome.all());
        assertEquals("pass", firstCell(outcome).get("status").asText());
    }

    @Test
    void aptWithoutTheRepositoryIsUnavailableAndSaysWhatToAdd() throws Exception {
        Fakes.Outcome outcome = smokeWithFakeTools("apt", Map.of());
        assertEquals("unavailable", firstCell(outcome).get("status").asText());
        assertEquals("rust unavailable: no apt source offers moq-cli (add the moq apt repository, then apt install moq-cli)",
                firstCell(outcome).get("reason").asText());
        Fakes.Outcome offered = smokeWithFakeTools("out2", "apt", Map.of("FAKE_APT_OFFERED", "moq-relay moq-cli"));
        assertTrue(firstCell(offered).get("reason").asText().contains("rust unavailable: package moq-cli is not installed (apt install moq-cli)"),
                offered.all());
    }

    @Test
    void anAptPackageWithoutItsBinaryIsBrokenAndFailsItsCells() throws Exception {
        Fakes.Outcome outcome = smokeWithFakeTools("apt", Map.of("FAKE_APT_INSTALLED", "moq-relay moq-cli", "FAKE_APT_EMPTY", "moq-cli"));
        assertEquals(1, outcome.exitCode(), outcome.all());
        assertEquals("rust broken: apt package moq-cli installs no moq or moq-cli",
                firstCell(outcome).get("reason").asText());
    }
}
