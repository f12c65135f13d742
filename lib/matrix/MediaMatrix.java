package lib.matrix;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;

import lib.clients.Client.Installed;
import lib.clients.Client.SideIO;
import lib.clients.Client.Target;
import lib.clients.Client;
import lib.core.Artifact;
import lib.core.ArtifactFailure;
import lib.core.Availability.State;
import lib.core.Availability;
import lib.core.Concurrently;
import lib.core.Proc;
import lib.core.Workspace;
import lib.delivery.Channel;
import lib.delivery.Crate;
import lib.delivery.Tool;
import lib.media.Diagnosis;
import lib.media.MediaSource;
import lib.media.Side;
import lib.media.Transport;
import lib.relay.Relay;
import lib.relay.RelayAhead;
import lib.relay.RelayConfig;
import lib.report.CellResult.Status;
import lib.report.CellResult;
import lib.run.CellPool;

/**
 * Runs the media matrix on one relay: every publisher publishes its own broadcast
 * at once, and every subscriber cell runs against it concurrently (at most jobs at
 * a time). A cell passes only on a frame its subscriber really received, over the
 * transport the run demands, with the relay alive throughout. In a negative run
 * there are no publishers and a cell passes only if its subscriber was still
 * waiting, empty-handed, when the timeout came.
 */
public final class MediaMatrix {
    /** How long a client that exits after its frame gets to do so, to catch a crash at exit. */
    static final Duration EXIT_AFTER_FRAME = Duration.ofSeconds(2);

    /** publisher is null in a negative run. */
    public record Cell(Client publisher, Client subscriber) {
        public String from() {
            return publisher == null ? "none" : publisher.name();
        }

        public String to() {
            return subscriber.name();
        }
    }

    /** timeout: per cell; transport: what every side must use; rounds: how many times the matrix runs on the relay (--repeat). */
    public record Settings(Duration timeout, int jobs, MediaSource source, boolean negative, Transport transport, int rounds) {
        public Settings(Duration timeout, int jobs, MediaSource source, boolean negative, Transport transport) {
            this(timeout, jobs, source, negative, transport, 1);
        }
    }

    private final Workspace workspace;
    private final Settings settings;
    private final Map<Client, Installed> installed;
    private final Function<Cell, String> rerun;
    private final Consumer<CellResult> onResult;
    /** What the relay's channel fetched: part of every cell's provenance. */
    private List<Artifact> relayArtifacts = List.of();

    public MediaMatrix(Workspace workspace, Settings settings, Map<Client, Installed> installed,
            Function<Cell, String> rerun, Consumer<CellResult> onResult) {
        this.workspace = workspace;
        this.settings = settings;
        this.installed = installed;
        this.rerun = rerun;
        this.onResult = onResult;
    }

    public static List<Cell> plan(List<Client> publishers, List<Client> subscribers, boolean negative) {
        List<Cell> cells = new ArrayList<>();
        if (negative) {
            subscribers.forEach(s -> cells.add(new Cell(null, s)));
        } else {
            publishers.forEach(p -> subscribers.forEach(s -> cells.add(new Cell(p, s))));
        }
        return cells;
    }

    /**
     * Runs every cell. Cells that cannot run are reported without starting
     * anything; the relay is started only if some cell can run, and if it can't
     * be brought up every such cell fails with the reason. With several rounds the
     * runnable cells run again on the same relay, each round with fresh publishers
     * and broadcast names, each result reported as it comes; the last round's are returned.
     */
    public List<CellResult> run(List<Cell> cells, Tool relayTool, RelayConfig relayConfig, Consumer<Path> relayLog) {
        return run(cells, relayTool, relayConfig, null, relayLog);
    }

