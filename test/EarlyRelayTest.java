import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

import lib.clients.Client;
import lib.clients.ClientContext;
import lib.clients.Clients;
import lib.core.Availability;
import lib.core.Proc;
import lib.core.Workspace;
import lib.delivery.Channel;
import lib.delivery.Tool;
import lib.matrix.MediaMatrix;
import lib.media.MediaSource;
import lib.media.Transport;
import lib.relay.Relay;
import lib.relay.RelayConfig;
import lib.report.CellResult.Status;
import lib.report.CellResult;

/** The relay started while clients install. Alone: "every process stopped" counts all of this JVM's children. */
@Isolated
class EarlyRelayTest {
    @TempDir Path out;

    @Test
    void aRelayStartedEarlyServesTheCells() {
        Workspace workspace = Workspace.create(out);
        Client good = FakeClients.Moq.good("good");
        Tool relay = MatrixTest.fakeRelay("serve");
        RelayConfig config = RelayConfig.load(Path.of("smoke.toml"));
        Relay.Starting early = MediaMatrix.startRelayEarly(relay, config, workspace).orElseThrow();
        var installed = Clients.install(List.of(good), new ClientContext(workspace, Channel.PATH));
        var settings = new MediaMatrix.Settings(Duration.ofSeconds(5), 4, MediaSource.CLIP, false, Transport.QUIC);
        List<Path> relayLogs = new ArrayList<>();
        List<CellResult> results = new MediaMatrix(workspace, settings, installed, c -> "rerun", r -> {})
                .run(MediaMatrix.plan(List.of(good), List.of(good), false), relay, config, early, relayLogs::add);
        assertEquals(Status.PASS, results.get(0).status(), results.get(0).reason());
        assertEquals(List.of(out.resolve("relay.log")), relayLogs);
        assertEquals(0, Proc.liveCount(), "relay and publisher stopped");
        workspace.deleteScratch();
    }

    @Test
    void aRelayStartedEarlyForCellsThatCannotRunLeavesNoTrace() {
        Workspace workspace = Workspace.create(out);
        Client absent = new FakeClients.Moq("absent", Availability.unavailable("absent not found on PATH"), "frame", "", Map.of());
        Tool relay = MatrixTest.fakeRelay("serve");
        RelayConfig config = RelayConfig.load(Path.of("smoke.toml"));
        Relay.Starting early = MediaMatrix.startRelayEarly(relay, config, workspace).orElseThrow();
        var installed = Clients.install(List.of(absent), new ClientContext(workspace, Channel.PATH));
        var settings = new MediaMatrix.Settings(Duration.ofSeconds(5), 4, MediaSource.CLIP, false, Transport.QUIC);
        List<Path> relayLogs = new ArrayList<>();
        List<CellResult> results = new MediaMatrix(workspace, settings, installed, c -> "rerun", r -> {})
                .run(MediaMatrix.plan(List.of(absent), List.of(absent), false), relay, config, early, relayLogs::add);
        assertEquals(Status.UNAVAILABLE, results.get(0).status(), results.get(0).reason());
        assertEquals(List.of(), relayLogs, "no relay in the report");
        assertFalse(java.nio.file.Files.exists(out.resolve("relay.log")), "nor its log");
        assertEquals(0, Proc.liveCount(), "the relay was stopped");
        workspace.deleteScratch();
    }
}
