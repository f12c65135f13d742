import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lib.clients.Client;
import lib.clients.ClientContext;
import lib.clients.Clients;
import lib.core.Workspace;
import lib.delivery.Channel;
import lib.matrix.MediaMatrix;
import lib.media.MediaSource;
import lib.media.Transport;
import lib.relay.RelayConfig;
import lib.report.CellResult.Status;
import lib.report.CellResult;
import lib.report.HtmlReport;
import lib.report.JsonReport;
import lib.report.JunitReport;
import lib.report.MarkdownReport;
import lib.report.Report;
import lib.report.TerminalReport;

class RepeatTest {
    @TempDir Path out;

    static CellResult round(Status status, long millis) {
        return new CellResult("rust", "rust", "", status, status == Status.PASS ? "frame" : "no frame", status == Status.PASS ? Duration.ofMillis(millis) : null,
                List.of(), List.of(), "rerun");
    }

    @Test
    void roundsMakeOneRecordWithPassRateMedianAndSlowest() {
        CellResult all = CellResult.ofRounds(List.of(round(Status.PASS, 900), round(Status.PASS, 3000), round(Status.PASS, 1100)));
        assertEquals(Status.PASS, all.status());
        assertEquals("3/3", all.passRate());
        assertEquals(Duration.ofMillis(1100), all.firstFrame(), "the median");
        assertEquals(Duration.ofMillis(3000), all.maxFirstFrame());

        CellResult flaky = CellResult.ofRounds(List.of(round(Status.PASS, 900), round(Status.FAIL, 0), round(Status.PASS, 1000)));
        assertEquals(Status.FAIL, flaky.status(), "a cell is only as good as its worst round");
        assertEquals("2/3", flaky.passRate());
        assertEquals("failed 1 of 3 rounds; first: no frame", flaky.reason());
        assertEquals(3, flaky.rounds().size());

        CellResult once = round(Status.PASS, 500);
        assertEquals(once, CellResult.ofRounds(List.of(once)), "a single round is the cell as it was");
        assertEquals("", once.passRate());
    }

    /** Passes its first, third, ... run: a counter file outlives each process. */
    static Client everyOtherTime(Path counter) {
        return new FakeClients.Script("flaky", "n=$(cat " + counter + " 2>/dev/null || echo 0); n=$((n+1)); echo $n > " + counter + "; "
                + "if [ $((n % 2)) -eq 1 ]; then echo \"received 42 bytes from $1\"; sleep 30; else echo 'Error: flaked' >&2; exit 1; fi");
    }

    @Test
    void theMatrixRunsEveryRoundOnOneRelayAndEveryReportShowsThePassRate() throws Exception {
        Workspace workspace = Workspace.create(out);
        Client pub = FakeClients.Moq.good("pub");
        Client flaky = everyOtherTime(out.resolve("counter"));
        Map<Client, Client.Installed> installed = Clients.install(List.of(pub, flaky), new ClientContext(workspace, Channel.PATH));
        List<CellResult> recorded = new ArrayList<>();
        List<Path> relayLogs = new ArrayList<>();
        var settings = new MediaMatrix.Settings(Duration.ofSeconds(3), 2, MediaSource.CLIP, false, Transport.QUIC, 4);
        new MediaMatrix(workspace, settings, installed, c -> "rerun", recorded::add)
                .run(MediaMatrix.plan(List.of(pub), List.of(flaky), false), MatrixTest.fakeRelay("serve"), RelayConfig.load(Path.of("smoke.toml")), relayLogs::add);
        workspace.deleteScratch();
        assertEquals(1, relayLogs.size(), "one relay for every round");
        assertEquals(List.of(Status.PASS, Status.FAIL, Status.PASS, Status.FAIL), recorded.stream().map(CellResult::status).toList());
        assertTrue(recorded.get(1).reason().contains("Error: flaked"), recorded.get(1).reason());
        assertTrue(Files.exists(out.resolve("cells/pub-flaky/round-2/subscriber.log")), "each round keeps its own logs");
        assertTrue(recorded.get(1).logs().stream().anyMatch(p -> p.toString().contains("round-2")), recorded.get(1).logs().toString());

        CellResult cell = CellResult.ofRounds(recorded);
        assertEquals("2/4", cell.passRate());
        Report report = new Report("media", "moq smoke: media matrix", "run-1", Instant.now(), Instant.now(), false, List.of(), Map.of(), Map.of(),
                "publisher", "subscriber", List.of(cell), out, null);
        JsonNode json = new ObjectMapper().readTree(JsonReport.render(report)).get("cells").get(0);
        assertEquals("2/4", json.get("passRate").asText());
        assertEquals(4, json.get("rounds").size());
        assertEquals("fail", json.get("rounds").get(1).get("status").asText());
        assertTrue(json.get("maxTimeToFirstFrameMs").asLong() >= json.get("timeToFirstFrameMs").asLong());
        assertTrue(TerminalReport.render(report, false).contains("✗ 2/4 "), TerminalReport.render(report, false));
        assertTrue(MarkdownReport.render(report).contains("❌ 2/4 "), MarkdownReport.render(report));
        assertTrue(HtmlReport.render(report).contains(">2/4 "), HtmlReport.render(report));
        assertTrue(JunitReport.render(report).contains("2/4 passed"), JunitReport.render(report));
    }

    @Test
    void smokeRepeatsAndReportsOneRecordPerCell() throws Exception {
        Fakes.Outcome outcome = Fakes.smoke(out.resolve("out"), Map.of(), "--repeat", "3", "--timeout", "10");
        assertEquals(0, outcome.exitCode(), outcome.all());
        JsonNode cells = outcome.results().get("cells");
        assertEquals(1, cells.size());
        assertEquals("3/3", cells.get(0).get("passRate").asText());
        assertEquals(3, outcome.results().get("options").get("repeat").asInt());
        for (int round = 1; round <= 3; round++) {
            assertTrue(outcome.stdout().contains(" [round " + round + "/3]\n"), "each round's progress line says which: " + outcome.stdout());
        }
    }

    @Test
    void tokenRepeatsEachCellWithItsOwnLogsPerRound() throws Exception {
        Fakes.Outcome outcome = Fakes.run("token", out.resolve("token"), Map.of("TOKEN_BIN", TokenRunTest.FAKE_TOKEN.toString()), Duration.ofSeconds(90),
                "--algorithms", "HS256", "--repeat", "2", "--timeout", "10");
        assertEquals(0, outcome.exitCode(), outcome.all());
        JsonNode cell = outcome.results().get("cells").get(0);
        assertEquals("2/2", cell.get("passRate").asText());
        assertTrue(Files.exists(outcome.out().resolve("cells/rust-rust-HS256/round-2/token.log")));
    }

    @Test
    void repeatMustBePositive() throws Exception {
        Fakes.Outcome outcome = Fakes.smoke(null, Map.of(), "--repeat", "0");
        assertEquals(2, outcome.exitCode(), outcome.all());
        assertTrue(outcome.stderr().contains("--repeat must be at least 1"), outcome.stderr());
    }
}
