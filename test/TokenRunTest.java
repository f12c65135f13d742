import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** token.java end to end, as its own process, with a fake moq-token that really signs and verifies HS* tokens. */
// Starts before the classes without an order (see tests.java): its fake runs are the longest.
@Order(1)
class TokenRunTest {
    static final Path FAKE_TOKEN = Path.of("test/fakes/fake-moq-token").toAbsolutePath();
    static final Pattern RAW_JWT = Pattern.compile("eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");

    @TempDir Path dir;

    @Test
    void anHonestVerifierMakesEveryCellGreenAndNoTokenReachesTheArtifacts() throws Exception {
        Fakes.Outcome outcome = token(Map.of(), "--algorithms", "HS256,hs512");
        assertEquals(0, outcome.exitCode(), outcome.all());
        JsonNode cells = outcome.results().get("cells");
        assertEquals(2, cells.size());
        for (JsonNode cell : cells) {
            assertEquals("pass", cell.get("status").asText(), cell.toString());
            assertEquals(8, cell.get("checks").size(), cell.toString());
            assertEquals("HS" + cell.get("variant").asText().substring(2) + " oct private key, base64url JSON, unpadded",
                    cell.get("checks").get(0).get("detail").asText());
        }
        assertEquals("moq-token 0.0.0-fake", outcome.results().get("versions").get("rust").asText());
        assertTrue(outcome.stdout().contains("cells: 2 pass, 0 fail, 0 unavailable"), outcome.stdout());
        try (Stream<Path> files = Files.walk(outcome.out())) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String text = Files.readString(file);
                assertFalse(RAW_JWT.matcher(text).find(), "a raw token in " + file);
                assertFalse(text.contains("\"k\":"), "key material in " + file);
            }
        }
        assertTrue(Files.readString(outcome.out().resolve("cells/rust-rust-HS256/token.log")).contains("<jwt {\"typ\": \"JWT\", \"alg\": \"HS256\""),
                "tokens are logged as header and hash");
    }

    @Test
    void aVerifierThatAcceptsExpiredTokensFailsThatCheckByName() throws Exception {
        Fakes.Outcome outcome = token(Map.of("FAKE_TOKEN_MODE", "accept-expired"), "--algorithms", "HS256");
        assertEquals(1, outcome.exitCode(), outcome.all());
        JsonNode cell = outcome.results().get("cells").get(0);
        assertEquals("failed: rejects an expired token", cell.get("reason").asText());
        assertTrue(outcome.stdout().contains("FAIL rejects an expired token: not refused: exp an hour ago (accepted)"), outcome.stdout());
        assertTrue(outcome.stdout().contains("ok   rejects a tampered signature"), outcome.stdout());
        assertTrue(outcome.stdout().contains("rerun: jbang token@moq-dev/smoke --channel path --generators rust --verifiers rust --algorithms HS256 --timeout 10"),
                outcome.stdout());
    }

    @Test
    void aVerifierThatAcceptsEverythingFailsEveryNegative() throws Exception {
        Fakes.Outcome outcome = token(Map.of("FAKE_TOKEN_MODE", "accept-all"), "--algorithms", "HS256");
        assertEquals(1, outcome.exitCode(), outcome.all());
        JsonNode checks = outcome.results().get("cells").get(0).get("checks");
        long failed = 0;
        for (JsonNode check : checks) if (!check.get("passed").asBoolean()) failed++;
        assertEquals(6, failed, checks.toString());
    }

    @Test
    void aVerifierThatPanicsOnStartIsRedForThatAndItsNegativesAreNotPassed() throws Exception {
        Fakes.Outcome outcome = token(Map.of("FAKE_TOKEN_MODE", "panic"), "--algorithms", "HS256");
        assertEquals(1, outcome.exitCode(), outcome.all());
        JsonNode cell = outcome.results().get("cells").get(0);
        assertEquals("the verifier refused the valid token: exit 101: panicked: called `Result::unwrap()` on an `Err` value: InvalidKey "
                + "(at src/main.rs:10:5); its 6 negatives did not run", cell.get("reason").asText());
        JsonNode checks = cell.get("checks");
        assertEquals(8, checks.size(), checks.toString());
        assertFalse(checks.get(1).get("passed").asBoolean() || checks.get(1).get("notRun").asBoolean(), "the valid token was tried: " + checks);
        for (int i = 2; i < checks.size(); i++) {
            assertTrue(!checks.get(i).get("passed").asBoolean() && checks.get(i).get("notRun").asBoolean(), checks.get(i).toString());
        }
        assertTrue(outcome.stdout().matches("(?s).*not run\\s+rejects an unsigned alg:none token.*"), outcome.stdout());
    }

    @Test
    void aDeliveredRustBinaryThatWontLaunchIsBrokenWithTheLoadersWords() throws Exception {
        Fakes.Outcome outcome = token(Map.of("FAKE_TOKEN_MODE", "no-launch"), "--algorithms", "HS256");
        assertEquals(1, outcome.exitCode(), outcome.all());
        JsonNode cell = outcome.results().get("cells").get(0);
        assertEquals("fail", cell.get("status").asText());
        assertEquals("generator rust broken: moq-token does not launch: moq-token: error while loading shared libraries: libiconv.so.2: "
                + "cannot open shared object file: No such file or directory; verifier rust broken: moq-token does not launch: moq-token: "
                + "error while loading shared libraries: libiconv.so.2: cannot open shared object file: No such file or directory",
                cell.get("reason").asText());
    }

    @Test
    void unreachableImplementationsReportUnavailableAndTheRestStillRuns() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        // The real interpreter, not a version-manager shim that needs bash and more on PATH.
        String python = new String(new ProcessBuilder("python3", "-c", "import sys; print(sys.executable)").start().getInputStream().readAllBytes()).strip();
        List<Path> links = List.of(Files.createSymbolicLink(bin.resolve("python3"), Path.of(python)),
                Files.createSymbolicLink(bin.resolve("git"), lib.core.Commands.which("git").orElseThrow()));
        Fakes.Outcome outcome;
        try {
            outcome = token(Map.of("PATH", bin.toString(), "TOKEN_DOCKER", "no-such-engine"),
                    "--generators", "rust,js-node,rust-docker", "--verifiers", "rust", "--algorithms", "HS256");
        } finally {
            // JUnit warns about links out of its temp dir that it is left to delete.
            for (Path link : links) Files.deleteIfExists(link);
        }
        assertEquals(0, outcome.exitCode(), outcome.all());
        JsonNode cells = outcome.results().get("cells");
        assertEquals("pass", cells.get(0).get("status").asText(), cells.toString());
        assertEquals("generator js-node unavailable: node not found on PATH", cells.get(1).get("reason").asText());
        assertEquals("generator rust-docker unavailable: no-such-engine not found on PATH", cells.get(2).get("reason").asText());
    }

    @Test
    void theDockerCellRunsTheImageThroughTheWrapperWithTheRuntimeTokenDockerNames() throws Exception {
        Path toolLog = dir.resolve("tools.log");
        Fakes.Outcome outcome = token(Map.of("PATH", FAKE_TOKEN.getParent().resolve("token-bin") + ":" + System.getenv("PATH"),
                "TOKEN_DOCKER", "fake-podman", "FAKE_TOOL_LOG", toolLog.toString()),
                "--generators", "rust-docker,rust", "--verifiers", "rust-docker", "--algorithms", "HS256");
        assertEquals(0, outcome.exitCode(), outcome.all());
        for (JsonNode cell : outcome.results().get("cells")) assertEquals("pass", cell.get("status").asText(), cell.toString());
        String log = Files.readString(toolLog);
        assertTrue(log.contains("fake-podman pull moqdev/moq-token-cli:latest"), log);
        assertTrue(log.matches("(?s).*fake-podman run --rm -i --name moq-smoke-\\d+-\\d+ --network host --user \\d+:\\d+ -v (\\S+):\\1 -w \\S+ "
                + "moqdev/moq-token-cli:latest verify --key .*"), log);
        assertEquals("moq-token 0.0.0-fake", outcome.results().get("versions").get("rust-docker").asText());
    }

    @Test
    void aRelayThatLetsEveryoneInFailsEachRefusalByName() throws Exception {
        Fakes.Outcome outcome = relayStage();
        assertEquals(1, outcome.exitCode(), outcome.all());
        JsonNode relay = outcome.results().get("cells").get(1);
        assertEquals("rust", relay.get("generator").asText());
        assertEquals("relay", relay.get("verifier").asText());
        assertEquals("relay auth HS256", relay.get("variant").asText());
        assertEquals("failed: refuses a subscriber with no token, refuses a token from another key, refuses a token for another path",
                relay.get("reason").asText());
        assertTrue(relay.get("checks").get(1).get("passed").asBoolean(), "the tokens' own subscriber got its frame: " + relay);
        assertTrue(outcome.stdout().contains("rerun: jbang token@moq-dev/smoke --channel path --generators rust --verifiers rust --algorithms HS256 --relay"),
                outcome.stdout());
        assertTrue(Files.readString(outcome.out().resolve("relay-auth/rust/auth-server.log")).contains("fake auth server: key /"));
        try (Stream<Path> files = Files.walk(outcome.out())) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertFalse(RAW_JWT.matcher(Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1)).find(), "a raw token in " + file);
            }
        }
    }

    /** The auth server's port was taken before it bound it: the harness's race, so the stage starts it again elsewhere and goes on. */
    @Test
    void anAuthServerWhosePortWasTakenIsStartedAgainOnAnother() throws Exception {
        Fakes.Outcome outcome = relayStage("FAKE_AUTH_STARTS", dir.resolve("auth-starts").toString());
        JsonNode relay = outcome.results().get("cells").get(1);
        assertEquals("failed: refuses a subscriber with no token, refuses a token from another key, refuses a token for another path",
                relay.get("reason").asText(), "the stage went on past the auth server: " + relay);
        String log = Files.readString(outcome.out().resolve("relay-auth/rust/auth-server.log"));
        assertTrue(log.matches("(?s).*Address already in use \\(os error 98\\)\nmoq smoke: port \\d+ was taken before the auth server bound it; "
                + "starting it again on another port\n.*fake auth server: key /.*"), log);
    }

    /** A start after a lost port that exits without a word is not named by what the start before it, or the harness, wrote. */
    @Test
    void anAuthServerThatExitsSilentlyAfterALostPortIsNotNamedByTheNoteBeforeIt() throws Exception {
        Fakes.Outcome outcome = relayStage("FAKE_AUTH_STARTS", dir.resolve("auth-starts").toString(), "FAKE_AUTH_SILENT", "1");
        assertEquals(1, outcome.exitCode(), outcome.all());
        JsonNode relay = outcome.results().get("cells").get(1);
        assertEquals("moq auth serve exited (code 1): (no output)", relay.get("checks").get(1).get("detail").asText(), relay.toString());
    }

    /** An auth server that fails on its own is named by its first error, the cause chain included. */
    @Test
    void anAuthServerThatExitsIsNamedByItsFirstError() throws Exception {
        Fakes.Outcome outcome = relayStage("FAKE_AUTH_FAILS", "1");
        assertEquals(1, outcome.exitCode(), outcome.all());
        JsonNode relay = outcome.results().get("cells").get(1);
        assertEquals("failed: auth server answers", relay.get("reason").asText());
        assertEquals("moq auth serve exited (code 1): Error: failed to load key: invalid key", relay.get("checks").get(1).get("detail").asText(), relay.toString());
    }

    @Test
    void noTokenReachesAChildsArgvOrAnyLogEvenWhenTheCallerAsksForDebugLogs() throws Exception {
        Path calls = dir.resolve("calls.jsonl");
        Fakes.Outcome outcome = token(Map.of("RELAY_BIN", FAKE_TOKEN.resolveSibling("token-bin").resolve("fake-relay-env").toString(),
                "MOQ_BIN", FAKE_TOKEN.resolveSibling("fake-moq-auth").toString(), "RUST_LOG", "debug", "FAKE_ARGV_LOG", calls.toString()),
                "--algorithms", "HS256", "--relay");
        assertEquals(1, outcome.exitCode(), "the fake relay lets everyone in: " + outcome.all());
        ObjectMapper json = new ObjectMapper();
        int tokensInEnv = 0;
        for (String line : Files.readAllLines(calls)) {
            JsonNode call = json.readTree(line);
            assertFalse(RAW_JWT.matcher(call.get("argv").toString()).find(), "a token in argv: " + line);
            // lib/delivery asks each binary for --version and --help in the caller's environment; no token is about then.
            boolean probe = call.get("argv").toString().matches(".*\"--(version|help)\".*");
            if (!probe) assertEquals("info", call.get("RUST_LOG").asText(), line);
            if (call.path("MOQ_CONNECT with jwt").asBoolean()) tokensInEnv++;
        }
        assertEquals(4, tokensInEnv, "publisher, subscriber, other-key and other-path subscribers get their URL in MOQ_CONNECT");
        assertTrue(Files.readString(calls).contains("\"tool\": \"moq-relay\""), "the relay ran through the recording wrapper");
        try (Stream<Path> files = Files.walk(outcome.out())) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertFalse(RAW_JWT.matcher(Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1)).find(), "a raw token in " + file);
            }
        }
        String publisher = Files.readString(outcome.out().resolve("relay-auth/rust/publisher.log"));
        assertTrue(publisher.contains("?jwt=<jwt {\"typ\": \"JWT\", \"alg\": \"HS256\""), "the fake echoed its URL, scrubbed: " + publisher);
    }

    @Test
    void withoutAFrameForTheRightfulSubscriberTheRefusalsAreNotRun() throws Exception {
        Fakes.Outcome outcome = relayStage("FAKE_MOQ_MODE", "exit1");
        assertEquals(1, outcome.exitCode(), outcome.all());
        JsonNode relay = outcome.results().get("cells").get(1);
        assertEquals("failed: publish and subscribe with its tokens", relay.get("reason").asText());
        JsonNode checks = relay.get("checks");
        for (int i = checks.size() - 3; i < checks.size(); i++) {
            assertTrue(!checks.get(i).get("passed").asBoolean() && checks.get(i).get("notRun").asBoolean(), checks.get(i).toString());
            assertEquals("no frame reached the subscriber holding a valid token", checks.get(i).get("detail").asText());
        }
    }

    @Test
    void anOfflineNpmIsUnavailableButAMissingDependencyIsBrokenWithNpmsRealLine() throws Exception {
        String path = FAKE_TOKEN.resolveSibling("npm-fails") + ":" + System.getenv("PATH");
        Fakes.Outcome offline = token(Map.of("PATH", path, "FAKE_NPM_FAILURE", "offline"), "--generators", "js-node", "--verifiers", "js-bun", "--algorithms", "HS256");
        assertEquals(0, offline.exitCode(), offline.all());
        JsonNode cell = offline.results().get("cells").get(0);
        assertEquals("unavailable", cell.get("status").asText());
        String offlineWhy = "npm install failed: request to https://registry.npmjs.org/@moq%2ftoken failed, reason: getaddrinfo ENOTFOUND registry.npmjs.org";
        assertEquals("generator js-node unavailable: " + offlineWhy + "; verifier js-bun unavailable: " + offlineWhy, cell.get("reason").asText());
        Fakes.Outcome broken = token(Map.of("PATH", path), "--generators", "js-node", "--verifiers", "rust", "--algorithms", "HS256");
        assertEquals(1, broken.exitCode(), broken.all());
        // npm's last line only says where its own log is; the reason is the registry's answer.
        assertEquals("generator js-node broken: npm install failed: 404 Not Found - GET https://registry.npmjs.org/@moq%2fnope - Not found",
                broken.results().get("cells").get(0).get("reason").asText());
    }

    /** token.java's relay stage (rust, HS256) on the fake relay, with fake-moq-auth as the moq CLI; env: extra NAME, VALUE pairs. */
    private Fakes.Outcome relayStage(String... env) throws Exception {
        Map<String, String> all = new java.util.HashMap<>(Map.of("RELAY_BIN", Fakes.RELAY.toString(), "MOQ_BIN", FAKE_TOKEN.resolveSibling("fake-moq-auth").toString()));
        for (int i = 0; i < env.length; i += 2) all.put(env[i], env[i + 1]);
        return token(all, "--algorithms", "HS256", "--relay");
    }

    private Fakes.Outcome token(Map<String, String> env, String... args) throws Exception {
        Map<String, String> all = new java.util.HashMap<>(Map.of("TOKEN_BIN", FAKE_TOKEN.toString()));
        all.putAll(env);
        List<String> withTimeout = new java.util.ArrayList<>(List.of(args));
        if (!withTimeout.contains("--help")) withTimeout.addAll(List.of("--timeout", "10"));
        return Fakes.run("token", dir.resolve("out-" + System.nanoTime()), all, Duration.ofSeconds(90), withTimeout.toArray(String[]::new));
    }
}
