import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lib.clients.Client.Role;
import lib.clients.Client;
import lib.clients.ClientContext;
import lib.media.Transport;
import lib.clients.Clients;
import lib.core.Availability;
import lib.core.UsageError;
import lib.core.Workspace;
import lib.delivery.Channel;
import lib.delivery.Tool;
import lib.matrix.MediaMatrix;
import lib.media.MediaSource;
import lib.relay.RelayConfig;
import lib.report.CellResult.Status;
import lib.report.CellResult;

class MatrixTest {
    @TempDir Path out;

    List<CellResult> run(List<Client> pubs, List<Client> subs, boolean negative, Duration timeout, Tool relay) {
        return run(pubs, subs, negative, timeout, relay, Transport.QUIC);
    }

    List<CellResult> run(List<Client> pubs, List<Client> subs, boolean negative, Duration timeout, Tool relay, Transport transport) {
        Workspace workspace = Workspace.create(out);
        Map<Client, Client.Installed> installed = Clients.install(union(pubs, subs), new ClientContext(workspace, Channel.PATH));
        List<CellResult> recorded = new ArrayList<>();
        Function<MediaMatrix.Cell, String> rerun = c -> "rerun " + c.from() + " " + c.to();
        var settings = new MediaMatrix.Settings(timeout, 4, MediaSource.CLIP, negative, transport);
        List<CellResult> results = new MediaMatrix(workspace, settings, installed, rerun, recorded::add)
                .run(MediaMatrix.plan(pubs, subs, negative), relay, RelayConfig.load(Path.of("smoke.toml")), log -> {});
        assertEquals(results.size(), recorded.size(), "every cell is recorded once as it finishes");
        workspace.deleteScratch();
        return results;
    }

    static Tool fakeRelay(String mode) {
        return new Tool("moq-relay", List.of("env", "FAKE_RELAY_MODE=" + mode, "PATH=" + Fakes.path(), Fakes.RELAY.toString()), Availability.ready(""));
    }

    static List<Client> union(List<Client> a, List<Client> b) {
        var all = new java.util.LinkedHashSet<Client>(a);
        all.addAll(b);
        return new ArrayList<>(all);
    }

    @Test
    void aBrokenOrUnavailableClientFailsOnlyItsOwnCells() {
        Client good = FakeClients.Moq.good("good");
        Client broken = new FakeClients.Moq("broken", null, "frame", "", Map.of());
        Client absent = new FakeClients.Moq("absent", Availability.unavailable("absent not found on PATH"), "frame", "", Map.of());
        Client initOnly = new FakeClients.Moq("init-only", Availability.ready("fake"), "init-only", "", Map.of());
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
        assertTrue(byKey.get("good→init-only").reason().contains("init segment only"), byKey.get("good→init-only").reason());
        assertNull(byKey.get("good→init-only").firstFrame());
        assertEquals("broken broken: broken failed to install: install exploded", byKey.get("broken→broken").reason(),
                "one client on both sides is named once");
        for (String sub : List.of("good", "broken", "absent", "init-only")) {
            assertEquals(Status.FAIL, byKey.get("broken→" + sub).status(), "a broken publisher fails its row: " + sub);
        }
    }

    /**
     * A client broken at install shows the install logs it wrote or shared, not every
     * client's: those buried its cause (a --full run printed six kotlin failures of 181
     * lines each, npm's, uv's and cargo's logs included). One that named none shows them all.
     */
    @Test
    void aClientBrokenAtInstallShowsItsOwnInstallLogs() {
        Client brokenWithLogs = new FakeClients.Logging("logged", true);
        Client fine = new FakeClients.Logging("fine", false);
        Client exploding = new FakeClients.Moq("exploding", null, "frame", "", Map.of());
        List<CellResult> results = run(List.of(fine), List.of(brokenWithLogs, exploding), false, Duration.ofSeconds(3), fakeRelay("serve"));
        CellResult logged = results.get(0);
        assertEquals(Status.FAIL, logged.status(), logged.reason());
        assertEquals(List.of("own-logged.log", "shared-toolchain.log"), names(logged.logs()));
        CellResult blind = results.get(1);
        assertEquals(Status.FAIL, blind.status(), blind.reason());
        assertEquals(List.of("own-fine.log", "own-logged.log", "shared-toolchain.log"), names(blind.logs()));
    }