    /**
     * Starts the relay for {@link #run(List, Tool, RelayConfig, Relay.Starting, Consumer)} ahead of it, so
     * that it comes up while the clients install; empty if relayTool is not ready.
     */
    public static Optional<Relay.Starting> startRelayEarly(Tool relayTool, RelayConfig relayConfig, Workspace workspace) {
        if (!relayTool.availability().ready()) return Optional.empty();
        return Optional.of(Relay.startInBackground(relayTool, relayConfig, workspace, relayLogFile(workspace)));
    }

    /**
     * Starts the relay binary an earlier run of channel installed, before this run's check
     * that it is still the newest (see {@link RelayAhead}); empty when there is none.
     */
    public static Optional<RelayAhead> startRelayAhead(Channel channel, RelayConfig relayConfig, Workspace workspace) {
        return RelayAhead.start(channel.previouslyInstalled(Crate.RELAY, workspace), relayConfig, workspace, relayLogFile(workspace));
    }

    /**
     * As {@link #startRelayEarly(Tool, RelayConfig, Workspace)} once relayTool is checked:
     * the relay started ahead if the check confirmed its binary, else (that one discarded)
     * a fresh start of relayTool.
     */
    public static Optional<Relay.Starting> startRelayEarly(Tool relayTool, RelayConfig relayConfig, Workspace workspace,
            Optional<RelayAhead> ahead) {
        Optional<Relay.Starting> confirmed = ahead.flatMap(a -> a.confirm(relayTool));
        return confirmed.isPresent() ? confirmed : startRelayEarly(relayTool, relayConfig, workspace);
    }

    /**
     * As {@link #run(List, Tool, RelayConfig, Consumer)}, on the relay early started (from
     * {@link #startRelayEarly}) if not null. If no cell can run, that relay is stopped and
     * its log removed: the run then is as if it had never been started.
     */
    public List<CellResult> run(List<Cell> cells, Tool relayTool, RelayConfig relayConfig, Relay.Starting early, Consumer<Path> relayLog) {
        relayArtifacts = relayTool.provenance();
        List<Cell> runnable = new ArrayList<>();
        Map<Cell, CellResult> decided = new LinkedHashMap<>();
        for (Cell cell : cells) {
            Optional<CellResult> blocked = blocked(cell);
            blocked.ifPresent(r -> decide(decided, cell, r));
            if (blocked.isEmpty()) runnable.add(cell);
        }
        if (runnable.isEmpty() && early != null) discardRelay(early, workspace);
        if (!runnable.isEmpty()) {
            Availability relayState = relayTool.availability();
            if (!relayState.ready()) {
                String reason = "relay " + relayState;
                boolean unavailable = relayState.state() == State.UNAVAILABLE;
                runnable.forEach(c -> decide(decided, c, unavailable
                        ? CellResult.unavailable(c.from(), c.to(), "", reason, rerun.apply(c))
                        : CellResult.failed(c.from(), c.to(), "", reason, List.of(), rerun.apply(c))));
            } else {
                try (Relay relay = early != null ? early.await() : Relay.start(relayTool, relayConfig, workspace, relayLogFile(workspace))) {
                    relayLog.accept(relay.log());
                    for (int round = 1; round <= settings.rounds(); round++) decided.putAll(runOnRelay(runnable, relay, round));
                } catch (Relay.RelayFailed e) {
                    relayLog.accept(e.log);
                    runnable.forEach(c -> decide(decided, c,
                            CellResult.failed(c.from(), c.to(), "", e.getMessage(), List.of(e.log), rerun.apply(c))));
                }
            }
        }
        List<CellResult> ordered = new ArrayList<>();
        cells.forEach(c -> ordered.add(decided.get(c)));
        return ordered;
    }

    private void decide(Map<Cell, CellResult> decided, Cell cell, CellResult result) {
        CellResult recorded = withWhatItUsed(cell, result);
        decided.put(cell, recorded);
        onResult.accept(recorded);
    }

    /** The result with what its sides' installs said about it: artifacts, package sources, warnings. */
    private CellResult withWhatItUsed(Cell cell, CellResult result) {
        return withInstallWarnings(cell, withSources(cell, withArtifacts(cell, result)));
    }

