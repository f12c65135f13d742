package lib;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Function;

import lib.Availability.State;
import lib.CellResult.Status;
import lib.Client.Launch;
import lib.Client.Target;

/**
 * Runs the media matrix on one relay: every publisher publishes its own broadcast
 * at once, and every subscriber cell runs against it concurrently (at most jobs at
 * a time). A cell passes only on a frame its subscriber really received.
 * In a negative run there are no publishers and a cell passes only if its
 * subscriber was still waiting, empty-handed, when the timeout came.
 */
public final class MediaMatrix {
    /** publisher is null in a negative run. */
    public record Cell(Client publisher, Client subscriber) {
        public String from() {
            return publisher == null ? "none" : publisher.name();
        }

        public String to() {
            return subscriber.name();
        }
    }

    public record Settings(Duration timeout, int jobs, MediaSource source, boolean negative) {}

    private final Workspace workspace;
    private final Settings settings;
    private final Map<Client, Availability> prepared;
    private final Function<Cell, String> rerun;
    private final Consumer<CellResult> onResult;

    public MediaMatrix(Workspace workspace, Settings settings, Map<Client, Availability> prepared,
            Function<Cell, String> rerun, Consumer<CellResult> onResult) {
        this.workspace = workspace;
        this.settings = settings;
        this.prepared = prepared;
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
     * be brought up every such cell fails with the reason.
     */
    public List<CellResult> run(List<Cell> cells, Tool relayTool, RelayConfig relayConfig, Consumer<Path> relayLog) {
        List<Cell> runnable = new ArrayList<>();
        Map<Cell, CellResult> decided = new LinkedHashMap<>();
        for (Cell cell : cells) {
            Optional<CellResult> blocked = blocked(cell);
            blocked.ifPresent(r -> decide(decided, cell, r));
            if (blocked.isEmpty()) runnable.add(cell);
        }
        if (!runnable.isEmpty()) {
            Availability relayState = relayTool.availability();
            if (!relayState.ready()) {
                String reason = "relay " + relayState;
                boolean unavailable = relayState.state() == State.UNAVAILABLE;
                runnable.forEach(c -> decide(decided, c, unavailable
                        ? CellResult.unavailable(c.from(), c.to(), "", reason, rerun.apply(c))
                        : CellResult.failed(c.from(), c.to(), "", reason, List.of(), rerun.apply(c))));
            } else {
                try (Relay relay = Relay.start(relayTool, relayConfig, workspace, workspace.out().resolve("relay.log"))) {
                    relayLog.accept(relay.log());
                    decided.putAll(runOnRelay(runnable, relay));
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
        decided.put(cell, result);
        onResult.accept(result);
    }

    private Map<Cell, CellResult> runOnRelay(List<Cell> runnable, Relay relay) {
        Map<Client, Publisher> publishers = new LinkedHashMap<>();
        Publisher nobody = Publisher.none(broadcastName("missing"));
        try {
            for (Cell cell : runnable) {
                if (cell.publisher() != null) publishers.computeIfAbsent(cell.publisher(), p -> startPublisher(p, relay));
            }
            return CellPool.run(runnable, settings.jobs(),
                    cell -> runCell(cell, cell.publisher() == null ? nobody : publishers.get(cell.publisher()), relay), onResult);
        } finally {
            publishers.values().forEach(Publisher::stop);
        }
    }

    private Optional<CellResult> blocked(Cell cell) {
        List<String> unavailable = new ArrayList<>();
        List<String> broken = new ArrayList<>();
        Map<Client, String> sides = new LinkedHashMap<>();
        if (cell.publisher() != null) sides.put(cell.publisher(), "publisher ");
        sides.merge(cell.subscriber(), "subscriber ", (publisherRole, subscriberRole) -> "");
        sides.forEach((client, role) -> {
            Availability a = prepared.get(client);
            if (a.state() == State.UNAVAILABLE) unavailable.add(role + client.name() + " unavailable: " + a.detail());
            if (a.state() == State.BROKEN) broken.add(role + client.name() + " broken: " + a.detail());
        });
        if (!broken.isEmpty()) {
            return Optional.of(CellResult.failed(cell.from(), cell.to(), "", String.join("; ", broken), List.of(), rerun.apply(cell)));
        }
        if (!unavailable.isEmpty()) {
            return Optional.of(CellResult.unavailable(cell.from(), cell.to(), "", String.join("; ", unavailable), rerun.apply(cell)));
        }
        return Optional.empty();
    }

    private Publisher startPublisher(Client client, Relay relay) {
        String broadcast = broadcastName(client.name());
        Path log = workspace.logDir("publishers").resolve(client.name() + ".log");
        Launch launch = client.publish(new Target(relay.url(), broadcast, settings.timeout()));
        MediaSource.Feed feed = launch.h264OnStdin()
                ? settings.source().open(workspace.logDir("publishers").resolve(client.name() + ".ffmpeg.log")) : null;
        try {
            Proc proc = Proc.start("publish-" + client.name(), launch.spec(), log, feed == null ? null : feed.stream());
            return new Publisher(broadcast, proc, feed, log, null);
        } catch (UncheckedIOException e) {
            if (feed != null) feed.close();
            return new Publisher(broadcast, null, null, log, "publisher " + client.name() + " failed to start: " + e.getMessage());
        }
    }

    private CellResult runCell(Cell cell, Publisher publisher, Relay relay) {
        Path dir = workspace.logDir("cells/" + cell.from() + "-" + cell.to());
        Path log = dir.resolve("subscriber.log");
        List<Path> logs = new ArrayList<>(List.of(log));
        if (publisher.proc() != null) logs.add(publisher.log());
        logs.add(relay.log());
        String rerunCommand = rerun.apply(cell);
        if (publisher.startFailure() != null) {
            return CellResult.failed(cell.from(), cell.to(), "", publisher.startFailure(), List.of(publisher.log()), rerunCommand);
        }
        Launch launch = cell.subscriber().subscribe(new Target(relay.url(), publisher.broadcast(), settings.timeout()));
        Path data = dir.resolve("subscriber.out");
        if (launch.stdoutIsData()) logs.add(1, data);
        try {
            Subscriber.Outcome outcome = Subscriber.watch("subscribe-" + cell.from() + "-" + cell.to(), launch, log, data, settings.timeout());
            return verdict(cell, outcome, publisher, relay, logs, rerunCommand);
        } catch (UncheckedIOException e) {
            return CellResult.failed(cell.from(), cell.to(), "", "subscriber failed to start: " + e.getMessage(), logs, rerunCommand);
        }
    }

    private CellResult verdict(Cell cell, Subscriber.Outcome outcome, Publisher publisher, Relay relay, List<Path> logs, String rerunCommand) {
        String evidence = outcome.frame();
        Duration elapsed = outcome.elapsed();
        boolean timedOut = outcome.timedOut();
        Optional<Integer> exited = outcome.exitCode();
        Status status;
        String reason;
        if (settings.negative()) {
            status = evidence == null && timedOut ? Status.PASS : Status.FAIL;
            reason = evidence != null ? "received a frame from a broadcast nobody published: " + evidence
                    : timedOut ? "received nothing within " + settings.timeout().toSeconds() + "s, as it must"
                    : "subscriber exited (code " + exited.orElse(-1) + ") before the timeout, so it proves nothing: it must keep waiting";
            return new CellResult(cell.from(), cell.to(), "", status, reason, null, logs, List.of(), rerunCommand);
        }
        if (evidence != null) {
            return new CellResult(cell.from(), cell.to(), "", Status.PASS, evidence, elapsed, logs, List.of(), rerunCommand);
        }
        Optional<String> relayGone = relay.exitReason();
        Optional<Integer> publisherGone = publisher.proc().exitCode();
        if (relayGone.isPresent()) {
            reason = relayGone.get();
        } else if (publisherGone.isPresent()) {
            reason = "publisher exited (code " + publisherGone.get() + ") before a frame arrived";
        } else if (!timedOut) {
            reason = "subscriber exited (code " + exited.orElse(-1) + ") before a frame arrived";
        } else {
            reason = "no frame within " + settings.timeout().toSeconds() + "s";
        }
        if (outcome.probe() instanceof Fmp4FrameProbe fmp4 && fmp4.malformed() != null) reason += " (" + fmp4.malformed() + ")";
        return new CellResult(cell.from(), cell.to(), "", Status.FAIL, reason, null, logs, List.of(), rerunCommand);
    }

    /** A fresh name per publisher and run: the relay keeps a dead publisher's broadcast announced for a while. */
    static String broadcastName(String publisher) {
        return "smoke-" + publisher + "-" + ProcessHandle.current().pid() + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff)) + ".hang";
    }

    private record Publisher(String broadcast, Proc proc, MediaSource.Feed feed, Path log, String startFailure) {
        static Publisher none(String broadcast) {
            return new Publisher(broadcast, null, null, null, null);
        }

        /** The feed first: a publisher's stdin pump only finishes once its source has ended. */
        void stop() {
            if (feed != null) feed.close();
            if (proc != null) proc.stop(Duration.ofSeconds(1));
        }
    }
}