    /**
     * A broken install's warnings and versions survive the install-log bookkeeping: go's
     * "did not resolve; built against X instead" is the hint to why its build broke, and
     * the version that broke belongs in the report's versions.
     */
    @Test
    void aBrokenInstallKeepsItsWarningsAndVersions() {
        String fallback = "moq.dev/moq did not resolve (403 Forbidden); built against github.com/moq-dev/moq-go instead";
        Client broken = new FakeClients.Logging("gone", true, List.of(fallback));
        Workspace workspace = Workspace.create(out);
        Map<Client, Client.Installed> installed = Clients.install(List.of(broken), new ClientContext(workspace, Channel.PATH));
        assertEquals(List.of(fallback), installed.get(broken).warnings());
        assertEquals(Map.of("gone", "1.0"), installed.get(broken).versions());
        workspace.deleteScratch();
        CellResult cell = run(List.of(FakeClients.Moq.good("fine")), List.of(broken), false, Duration.ofSeconds(2), fakeRelay("serve")).get(0);
        assertEquals(Status.FAIL, cell.status(), cell.reason());
        assertTrue(cell.warnings().contains(fallback), cell.warnings().toString());
    }

    /**
     * A cell whose two sides are both broken, one naming its own logs and one naming none,
     * still shows every install log: the silent side's cause may be in any of them.
     */
    @Test
    void aBrokenSideThatNamedNoLogsKeepsEveryLogBesideOneThatNamedSome() {
        Client exploding = new FakeClients.Moq("exploding", null, "frame", "", Map.of());
        Client logged = new FakeClients.Logging("logged", true);
        Client fine = new FakeClients.Logging("fine", false);
        List<CellResult> results = run(List.of(exploding), List.of(logged, fine), false, Duration.ofSeconds(2), fakeRelay("serve"));
        CellResult both = results.get(0);
        assertEquals("exploding→logged", both.key());
        assertEquals(Status.FAIL, both.status(), both.reason());
        assertEquals(List.of("own-fine.log", "own-logged.log", "shared-toolchain.log"), names(both.logs()));
    }

    /** What an install found worth a look (a bundle's duplicated packages) stands in each of that client's cells, once, whatever their colour. */
    @Test
    void anInstallsWarningsStandInEachOfItsCells() {
        String duplicated = "the vite bundle carries more than one version of @moq packages: @moq/net 0.2.8, 0.3.4";
        Client warned = new FakeClients.Logging("warned", false, List.of(duplicated));
        Client fine = FakeClients.Moq.good("fine");
        Client mute = FakeClients.Moq.subscribing("mute", "hang");
        List<CellResult> results = run(List.of(warned, fine), List.of(warned, fine, mute), false, Duration.ofSeconds(2), fakeRelay("serve"));
        Map<String, CellResult> byKey = new java.util.HashMap<>();
        results.forEach(r -> byKey.put(r.key(), r));
        for (String key : List.of("warned→warned", "warned→fine", "fine→warned", "warned→mute")) {
            assertEquals(1, java.util.Collections.frequency(byKey.get(key).warnings(), duplicated), key + ": " + byKey.get(key).warnings());
        }
        assertEquals(Status.FAIL, byKey.get("warned→mute").status());
        assertFalse(byKey.get("fine→fine").warnings().contains(duplicated));
    }

    private static List<String> names(List<Path> logs) {
        return logs.stream().map(p -> p.getFileName().toString()).sorted().toList();
    }

    @Test
    void aMarkerClientPassesOnItsLineAndKeepsItsOutputInTheLog() throws Exception {
        Client says = new FakeClients.Script("says", "echo connecting >&2; echo \"received 42 bytes from $1\"; sleep 30");
        Client mute = new FakeClients.Script("mute", "echo connecting >&2; echo received nothing; sleep 30");
        List<CellResult> results = run(List.of(FakeClients.Moq.good("pub")), List.of(says, mute), false, Duration.ofSeconds(2), fakeRelay("serve"));
        assertEquals(Status.PASS, results.get(0).status());
        assertTrue(results.get(0).reason().matches("received 42 bytes from smoke-pub-.*\\.hang"), results.get(0).reason());
        String log = java.nio.file.Files.readString(out.resolve("cells/pub-says/subscriber.log"));
        assertTrue(log.contains("connecting") && log.contains("received 42 bytes"), log);
        assertEquals(Status.FAIL, results.get(1).status());
        assertTrue(java.nio.file.Files.readString(out.resolve("cells/pub-mute/subscriber.log")).contains("received nothing"));
    }