    /** What the installs found worth a look (a bundle with duplicated packages, say), each once. */
    private CellResult withInstallWarnings(Cell cell, CellResult result) {
        Set<String> warnings = new LinkedHashSet<>();
        if (cell.publisher() != null) warnings.addAll(installed.get(cell.publisher()).warnings());
        warnings.addAll(installed.get(cell.subscriber()).warnings());
        warnings.removeAll(result.warnings());
        return warnings.isEmpty() ? result : result.withWarnings(List.copyOf(warnings));
    }

    /** The result with what the cell used as fetched: the relay, then the publisher, then the subscriber. */
    private CellResult withArtifacts(Cell cell, CellResult result) {
        List<Artifact> used = new ArrayList<>(relayArtifacts);
        if (cell.publisher() != null) used.addAll(installed.get(cell.publisher()).artifacts());
        used.addAll(installed.get(cell.subscriber()).artifacts());
        return result.withArtifacts(used);
    }

    /** The package source each side took, for the sides whose client has a choice of them. */
    private CellResult withSources(Cell cell, CellResult result) {
        Map<String, String> sources = new LinkedHashMap<>();
        if (cell.publisher() != null) installed.get(cell.publisher()).source().ifPresent(s -> sources.put("publisher", s.id()));
        installed.get(cell.subscriber()).source().ifPresent(s -> sources.put("subscriber", s.id()));
        return sources.isEmpty() ? result : result.withSources(sources);
    }

    private Map<Cell, CellResult> runOnRelay(List<Cell> runnable, Relay relay, int round) {
        Map<Client, Publisher> publishers = new LinkedHashMap<>();
        List<MediaSource.Feed> feeds = new CopyOnWriteArrayList<>();
        Publisher nobody = new Publisher(broadcastName("missing"), null, null);
        try {
            for (Cell cell : runnable) {
                if (cell.publisher() != null) publishers.computeIfAbsent(cell.publisher(), p -> startPublisher(p, relay, feeds, round));
            }
            return CellPool.run(runnable, settings.jobs(),
                    cell -> withWhatItUsed(cell, runCell(cell, cell.publisher() == null ? nobody : publishers.get(cell.publisher()), relay, round)),
                    onResult);
        } finally {
            feeds.forEach(MediaSource.Feed::close);
            // Side by side: each stop mostly waits for its process tree to be gone. After the
            // last round nothing needs the relay any more, so it goes with them, and the
            // publishers get no moment to close sessions that end with the relay anyway.
            boolean last = round == settings.rounds();
            List<Runnable> stops = new ArrayList<>();
            publishers.values().forEach(p -> { if (p.side() != null) stops.add(last ? p.side()::stopAtOnce : p.side()::stop); });
            if (last) stops.add(relay::close);
            Concurrently.runAll("stop", stops);
        }
    }

    /**
     * Stops a relay started early that the run turned out not to need (no cell can run, or
     * bad input ended the run while the clients installed) and removes its log, so that
     * the run is as if it had never been started.
     */
    public static void discardRelay(Relay.Starting early, Workspace workspace) {
        early.discard();
        try {
            Files.deleteIfExists(relayLogFile(workspace));
        } catch (IOException e) {
            throw new ArtifactFailure(relayLogFile(workspace), e);
        }
    }

    private static Path relayLogFile(Workspace workspace) {
        return workspace.out().resolve("relay.log");
    }

