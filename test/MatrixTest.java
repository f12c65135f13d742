import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lib.clients.Client.Role;
import lib.clients.Client;
import lib.clients.Clients;
import lib.core.Availability;
import lib.core.Proc;
import lib.core.UsageError;
import lib.core.Workspace;
import lib.delivery.Channel;
import lib.delivery.Tool;
import lib.matrix.MediaMatrix;
import lib.media.Fmp4FrameProbe;
import lib.media.MediaSource;
import lib.relay.RelayConfig;
import lib.report.CellResult.Status;
import lib.report.CellResult;

class MatrixTest {
    @TempDir Path out;

    /** A client driven by the fake moq CLI, in whatever mode a test needs. */
    record FakeClient(String name, Availability prepared, String subscribeMode, String publishMode) implements Client {
        static FakeClient good(String name) {
            return new FakeClient(name, Availability.ready("fake 1.0"), "frame", "");
        }

        public Set<Role> roles() {
            return Set.of(Role.PUBLISH, Role.SUBSCRIBE);
        }

        public Availability check() {
            return prepared;
        }

        public Availability prepare(Workspace workspace) {
            if (prepared == null) throw new IllegalStateException("install exploded");
            return prepared;
        }

        public Launch publish(Target target) {
            List<String> command = publishMode.equals("crash")
                    ? List.of("sh", "-c", "echo cannot publish >&2; exit 7")
                    : List.of(Fakes.MOQ.toString(), "--broadcast", target.broadcast(), "import", "avc3");
            return Launch.publisher(Proc.Spec.of(command), true);
        }

        public Launch subscribe(Target target) {
            return Launch.subscriber(Proc.Spec.of(List.of(Fakes.MOQ.toString(), "--broadcast", target.broadcast(), "export", "fmp4"))
                    .withEnv(Map.of("FAKE_MOQ_MODE", subscribeMode)), Fmp4FrameProbe.factory(), true);
        }
    }

    List<CellResult> run(List<Client> pubs, List<Client> subs, boolean negative, Duration timeout, Tool relay) {
        Workspace workspace = Workspace.create(out);
        Map<Client, Availability> prepared = Clients.prepare(union(pubs, subs), workspace);
        List<CellResult> recorded = new ArrayList<>();
        Function<MediaMatrix.Cell, String> rerun = c -> "rerun " + c.from() + " " + c.to();
        var settings = new MediaMatrix.Settings(timeout, 4, MediaSource.CLIP, negative);
        List<CellResult> results = new MediaMatrix(workspace, settings, prepared, rerun, recorded::add)
                .run(MediaMatrix.plan(pubs, subs, negative), relay, RelayConfig.load(Path.of("smoke.toml")), log -> {});
        assertEquals(results.size(), recorded.size(), "every cell is recorded once as it finishes");
        workspace.deleteScratch();
        return results;
    }

    static Tool fakeRelay(String mode) {
        return new Tool("moq-relay", List.of("env", "FAKE_RELAY_MODE=" + mode, Fakes.RELAY.toString()), Availability.ready(""));
    }

    static List<Client> union(List<Client> a, List<Client> b) {
        var all = new java.util.LinkedHashSet<Client>(a);
        all.addAll(b);
        return new ArrayList<>(all);
    }

    @Test
    void aBrokenOrUnavailableClientFailsOnlyItsOwnCells() {
        Client good = FakeClient.good("good");
        Client broken = new FakeClient("broken", null, "frame", "");
        Client absent = new FakeClient("absent", Availability.unavailable("absent not found on PATH"), "frame", "");
        Client initOnly = new FakeClient("init-only", Availability.ready("fake"), "init-only", "");
        List<CellResult> results = run(List.of(good, broken), List.of(good, broken, absent, initOnly), false,
                Duration.ofSeconds(3), fakeRelay("serve"));
        Map<String, CellResult> byKey = new java.util.HashMap<>();
        results.forEach(r -> byKey.put(r.key(), r));
        assertEquals(Status.PASS, byKey.get("good→good").status());
        assertTrue(byKey.get("good→good").firstFrame() != null);
        assertEquals(Status.FAIL, byKey.get("good→broken").status());
        assertTrue(byKey.get("good→broken").reason().contains("install exploded"), byKey.get("good→broken").reason());
        assertEquals(Status.UNAVAILABLE, byKey.get("good→absent").status());
        assertEquals("subscriber absent unavailable: absent not found on PATH", byKey.get("good→absent").reason());
        assertEquals(Status.FAIL, byKey.get("good→init-only").status());
        assertEquals("no frame within 3s", byKey.get("good→init-only").reason());
        assertNull(byKey.get("good→init-only").firstFrame());
        assertEquals("broken broken: broken failed to install: install exploded", byKey.get("broken→broken").reason(),
                "one client on both sides is named once");
        for (String sub : List.of("good", "broken", "absent", "init-only")) {
            assertEquals(Status.FAIL, byKey.get("broken→" + sub).status(), "a broken publisher fails its row: " + sub);
        }
    }

    /** A language client in the style of clients/: a "received N bytes" line on stdout, its log on stderr. */
    record MarkerClient(String name, String script) implements Client {
        public Set<Role> roles() {
            return Set.of(Role.SUBSCRIBE);
        }

        public Availability check() {
            return Availability.ready("");
        }

        public Availability prepare(Workspace workspace) {
            return check();
        }

        public Launch publish(Target target) {
            throw new UnsupportedOperationException();
        }