    @Test
    void aPublisherThatDiesFailsItsCellsWithItsExitCode() {
        Client dying = new FakeClients.Moq("dying", Availability.ready("fake"), "hang", "crash", Map.of());
        Client hanging = new FakeClients.Moq("hanging", Availability.ready("fake"), "hang", "", Map.of());
        CellResult starved = run(List.of(dying), List.of(hanging), false, Duration.ofSeconds(2), fakeRelay("serve")).get(0);
        assertEquals(Status.FAIL, starved.status());
        assertEquals("publisher exited (code 7) before a frame arrived: Error: cannot publish", starved.reason());
    }

    @Test
    void aRelayThatExitsMidRunFailsTheCellsWithItsCode() {
        Client hanging = new FakeClients.Moq("hanging", Availability.ready("fake"), "hang", "", Map.of());
        CellResult result = run(List.of(FakeClients.Moq.good("pub")), List.of(hanging), false, Duration.ofSeconds(4), fakeRelay("exit-after:1")).get(0);
        assertEquals(Status.FAIL, result.status());
        assertEquals("relay exited (code 4) during the cell", result.reason());
    }

    @Test
    void aRelayThatDiesAtStartFailsEveryRunnableCell() {
        List<CellResult> results = run(List.of(FakeClients.Moq.good("pub")), List.of(FakeClients.Moq.good("a"), FakeClients.Moq.good("b")), false,
                Duration.ofSeconds(2), fakeRelay("exit-at-start"));
        for (CellResult result : results) {
            assertEquals(Status.FAIL, result.status());
            assertEquals("relay exited during start-up (code 3)", result.reason());
        }
    }

    @Test
    void anUnavailableRelayMakesCellsUnavailableNotFailed() {
        Tool none = Tool.missing("moq-relay", Availability.unavailable("nix not found on PATH"));
        CellResult result = run(List.of(FakeClients.Moq.good("pub")), List.of(FakeClients.Moq.good("sub")), false, Duration.ofSeconds(2), none).get(0);
        assertEquals(Status.UNAVAILABLE, result.status());
        assertEquals("relay unavailable: nix not found on PATH", result.reason());
    }

    @Test
    void negativeCellsPassOnlyWhenTheSubscriberWaitedEmptyHanded() {
        Client waits = new FakeClients.Moq("waits", Availability.ready("fake"), "hang", "", Map.of());
        Client liar = FakeClients.Moq.good("liar");
        Client quitter = new FakeClients.Moq("quitter", Availability.ready("fake"), "exit1", "", Map.of());
        // 8 s: the liar's frame and the quitter's exit must land within it while the
        // whole suite loads two cores (it failed once at 4 s in a full run).
        List<CellResult> results = run(List.of(), List.of(waits, liar, quitter), true, Duration.ofSeconds(8), fakeRelay("serve"));
        assertEquals(Status.PASS, results.get(0).status(), results.get(0).reason());
        assertEquals("none", results.get(0).from());
        assertEquals(Status.FAIL, results.get(1).status(), results.get(1).reason());
        assertTrue(results.get(1).reason().startsWith("received a frame from a broadcast nobody published"), results.get(1).reason());
        assertEquals(Status.FAIL, results.get(2).status(), results.get(2).reason());
        assertTrue(results.get(2).reason().startsWith("subscriber exited (code 1) before the timeout"), results.get(2).reason());
    }

    /**
     * A subscriber that ends at once while something it started still holds its output
     * ended before the timeout: a negative cell fails, as for any subscriber that gave up.
     * Its exit was known only once its output closed, 5 s later, so a negative run with a
     * shorter timeout passed it ("received nothing, as it must"). A frame it printed last
     * still counts.
     */
    @Test
    void aSubscriberEndsWhenItExitsThoughADescendantHoldsItsOutput() {
        Client gives = new FakeClients.Script("gives-up", "(sleep 30) & echo 'Error: cannot connect' >&2; exit 1");
        CellResult negative = run(List.of(), List.of(gives), true, Duration.ofSeconds(2), fakeRelay("serve")).get(0);
        assertEquals(Status.FAIL, negative.status(), negative.reason());
        assertEquals("subscriber exited (code 1) before the timeout, so it proves nothing: it must keep waiting (Error: cannot connect)", negative.reason());
        Client says = new FakeClients.Script("says-last", "(sleep 30) & echo \"received 9 bytes from $1\"; exit 0");
        CellResult positive = run(List.of(FakeClients.Moq.good("pub")), List.of(says), false, Duration.ofSeconds(3), fakeRelay("serve")).get(0);
        assertEquals(Status.PASS, positive.status(), positive.reason());
    }