    /** A side that is not ready decides the cell: broken fails it, unsupported and unavailable say why it did not run. */
    private Optional<CellResult> blocked(Cell cell) {
        Map<State, List<String>> reasons = new LinkedHashMap<>();
        Map<Client, String> sides = new LinkedHashMap<>();
        if (cell.publisher() != null) sides.put(cell.publisher(), "publisher ");
        sides.merge(cell.subscriber(), "subscriber ", (publisherRole, subscriberRole) -> "");
        Set<Path> brokenLogs = new LinkedHashSet<>();
        sides.forEach((client, role) -> {
            Installed one = installed.get(client);
            Availability a = one.availability();
            if (!a.ready()) {
                reasons.computeIfAbsent(a.state(), s -> new ArrayList<>()).add(role + client.name() + " " + a);
                // A broken side that named no log of its own may have its cause in any: it keeps every log.
                if (a.state() == State.BROKEN) brokenLogs.addAll(one.installLogs().isEmpty() ? provisionLogs() : one.installLogs());
                return;
            }
            one.cannotUse(settings.transport()).ifPresent(why -> reasons.computeIfAbsent(State.UNSUPPORTED, s -> new ArrayList<>())
                    .add(role + client.name() + " cannot use --transport " + settings.transport().id() + ": " + why));
        });
        String rerunCommand = rerun.apply(cell);
        if (reasons.containsKey(State.BROKEN)) {
            List<Path> logs = List.copyOf(brokenLogs);
            return Optional.of(CellResult.failed(cell.from(), cell.to(), "", String.join("; ", reasons.get(State.BROKEN)), logs, rerunCommand));
        }
        if (reasons.containsKey(State.UNSUPPORTED)) {
            return Optional.of(CellResult.unsupported(cell.from(), cell.to(), "", String.join("; ", reasons.get(State.UNSUPPORTED)), rerunCommand));
        }
        if (reasons.containsKey(State.UNAVAILABLE)) {
            return Optional.of(CellResult.unavailable(cell.from(), cell.to(), "", String.join("; ", reasons.get(State.UNAVAILABLE)), rerunCommand));
        }
        return Optional.empty();
    }

