import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
import lib.relay.RelayAhead;
import lib.relay.RelayConfig;
import lib.report.CellResult.Status;
import lib.report.CellResult;

/** The relay started while clients install. Alone: "every process stopped" counts all of this JVM's children. */
@Isolated
class EarlyRelayTest {
    @TempDir Path out;
    private final RelayConfig config = RelayConfig.load(Path.of("smoke.toml"));

    @Test
    void aRelayStartedEarlyServesTheCells() {
        Workspace workspace = Workspace.create(out);
        Client good = FakeClients.Moq.good("good");
        Tool relay = MatrixTest.fakeRelay("serve");
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

    /**
     * A relay binary at bin/moq-relay that says which build it is on its log and adds a
     * line to bin/starts (a record no discarded log takes along), then runs the fake relay.
     */
    static Path relayBuild(Path bin, String build) throws Exception {
        java.nio.file.Files.createDirectories(bin);
        Path staged = bin.resolve(".moq-relay-" + build);
        java.nio.file.Files.writeString(staged, "#!/bin/sh\necho \"relay build: " + build + "\" >&2\n"
                + "echo " + build + " >>'" + bin.resolve("starts") + "'\n"
                + "exec env FAKE_RELAY_MODE=serve PATH='" + Fakes.path() + "' '" + Fakes.RELAY + "' \"$@\"\n");
        assertTrue(staged.toFile().setExecutable(true));
        // As cargo install does: the new file is renamed over the old one.
        return java.nio.file.Files.move(staged, bin.resolve("moq-relay"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private Optional<RelayAhead> ahead(Workspace workspace, Path binary) {
        return RelayAhead.start(Optional.of(binary), config, workspace, out.resolve("relay.log"));
    }

    private List<CellResult> cellsOn(Workspace workspace, Tool relay, RelayConfig config, Relay.Starting early) {
        Client good = FakeClients.Moq.good("good");
        var installed = Clients.install(List.of(good), new ClientContext(workspace, Channel.PATH));
        var settings = new MediaMatrix.Settings(Duration.ofSeconds(5), 4, MediaSource.CLIP, false, Transport.QUIC);
        return new MediaMatrix(workspace, settings, installed, c -> "rerun", r -> {})
                .run(MediaMatrix.plan(List.of(good), List.of(good), false), relay, config, early, log -> {});
    }

    @Test
    void aRelayStartedAheadOfItsCheckServesTheCellsWhenTheCheckLeavesItsBinaryAlone() throws Exception {
        Workspace workspace = Workspace.create(out);
        Path binary = relayBuild(out.resolve("bin"), "old");
        Optional<RelayAhead> ahead = ahead(workspace, binary);
        assertTrue(ahead.isPresent());
        Tool checked = Tool.at("moq-relay", binary);
        Relay.Starting early = MediaMatrix.startRelayEarly(checked, config, workspace, ahead).orElseThrow();
        List<CellResult> results = cellsOn(workspace, checked, config, early);
        assertEquals(Status.PASS, results.get(0).status(), results.get(0).reason());
        assertEquals(1, countOf(java.nio.file.Files.readString(out.resolve("relay.log")), "relay build: old"));
        assertEquals(List.of("old"), java.nio.file.Files.readAllLines(out.resolve("bin/starts")), "one relay, the one started ahead");
        assertEquals(0, Proc.liveCount(), "relay and publisher stopped");
        workspace.deleteScratch();
    }

    @Test
    void aRelayStartedAheadIsReplacedWhenTheCheckInstalledANewBinary() throws Exception {
        Workspace workspace = Workspace.create(out);
        Path binary = relayBuild(out.resolve("bin"), "old");
        Optional<RelayAhead> ahead = ahead(workspace, binary);
        // The new build lands once the old one runs: landing earlier is also discarded (it is not the file started), but starts "new" twice.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> java.nio.file.Files.exists(out.resolve("bin/starts")));
        relayBuild(out.resolve("bin"), "new");
        Tool checked = Tool.at("moq-relay", binary);
        Relay.Starting early = MediaMatrix.startRelayEarly(checked, config, workspace, ahead).orElseThrow();
        List<CellResult> results = cellsOn(workspace, checked, config, early);
        assertEquals(Status.PASS, results.get(0).status(), results.get(0).reason());
        String log = java.nio.file.Files.readString(out.resolve("relay.log"));
        assertEquals(0, countOf(log, "relay build: old"), "the relay started ahead left nothing in the log: " + log);
        assertEquals(1, countOf(log, "relay build: new"), log);
        assertEquals(List.of("old", "new"), java.nio.file.Files.readAllLines(out.resolve("bin/starts")));
        assertEquals(0, Proc.liveCount(), "both relays stopped");
        workspace.deleteScratch();
    }

    @Test
    void aRelayStartedAheadGoesWithoutTraceWhenTheCheckFails() throws Exception {
        Workspace workspace = Workspace.create(out);
        Path binary = relayBuild(out.resolve("bin"), "old");
        Optional<RelayAhead> ahead = ahead(workspace, binary);
        Tool failed = Tool.missing("moq-relay", Availability.broken("cargo install moq-relay failed: error: no matching package"));
        assertTrue(MediaMatrix.startRelayEarly(failed, config, workspace, ahead).isEmpty());
        assertFalse(java.nio.file.Files.exists(out.resolve("relay.log")), "no relay log");
        assertEquals(0, Proc.liveCount(), "the relay started ahead was stopped");
        workspace.deleteScratch();
    }

    @Test
    void onlyTheCargoChannelHasARelayFromAnEarlierRun() throws Exception {
        Workspace workspace = new Workspace(out.resolve("cache"), out.resolve("scratch"), out.resolve("run"));
        assertEquals(Optional.empty(), Channel.CARGO.previouslyInstalled(lib.delivery.Crate.RELAY, workspace), "before the first install");
        Path binary = relayBuild(out.resolve("cache/cargo/bin"), "old");
        assertEquals(Optional.of(binary), Channel.CARGO.previouslyInstalled(lib.delivery.Crate.RELAY, workspace));
        for (Channel other : List.of(Channel.PATH, Channel.APT, Channel.BREW, Channel.NIX, Channel.DOCKER)) {
            assertEquals(Optional.empty(), other.previouslyInstalled(lib.delivery.Crate.RELAY, workspace), other.id());
        }
        assertTrue(RelayAhead.start(Optional.empty(), config, workspace, out.resolve("relay.log")).isEmpty());
    }

    private static int countOf(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }
}