        public Launch subscribe(Target target) {
            return Launch.subscriber(Proc.Spec.of(List.of("sh", "-c", script, "sh", target.broadcast())), lib.MarkerProbe.factory(), false);
        }
    }

    @Test
    void aMarkerClientPassesOnItsLineAndKeepsItsOutputInTheLog() throws Exception {
        Client says = new MarkerClient("says", "echo connecting >&2; echo \"received 42 bytes from $1\"; sleep 30");
        Client mute = new MarkerClient("mute", "echo connecting >&2; echo received nothing; sleep 30");
        List<CellResult> results = run(List.of(FakeClient.good("pub")), List.of(says, mute), false, Duration.ofSeconds(2), fakeRelay("serve"));
        assertEquals(Status.PASS, results.get(0).status());
        assertTrue(results.get(0).reason().matches("received 42 bytes from smoke-pub-.*\\.hang"), results.get(0).reason());
        String log = java.nio.file.Files.readString(out.resolve("cells/pub-says/subscriber.log"));
        assertTrue(log.contains("connecting") && log.contains("received 42 bytes"), log);
        assertEquals(Status.FAIL, results.get(1).status());
        assertTrue(java.nio.file.Files.readString(out.resolve("cells/pub-mute/subscriber.log")).contains("received nothing"));
    }

    @Test
    void aPublisherThatDiesFailsItsCellsWithItsExitCode() {
        Client dying = new FakeClient("dying", Availability.ready("fake"), "hang", "crash");
        Client hanging = new FakeClient("hanging", Availability.ready("fake"), "hang", "");
        CellResult starved = run(List.of(dying), List.of(hanging), false, Duration.ofSeconds(2), fakeRelay("serve")).get(0);
        assertEquals(Status.FAIL, starved.status());
        assertEquals("publisher exited (code 7) before a frame arrived", starved.reason());
    }

    @Test
    void aRelayThatExitsMidRunFailsTheCellsWithItsCode() {
        Client hanging = new FakeClient("hanging", Availability.ready("fake"), "hang", "");
        CellResult result = run(List.of(FakeClient.good("pub")), List.of(hanging), false, Duration.ofSeconds(4), fakeRelay("exit-after:1")).get(0);
        assertEquals(Status.FAIL, result.status());
        assertEquals("relay exited (code 4)", result.reason());
    }

    @Test
    void aRelayThatDiesAtStartFailsEveryRunnableCell() {
        List<CellResult> results = run(List.of(FakeClient.good("pub")), List.of(FakeClient.good("a"), FakeClient.good("b")), false,
                Duration.ofSeconds(2), fakeRelay("exit-at-start"));
        for (CellResult result : results) {
            assertEquals(Status.FAIL, result.status());
            assertEquals("relay exited during start-up (code 3)", result.reason());
        }
    }

    @Test
    void anUnavailableRelayMakesCellsUnavailableNotFailed() {
        Tool none = Tool.missing("moq-relay", Availability.unavailable("nix not found on PATH"));
        CellResult result = run(List.of(FakeClient.good("pub")), List.of(FakeClient.good("sub")), false, Duration.ofSeconds(2), none).get(0);
        assertEquals(Status.UNAVAILABLE, result.status());
        assertEquals("relay unavailable: nix not found on PATH", result.reason());
    }

    @Test
    void negativeCellsPassOnlyWhenTheSubscriberWaitedEmptyHanded() {
        Client waits = new FakeClient("waits", Availability.ready("fake"), "hang", "");
        Client liar = FakeClient.good("liar");
        Client quitter = new FakeClient("quitter", Availability.ready("fake"), "exit1", "");
        List<CellResult> results = run(List.of(), List.of(waits, liar, quitter), true, Duration.ofSeconds(2), fakeRelay("serve"));
        assertEquals(Status.PASS, results.get(0).status());
        assertEquals("none", results.get(0).from());
        assertEquals(Status.FAIL, results.get(1).status());
        assertTrue(results.get(1).reason().startsWith("received a frame from a broadcast nobody published"));
        assertEquals(Status.FAIL, results.get(2).status());
        assertTrue(results.get(2).reason().startsWith("subscriber exited (code 1) before the timeout"), results.get(2).reason());
    }

    @Test
    void planCoversEveryPairOrEverySubscriberAlone() {
        List<Client> three = List.of(FakeClient.good("a"), FakeClient.good("b"), FakeClient.good("c"));
        assertEquals(6, MediaMatrix.plan(three.subList(0, 2), three, false).size());
        assertEquals(3, MediaMatrix.plan(three.subList(0, 2), three, true).size());
    }

    @Test
    void selectionChecksNamesAndRoles() {
        var known = Clients.all(Channel.PATH);
        assertEquals(List.of("rust", "python"), Clients.select(known, List.of("rust", "python", "rust"), Role.PUBLISH, "--publishers")
                .stream().map(Client::name).toList());
        UsageError unknown = assertThrows(UsageError.class, () -> Clients.select(known, List.of("cobol"), Role.SUBSCRIBE, "--subscribers"));
        assertTrue(unknown.getMessage().contains("valid: rust, python, go"), unknown.getMessage());
        UsageError role = assertThrows(UsageError.class, () -> Clients.select(known, List.of("swift"), Role.PUBLISH, "--publishers"));
        assertTrue(role.getMessage().startsWith("swift cannot publish"), role.getMessage());
        assertEquals(12, Clients.select(known, List.of(), Role.SUBSCRIBE, "--subscribers").size());
        assertEquals(6, Clients.select(known, List.of(), Role.PUBLISH, "--publishers").size());
    }
}