    @Test
    void planCoversEveryPairOrEverySubscriberAlone() {
        List<Client> three = List.of(FakeClients.Moq.good("a"), FakeClients.Moq.good("b"), FakeClients.Moq.good("c"));
        assertEquals(6, MediaMatrix.plan(three.subList(0, 2), three, false).size());
        assertEquals(3, MediaMatrix.plan(three.subList(0, 2), three, true).size());
    }

    /** The seam's in-process path: a side driven inside the JVM (as a browser page is) is judged like a process. */
    @Test
    void anInProcessSideIsJudgedAndStoppedLikeAProcess() {
        List<FakeClients.InProcessSide> sides = new java.util.concurrent.CopyOnWriteArrayList<>();
        Client page = new FakeClients.InProcess("page", target -> {
            FakeClients.InProcessSide side = new FakeClients.InProcessSide();
            side.transport = Transport.QUIC;
            CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS).execute(() -> side.frame.complete("canvas painted, 1234 bytes"));
            sides.add(side);
            return side;
        });
        List<CellResult> results = run(List.of(page), List.of(page), false, Duration.ofSeconds(3), fakeRelay("serve"));
        assertEquals(Status.PASS, results.get(0).status(), results.get(0).reason());
        assertEquals("canvas painted, 1234 bytes", results.get(0).reason());
        assertEquals(Map.of("publisher", "quic", "subscriber", "quic"), results.get(0).transports());
        assertTrue(sides.stream().allMatch(s -> s.stopped), "every side is stopped at the end");
    }

    /** A frame that arrived over the WebSocket fallback is not QUIC interop: red under the default, recorded under any. */
    @Test
    void aSideThatFellBackToWebSocketFailsUnlessAnyIsAsked() {
        Client fellBack = new FakeClients.InProcess("fell-back", target -> {
            FakeClients.InProcessSide side = new FakeClients.InProcessSide();
            side.transport = Transport.WEBSOCKET;
            side.frame.complete("received 10 bytes");
            return side;
        });
        CellResult red = run(List.of(fellBack), List.of(fellBack), false, Duration.ofSeconds(3), fakeRelay("serve")).get(0);
        assertEquals(Status.FAIL, red.status());
        assertEquals("subscriber fell back to WebSocket: WebTransport: connection refused", red.reason());
        CellResult any = run(List.of(fellBack), List.of(fellBack), false, Duration.ofSeconds(3), fakeRelay("serve"), Transport.ANY).get(0);
        assertEquals(Status.PASS, any.status(), any.reason());
        assertEquals("websocket", any.transports().get("subscriber"));
    }

    /** The fake moq CLI says "transport: websocket" on stderr: a process side reports it the same way. */
    @Test
    void aProcessSideReportsTheTransportItDeclared() {
        Client ws = FakeClients.Moq.good("ws").withEnv(Map.of("FAKE_MOQ_TRANSPORT", "websocket"));
        CellResult red = run(List.of(FakeClients.Moq.good("pub")), List.of(ws), false, Duration.ofSeconds(3), fakeRelay("serve")).get(0);
        assertEquals(Status.FAIL, red.status());
        assertTrue(red.reason().startsWith("subscriber fell back to WebSocket"), red.reason());
    }

    /** A client that crashes at exit after its frame stays green, with the crash as a warning. */
    @Test
    void aCrashAfterTheFrameIsAWarningNotAFailure() {
        Client crashes = new FakeClients.Script("crashes", "echo 'transport: quic' >&2; echo \"received 7 bytes from $1\"; "
                + "echo 'free(): double free detected' >&2; kill -ABRT $$");
        CellResult result = run(List.of(FakeClients.Moq.good("pub")), List.of(crashes), false, Duration.ofSeconds(3), fakeRelay("serve")).get(0);
        assertEquals(Status.PASS, result.status(), result.reason());
        assertEquals(1, result.warnings().size(), result.warnings().toString());
        assertTrue(result.warnings().get(0).startsWith("subscriber exited abnormally (code 134) after the frame arrived"), result.warnings().toString());
    }

    /**
     * A subscriber whose stderr ends without a newline is judged on what it did, the
     * unfinished line its reason: the log is closed only after both streams are done.
     * It was "cell crashed: ArtifactFailure", the whole run a harness failure.
     */
    @Test
    void aSubscriberWhoseStderrEndsWithoutANewlineIsJudged() {
        Client fails = new FakeClients.Script("fails", "printf 'Error: connection refused' >&2; exit 1");
        Client passes = new FakeClients.Script("passes", "echo \"received 9 bytes from $1\"; printf 'closing' >&2; exit 0");
        List<CellResult> results = run(List.of(FakeClients.Moq.good("pub")), List.of(fails, passes), false, Duration.ofSeconds(3), fakeRelay("serve"));
        assertEquals(Status.FAIL, results.get(0).status());
        assertEquals("subscriber exited (code 1) before a frame arrived: Error: connection refused", results.get(0).reason());
        assertEquals(Status.PASS, results.get(1).status(), results.get(1).reason());
    }

    /** The first meaningful error a failing side printed is the reason, not "no frame". */
    @Test
    void theSubscribersFirstMeaningfulErrorIsTheReason() {
        Client says = new FakeClients.Script("says", "echo 'connecting to the relay' >&2; "
                + "echo \"SyntaxError: The requested module '@moq/net' does not provide an export named 'Connection'\" >&2; exit 1");
        CellResult result = run(List.of(FakeClients.Moq.good("pub")), List.of(says), false, Duration.ofSeconds(3), fakeRelay("serve")).get(0);
        assertEquals(Status.FAIL, result.status());
        assertEquals("subscriber exited (code 1) before a frame arrived: SyntaxError: The requested module '@moq/net' does not provide "
                + "an export named 'Connection'", result.reason());
    }

    /** A client that can't be made to use the asked transport says so, and the cell is unsupported, not failed. */
    @Test
    void aTransportAClientCannotUseMakesTheCellUnsupported() {
        Client quicOnly = new FakeClients.InProcess("quic-only", target -> new FakeClients.InProcessSide(),
                t -> t == Transport.WEBSOCKET ? java.util.Optional.of("it has no WebSocket switch") : java.util.Optional.empty());
        CellResult result = run(List.of(FakeClients.Moq.good("pub")), List.of(quicOnly), false, Duration.ofSeconds(2), fakeRelay("serve"),
                Transport.WEBSOCKET).get(0);
        assertEquals(Status.UNSUPPORTED, result.status());
        assertEquals("subscriber quic-only cannot use --transport websocket: it has no WebSocket switch", result.reason());
    }

    /** With no side's error to quote, the relay says whether the broadcast was ever announced; a red cell keeps its catalog. */
    @Test
    void theRelayTellsNeverAnnouncedFromAnnouncedButNoFrame() throws Exception {
        Path announced = java.nio.file.Files.createDirectories(out.resolve("announced"));
        Tool relay = new Tool("moq-relay", List.of("env", "FAKE_ANNOUNCE_DIR=" + announced, "PATH=" + Fakes.path(), Fakes.RELAY.toString()), lib.core.Availability.ready(""));
        Map<String, String> env = Map.of("FAKE_ANNOUNCE_DIR", announced.toString());
        Client hanging = FakeClients.Moq.subscribing("hanging", "hang").withEnv(env);
        Client silentPublisher = FakeClients.Moq.good("silent").withEnv(Map.of("FAKE_ANNOUNCE_DIR", announced.toString(), "FAKE_MOQ_PUBLISH", "unannounced"));
        List<CellResult> results = run(List.of(FakeClients.Moq.good("pub").withEnv(env), silentPublisher), List.of(hanging), false,
                Duration.ofSeconds(3), relay);
        assertEquals(Status.FAIL, results.get(0).status());
        assertTrue(results.get(0).reason().startsWith("broadcast announced, but no frame reached the subscriber within 3s"), results.get(0).reason());
        assertTrue(java.nio.file.Files.exists(out.resolve("cells/pub-hanging/catalog.json")), "a red cell keeps the broadcast's catalog");
        assertTrue(results.get(1).reason().matches("broadcast smoke-silent-.*\\.hang was never announced to the relay; no frame within 3s.*"),
                results.get(1).reason());
    }

    @Test
    void selectionChecksNamesAndRoles() {
        assertEquals(List.of("rust"), Clients.select(List.of("rust", "rust"), Role.PUBLISH, "--publishers")
                .stream().map(Client::name).toList());
        UsageError unknown = assertThrows(UsageError.class, () -> Clients.select(List.of("cobol"), Role.SUBSCRIBE, "--subscribers"));
        assertTrue(unknown.getMessage().contains("valid: rust"), unknown.getMessage());
        assertEquals(Clients.registered().stream().filter(c -> c.roles().contains(Role.SUBSCRIBE)).count(),
                Clients.select(List.of(), Role.SUBSCRIBE, "--subscribers").size());
    }

    /** A client whose install waits until every install of the run has begun: installs one after the other would never end. */
    record Rendezvous(String name, CountDownLatch begun, RuntimeException failure, AtomicBoolean ended) implements Client {
        public int order() {
            return 0;
        }

        public String source() {
            return "test rendezvous";
        }

        public Set<Role> roles() {
            return Set.of(Role.PUBLISH, Role.SUBSCRIBE);
        }

        public Availability check(ClientContext context) {
            return Availability.ready("");
        }

        public Installed install(ClientContext context) {
            begun.countDown();
            ConcurrentlyTest.await(begun);
            ended.set(true);
            if (failure != null) throw failure;
            return Client.notInstalled(Availability.ready(name + " 1.0"));
        }
    }

    @Test
    void clientsInstallSideBySideAndAFailingOneKeepsItsOwnReason() {
        CountDownLatch begun = new CountDownLatch(3);
        Client python = new Rendezvous("python", begun, null, new AtomicBoolean());
        Client c = new Rendezvous("c", begun, new IllegalStateException("cargo install moq-ffi: no matching package"), new AtomicBoolean());
        Client rust = new Rendezvous("rust", begun, null, new AtomicBoolean());
        Map<Client, Client.Installed> installed = Clients.install(List.of(python, c, rust), ClientContext.checkOnly(Channel.PATH));
        assertEquals(List.of(python, c, rust), List.copyOf(installed.keySet()), "in the order asked, whatever order they ended in");
        assertEquals("available (python 1.0)", installed.get(python).availability().toString());
        assertEquals(Availability.broken("c failed to install: cargo install moq-ffi: no matching package").toString(),
                installed.get(c).availability().toString());
        assertEquals("available (rust 1.0)", installed.get(rust).availability().toString());
    }

    @Test
    void badInputInOneInstallEndsTheRunOnceTheOthersHaveEnded() {
        CountDownLatch begun = new CountDownLatch(2);
        UsageError badPath = new UsageError("MOQ_CLI=/nowhere is not an executable file");
        AtomicBoolean otherEnded = new AtomicBoolean();
        Client rust = new Rendezvous("rust", begun, badPath, new AtomicBoolean());
        Client python = new Rendezvous("python", begun, null, otherEnded);
        assertSame(badPath, assertThrows(UsageError.class, () -> Clients.install(List.of(rust, python), ClientContext.checkOnly(Channel.PATH))));
        assertTrue(otherEnded.get(), "no install is left running behind the error");
    }

    @Test
    void sharedToolchainsAreMadeSideBySideAndEachOnce() {
        ClientContext context = ClientContext.checkOnly(Channel.PATH);
        CountDownLatch bothBegun = new CountDownLatch(2);
        java.util.concurrent.atomic.AtomicInteger venvs = new java.util.concurrent.atomic.AtomicInteger();
        List<java.util.function.Supplier<String>> steps = List.of(
                () -> context.shared("python-venv", () -> { venvs.incrementAndGet(); bothBegun.countDown(); ConcurrentlyTest.await(bothBegun); return "venv"; }),
                () -> context.shared("libmoq", () -> { bothBegun.countDown(); ConcurrentlyTest.await(bothBegun); return "libmoq"; }),
                () -> { ConcurrentlyTest.await(bothBegun); return context.shared("python-venv", () -> { venvs.incrementAndGet(); return "second venv"; }); });
        assertEquals(List.of("venv", "libmoq", "venv"), lib.core.Concurrently.all("test", steps));
        assertEquals(1, venvs.get(), "a toolchain under one key is made once");
    }
}