    /** Every install log, for a cell broken by an install that named none of its own: the cause is in one of them. */
    private List<Path> provisionLogs() {
        Path dir = workspace.out().resolve("provision");
        if (!Files.isDirectory(dir)) return List.of();
        try (var files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private Publisher startPublisher(Client client, Relay relay, List<MediaSource.Feed> feeds, int round) {
        String broadcast = broadcastName(client.name());
        Path dir = workspace.logDir("publishers/" + client.name() + roundDir(round));
        SideIO io = new SideIO("publish-" + client.name(), dir, () -> {
            MediaSource.Feed feed = settings.source().open(dir.resolve("source.log"));
            feeds.add(feed);
            return feed.stream();
        });
        try {
            Side side = installed.get(client).publish(target(relay, broadcast), io);
            return new Publisher(broadcast, side, null);
        } catch (UncheckedIOException e) {
            return new Publisher(broadcast, null, "publisher " + client.name() + " failed to start: " + e.getMessage());
        }
    }

    /** Each round keeps its own logs: "/round-2"; nothing when the matrix runs once. */
    private String roundDir(int round) {
        return settings.rounds() == 1 ? "" : "/round-" + round;
    }

    private Target target(Relay relay, String broadcast) {
        return new Target(relay.url(), broadcast, settings.timeout(), settings.transport());
    }

    private CellResult runCell(Cell cell, Publisher publisher, Relay relay, int round) {
        Path dir = workspace.logDir("cells/" + cell.from() + "-" + cell.to() + roundDir(round));
        String rerunCommand = rerun.apply(cell);
        if (publisher.startFailure() != null) {
            return CellResult.failed(cell.from(), cell.to(), "", publisher.startFailure(), List.of(), rerunCommand);
        }
        Side subscriber;
        try {
            subscriber = installed.get(cell.subscriber()).subscribe(target(relay, publisher.broadcast()),
                    new SideIO("subscribe-" + cell.from() + "-" + cell.to(), dir, () -> InputStream.nullInputStream()));
        } catch (UncheckedIOException e) {
            return CellResult.failed(cell.from(), cell.to(), "", "subscriber failed to start: " + e.getMessage(), List.of(relay.log()), rerunCommand);
        }
        Outcome outcome;
        try {
            outcome = watch(subscriber, relay);
        } finally {
            // Stopped before the verdict: once stopped, all it printed (the transport it
            // used, its errors) has been read, whichever stream it came on.
            subscriber.stop();
        }
        List<Path> logs = new ArrayList<>(subscriber.logs());
        if (publisher.side() != null) logs.addAll(publisher.side().logs());
        logs.add(relay.log());
        CellResult result = verdict(cell, outcome, subscriber, publisher, relay, dir, logs, rerunCommand);
        subscriber.artifactFailure().ifPresent(e -> { throw new ArtifactFailure(subscriber.label() + " artifacts in " + dir, e); });
        return result;
    }

    /** What happened while the subscriber ran: relayExit is set if the relay died meanwhile. */
    record Outcome(String frame, Duration elapsed, boolean timedOut, Optional<Integer> exitCode, Optional<Integer> relayExit) {}

    private Outcome watch(Side subscriber, Relay relay) {
        long started = System.nanoTime();
        boolean timedOut = false;
        try {
            CompletableFuture.anyOf(subscriber.frame(), subscriber.ended(), relay.exit()).get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            timedOut = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("a frame probe or exit watch failed", e);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        // It ended when its process did, whatever still holds its output; a frame in what it
        // wrote last is seen once that is read.
        if (subscriber.ended().isDone()) awaitQuietly(CompletableFuture.anyOf(subscriber.frame(), subscriber.exit()), Proc.CLOSE_TIMEOUT);
        String frame = subscriber.frame().getNow(null);
        if (frame != null && subscriber.exitsAfterFrame()) awaitQuietly(subscriber.ended(), EXIT_AFTER_FRAME);
        return new Outcome(frame, elapsed, timedOut, done(subscriber.ended()), done(relay.exit()));
    }

    private CellResult verdict(Cell cell, Outcome outcome, Side subscriber, Publisher publisher, Relay relay, Path dir,
            List<Path> logs, String rerunCommand) {
        Map<String, String> transports = new LinkedHashMap<>();
        subscriber.transport().ifPresent(t -> transports.put("subscriber", t.id()));
        if (publisher.side() != null) publisher.side().transport().ifPresent(t -> transports.put("publisher", t.id()));
        String secs = settings.timeout().toSeconds() + "s";
        if (outcome.relayExit().isPresent()) {
            return fail(cell, "relay exited (code " + outcome.relayExit().get() + ") during the cell", logs, rerunCommand).withTransports(transports);
        }
        if (settings.negative()) {
            Status status = outcome.frame() == null && outcome.timedOut() ? Status.PASS : Status.FAIL;
            String reason = outcome.frame() != null ? "received a frame from a broadcast nobody published: " + outcome.frame()
                    : outcome.timedOut() ? "received nothing within " + secs + ", as it must"
                    : "subscriber exited (code " + outcome.exitCode().orElse(-1) + ") before the timeout, so it proves nothing: it must keep waiting"
                            + subscriber.firstError().map(e -> " (" + e + ")").orElse("");
            return new CellResult(cell.from(), cell.to(), "", status, reason, null, logs, List.of(), rerunCommand).withTransports(transports);
        }
        if (outcome.frame() != null) {
            Optional<String> fellBack = fallback("subscriber", subscriber).or(() -> publisher.side() == null ? Optional.empty() : fallback("publisher", publisher.side()));
            if (fellBack.isPresent()) return fail(cell, fellBack.get(), logs, rerunCommand).withTransports(transports);
            List<String> warnings = new ArrayList<>();
            outcome.exitCode().filter(code -> code != 0)
                    .ifPresent(code -> warnings.add("subscriber exited abnormally (code " + code + ") after the frame arrived"
                            + subscriber.firstError().map(e -> ": " + e).orElse("")));
            if (!transports.containsKey("subscriber")) warnings.add("the subscriber did not say which transport it used");
            List<CellResult.Check> checks = subscriber.subChecks().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .map(e -> new CellResult.Check(e.getKey(), e.getValue(), "")).toList();
            return new CellResult(cell.from(), cell.to(), "", Status.PASS, outcome.frame(), outcome.elapsed(), logs, checks, rerunCommand,
                    transports, warnings);
        }
        return fail(cell, noFrameReason(outcome, subscriber, publisher, relay, dir, secs), logs, rerunCommand).withTransports(transports);
    }

    /** Why no frame came, from the most specific evidence to the least: the sides' own words, then the relay's knowledge. */
    private String noFrameReason(Outcome outcome, Side subscriber, Publisher publisher, Relay relay, Path dir, String secs) {
        Diagnosis seen = subscriber.diagnosis();
        Optional<Integer> publisherGone = publisher.side() == null ? Optional.empty() : done(publisher.side().exit());
        if (publisherGone.isPresent()) {
            return "publisher exited (code " + publisherGone.get() + ") before a frame arrived"
                    + publisher.side().firstError().map(e -> ": " + e).orElse("");
        }
        if (seen.kind() == Diagnosis.Kind.NOT_THE_FORMAT) return "subscriber output is not the promised format: " + seen.describe();
        if (!outcome.timedOut()) {
            return "subscriber exited (code " + outcome.exitCode().orElse(-1) + ") before a frame arrived"
                    + subscriber.firstError().map(e -> ": " + e).orElse("");
        }
        Optional<String> error = subscriber.firstError().map(e -> "subscriber: " + e)
                .or(() -> publisher.side() == null ? Optional.empty() : publisher.side().firstError().map(e -> "publisher: " + e));
        if (error.isPresent()) return error.get() + " (no frame within " + secs + "; " + seen.describe() + ")";
        Optional<List<String>> announced = relay.announced();
        if (announced.isEmpty()) return "no frame within " + secs + " (" + seen.describe() + ")";
        if (!announced.get().contains(publisher.broadcast())) {
            return "broadcast " + publisher.broadcast() + " was never announced to the relay; no frame within " + secs + " (" + seen.describe() + ")";
        }
        relay.catalog(publisher.broadcast()).ifPresent(bytes -> save(dir.resolve("catalog.json"), bytes));
        return "broadcast announced, but no frame reached the subscriber within " + secs + " (" + seen.describe() + ")";
    }

    /** Why side's transport breaks the run's demand, if it does. */
    private Optional<String> fallback(String role, Side side) {
        Optional<Transport> used = side.transport();
        if (used.isEmpty() || settings.transport().acceptsUsed(used.get())) return Optional.empty();
        if (used.get() == Transport.WEBSOCKET) {
            return Optional.of(role + " fell back to WebSocket: " + side.quicError()
                    .orElse("QUIC had not connected after its " + Transport.QUIC_HEAD_START.toSeconds() + " s head start, and the client logged no QUIC error"));
        }
        return Optional.of(role + " used " + used.get().id() + ", but --transport " + settings.transport().id() + " was asked");
    }

    private static CellResult fail(Cell cell, String reason, List<Path> logs, String rerunCommand) {
        return CellResult.failed(cell.from(), cell.to(), "", reason, logs, rerunCommand);
    }

    private static void save(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new ArtifactFailure(file, e);
        }
    }

    private static Optional<Integer> done(CompletableFuture<Integer> future) {
        return future.isDone() && !future.isCompletedExceptionally() ? Optional.of(future.join()) : Optional.empty();
    }

    private static void awaitQuietly(CompletableFuture<?> future, Duration atMost) {
        try {
            future.get(atMost.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // Still running after its frame, as a streaming client does: nothing to report.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A fresh name per publisher and run: the relay keeps a dead publisher's broadcast announced for a while. */
    static String broadcastName(String publisher) {
        return "smoke-" + publisher + "-" + ProcessHandle.current().pid() + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff)) + ".hang";
    }

    private record Publisher(String broadcast, Side side, String startFailure) {}
}
