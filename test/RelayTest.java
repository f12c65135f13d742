import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;

import lib.core.Availability;
import lib.core.Proc;
import lib.core.Workspace;
import lib.delivery.Tool;
import lib.relay.Relay;
import lib.relay.Relay.RelayFailed;
import lib.relay.RelayConfig;

/**
 * Ready means a usable fingerprint: a relay that answers /certificate.sha256 with
 * anything else fails at once, with what it said; only silence waits.
 */
// Starts before the classes without an order (see tests.java): its cases sit out probe and relay timeouts.
@Order(1)
class RelayTest {
    /** Far below the 30 s ready deadline a wrong answer used to wait out, far above a slow start of the fake. */
    private static final Duration AT_ONCE = Duration.ofSeconds(10);

    @TempDir Path dir;
    private Workspace workspace;

    @BeforeEach
    void workspace() {
        workspace = Workspace.create(dir.resolve("out"));
    }

    @AfterEach
    void deleteScratch() {
        workspace.deleteScratch();
    }

    static Tool fakeRelay(String mode, String... env) {
        List<String> command = new java.util.ArrayList<>(List.of("env", "FAKE_RELAY_MODE=" + mode, "PATH=" + Fakes.path()));
        command.addAll(List.of(env));
        command.add(Fakes.RELAY.toString());
        return new Tool("moq-relay", command, Availability.ready(""));
    }

    private Relay start(String mode, Duration deadline) throws RelayFailed {
        return Relay.start(fakeRelay(mode), RelayConfig.load(Path.of("smoke.toml")), workspace, dir.resolve("relay.log"), deadline);
    }

    @Test
    void aWellFormedFingerprintIsReady() throws Exception {
        try (Relay relay = start("serve", Relay.READY_DEADLINE)) {
            assertTrue(relay.url().toString().startsWith("http://127.0.0.1:"), relay.url().toString());
            assertTrue(relay.exitReason().isEmpty());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "cert-404     | relay answered 404 for http://127.0.0.1:",
        "cert-404     | (\"no certificate here\\n\"): clients cannot pin its certificate",
        "cert-empty   | relay served a malformed certificate fingerprint at http://127.0.0.1:",
        "cert-empty   | /certificate.sha256: empty body (want 64 hex digits)",
        "cert-garbage | : \"<html>hello</html>\\n\" (want 64 hex digits)",
    })
    void aDefiniteWrongAnswerFailsAtOnceSayingWhatItWas(String mode, String expected) {
        // This relay's own mark: other tests start and stop relays meanwhile.
        String mark = "FAKE_RELAY_TEST=" + java.util.UUID.randomUUID();
        long started = System.nanoTime();
        RelayFailed failed = assertThrows(RelayFailed.class,
                () -> Relay.start(fakeRelay(mode, mark), RelayConfig.load(Path.of("smoke.toml")), workspace, dir.resolve("relay.log"), Relay.READY_DEADLINE).close());
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertTrue(failed.getMessage().contains(expected), failed.getMessage());
        assertTrue(took.compareTo(AT_ONCE) < 0, "took " + took + " for a definite answer");
        assertEquals(List.of(), carrying(mark), "the relay that answered wrong is stopped");
    }

    /** Running descendants of this JVM whose environment holds entry (from /proc). */
    static List<Long> carrying(String entry) {
        return ProcessHandle.current().descendants().filter(Proc::running).filter(p -> {
            try {
                return List.of(Files.readString(Path.of("/proc", Long.toString(p.pid()), "environ"), StandardCharsets.ISO_8859_1).split("\0")).contains(entry);
            } catch (IOException gone) {
                return false;
            }
        }).map(ProcessHandle::pid).toList();
    }

    @Test
    void onlySilenceWaitsForTheDeadline() {
        Duration deadline = Duration.ofMillis(1500);
        long started = System.nanoTime();
        RelayFailed failed = assertThrows(RelayFailed.class, () -> start("silent", deadline).close());
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertTrue(failed.getMessage().matches("relay did not answer http://127\\.0\\.0\\.1:\\d+/certificate\\.sha256 within 1500ms"),
                failed.getMessage());
        assertTrue(took.compareTo(deadline) >= 0 && took.compareTo(AT_ONCE) < 0, "took " + took);
    }

    @Test
    void aRelayThatExitsDuringStartUpSaysSo() {
        RelayFailed failed = assertThrows(RelayFailed.class, () -> start("exit-at-start", Relay.READY_DEADLINE).close());
        assertEquals("relay exited during start-up (code 3)", failed.getMessage());
    }

    /** The free port chosen was taken before the relay bound it: the harness's race, so it starts the relay again elsewhere. */
    @Test
    void aPortTakenBeforeTheRelayBoundItIsTriedAgainOnAnotherPort() throws Exception {
        Tool relay = fakeRelay("port-taken-once", "FAKE_RELAY_STARTS=" + dir.resolve("starts"));
        try (Relay started = Relay.start(relay, RelayConfig.load(Path.of("smoke.toml")), workspace, dir.resolve("relay.log"), Relay.READY_DEADLINE)) {
            String log = Files.readString(dir.resolve("relay.log"));
            assertTrue(log.contains("Address already in use (os error 98)"), log);
            assertTrue(log.matches("(?s).*moq smoke: port \\d+ was taken before the relay bound it; starting it again on another port\n.*"), log);
            assertTrue(started.exitReason().isEmpty());
        }
    }

    /** Taken every time is no race: the relay fails with the cause, its whole chain, after a bounded number of starts. */
    @Test
    void aPortTakenEveryTimeFailsWithTheRelaysCause() throws Exception {
        RelayFailed failed = assertThrows(RelayFailed.class, () -> start("port-taken", Relay.READY_DEADLINE).close());
        assertEquals("relay exited during start-up (code 1): Error: failed to bind UDP socket: Address already in use (os error 98)",
                failed.getMessage());
        String log = Files.readString(dir.resolve("relay.log"));
        assertEquals(3, log.split("Error: failed to bind UDP socket", -1).length - 1, log);
    }

    /** A later start's failure is its own: the reason is not read from what an earlier start wrote to the log. */
    @Test
    void aLaterStartsReasonIsItsOwn() throws Exception {
        Files.writeString(dir.resolve("relay.log"), "Error: an earlier relay's failure\n");
        RelayFailed failed = assertThrows(RelayFailed.class, () -> start("refuse-config", Relay.READY_DEADLINE).close());
        assertEquals("relay exited during start-up (code 1): Error: unknown field `nonsense`, expected one of `listen`, `server`, `log`",
                failed.getMessage());
    }

    /** "Address already in use" in a WARN of a relay that then fails for another reason is no lost port: one start, no note. */
    @Test
    void aRelayThatMentionsAPortInUseButFailsForAnotherReasonIsNotStartedAgain() throws Exception {
        Tool relay = fakeRelay("refuse-config", "FAKE_RELAY_SAY=2026-11-30T06:37:07Z  WARN moq_relay::iroh: iroh endpoint not bound (Address already in use); going on without it");
        RelayFailed failed = assertThrows(RelayFailed.class,
                () -> Relay.start(relay, RelayConfig.load(Path.of("smoke.toml")), workspace, dir.resolve("relay.log"), Relay.READY_DEADLINE).close());
        assertEquals("relay exited during start-up (code 1): Error: unknown field `nonsense`, expected one of `listen`, `server`, `log`",
                failed.getMessage());
        String log = Files.readString(dir.resolve("relay.log"));
        assertEquals(1, log.split("Error: unknown field", -1).length - 1, log);
        assertFalse(log.contains("was taken before the relay bound it"), log);
    }

    /** A relay the harness stopped for silence did not exit at start-up: whatever its log says, it is not started again. */
    @Test
    void aRelayStoppedForSilenceIsNotStartedAgain() throws Exception {
        Tool relay = fakeRelay("silent", "FAKE_RELAY_SAY=2026-11-30T06:37:07Z  WARN moq_relay::iroh: iroh endpoint not bound (Address already in use); going on without it");
        RelayFailed failed = assertThrows(RelayFailed.class,
                () -> Relay.start(relay, RelayConfig.load(Path.of("smoke.toml")), workspace, dir.resolve("relay.log"), Duration.ofMillis(800)).close());
        assertTrue(failed.getMessage().startsWith("relay did not answer "), failed.getMessage());
        String log = Files.readString(dir.resolve("relay.log"));
        assertEquals(1, log.split("fake relay: config says", -1).length - 1, log);
        assertFalse(log.contains("was taken before the relay bound it"), log);
    }

    @Test
    void aRelayThatRefusesItsConfigNamesWhyInTheReason() {
        RelayFailed failed = assertThrows(RelayFailed.class, () -> start("refuse-config", Relay.READY_DEADLINE).close());
        assertEquals("relay exited during start-up (code 1): Error: unknown field `nonsense`, expected one of `listen`, `server`, `log`",
                failed.getMessage());
    }

    @Test
    void theRelayRunsTheRewrittenConfigWithItsOutboundSocketOnLoopback() throws Exception {
        try (Relay relay = start("serve", Relay.READY_DEADLINE)) {
            Path scratch = workspace.scratchDir("relay");
            try (var files = Files.list(scratch)) {
                Path written = files.filter(f -> f.toString().endsWith(".toml")).findFirst().orElseThrow();
                var toml = org.tomlj.Toml.parse(Files.readString(written));
                assertEquals("127.0.0.1:0", toml.getString("connect.bind"));
                assertEquals("127.0.0.1:" + relay.url().getPort(), toml.getString("listen.bind"));
                assertEquals("127.0.0.1:" + relay.url().getPort(), toml.getString("web.http.listen"));
            }
        }
    }

    @Test
    void aBinaryWhoseVersionHangsIsBrokenWithinTheProbeAndItsTreeIsKilled() throws Exception {
        Path pids = dir.resolve("pids");
        Tool hanging = fakeRelay("hang-version", "FAKE_RELAY_PIDS=" + pids);
        long started = System.nanoTime();
        Tool checked = hanging.launchChecked();
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertEquals(Availability.broken("moq-relay --version did not answer within 5s"), checked.availability());
        assertTrue(took.compareTo(Tool.PROBE_TIMEOUT) >= 0 && took.compareTo(Tool.PROBE_TIMEOUT.plus(AT_ONCE)) < 0, "took " + took);
        long[] tree = Arrays.stream(Files.readString(pids).strip().split(" ")).mapToLong(Long::parseLong).toArray();
        for (long pid : tree) {
            assertFalse(ProcessHandle.of(pid).map(Proc::running).orElse(false), "pid " + pid + " of the hung tree still runs");
        }
    }

    @Test
    void aHungRelayBinaryFailsEveryCellWithTheReason() throws Exception {
        Path pids = dir.resolve("pids");
        Fakes.Outcome outcome = Fakes.smoke(dir.resolve("out"), Map.of("FAKE_RELAY_MODE", "hang-version", "FAKE_RELAY_PIDS", pids.toString()),
                "--timeout", "5");
        assertEquals(1, outcome.exitCode(), outcome.all());
        JsonNode cell = outcome.results().get("cells").get(0);
        assertEquals("fail", cell.get("status").asText());
        assertEquals("relay broken: moq-relay --version did not answer within 5s", cell.get("reason").asText(), outcome.all());
    }
}
