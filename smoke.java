///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
// A run lasts seconds, mostly waiting on children: C1 alone and the serial collector start and
// finish sooner than the optimising JIT and G1 do, and C1 with its thresholds raised 4 times
// spends less CPU compiling methods a run then hardly uses (bench/ measures it).
//RUNTIME_OPTIONS -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:CompileThresholdScaling=4
// String concatenation compiled to StringBuilder calls, as the JDK compiles its own base
// module: the default (invokedynamic) spins method-handle classes at each new shape's first
// use, tens of milliseconds of start-up that no class-data archive holds (bench/ measures it).
//JAVAC_OPTIONS -XDstringConcat=inline
//SOURCES lib/core/*.java lib/report/*.java lib/run/*.java lib/delivery/*.java lib/relay/*.java lib/media/*.java lib/browser/*.java lib/clients/*.java lib/matrix/*.java lib/toolchain/*.java lib/freshness/*.java
//DESCRIPTION Interop smoke test for the published Media over QUIC packages: starts a moq-relay,
//DESCRIPTION has every publisher publish an H.264 broadcast and checks that every subscriber
//DESCRIPTION receives a real frame before the timeout.

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import lib.clients.Client.Role;
import lib.clients.Client;
import lib.clients.ClientContext;
import lib.clients.Clients;
import lib.clients.PackageSource;
import lib.core.Cli;
import lib.core.Concurrently;
import lib.core.HelpOption;
import lib.core.UsageError;
import lib.core.WarmUp;
import lib.core.Workspace;
import lib.delivery.Crate;
import lib.delivery.Tool;
import lib.freshness.Freshness;
import lib.matrix.MediaMatrix.Cell;
import lib.matrix.MediaMatrix;
import lib.media.MediaSource;
import lib.media.Transport;
import lib.relay.Relay;
import lib.relay.RelayAhead;
import lib.relay.RelayConfig;
import lib.report.CellResult;
import lib.report.Compare;
import lib.run.CommonOptions;
import lib.run.Invocation;
import lib.run.RerunFailed;
import lib.run.Run;

@Command(name = "smoke", sortOptions = false, subcommands = Compare.class,
        description = "Media interop matrix over the published MoQ packages: each publisher publishes an H.264 "
                + "broadcast to a fresh moq-relay; each subscriber must receive a real frame before the timeout.",
        footer = {"", "Exit codes: 0 every cell passed (unavailable cells don't count unless --require-available), "
                + "1 a cell failed, 2 bad input, 3 the harness itself failed."})
public class smoke implements Callable<Integer> {
    @Mixin HelpOption help;
    static final Run.Kind KIND = new Run.Kind("media", "moq smoke: media matrix", "publisher", "subscriber");

    @Spec CommandSpec spec;
    @Mixin CommonOptions common;

    @Option(names = "--publishers", split = ",", paramLabel = "NAME", completionCandidates = Clients.PublisherNames.class,
            description = "Publishers, comma-separated (default: rust). Valid: ${COMPLETION-CANDIDATES}.")
    List<String> publishers = List.of("rust");

    @Option(names = "--subscribers", split = ",", paramLabel = "NAME", completionCandidates = Clients.SubscriberNames.class,
            description = "Subscribers, comma-separated (default: rust). Valid: ${COMPLETION-CANDIDATES}.")
    List<String> subscribers = List.of("rust");

    @Option(names = "--full", description = "Every known client in both lists, as its roles allow.")
    boolean full;

    @Option(names = "--negative", description = "Control run with no publisher: every subscriber must receive nothing before the timeout.")
    boolean negative;

    @Option(names = "--source", paramLabel = "SOURCE", defaultValue = "clip",
            description = "H.264 for stdin publishers: clip (the committed clip, looped in real time) or ffmpeg (a live test source).")
    MediaSource.Kind source;

    @Option(names = "--gop", paramLabel = "GOP", defaultValue = "1s", converter = MediaSource.Gop.Converter.class,
            description = "Keyframe interval of that H.264: 1s (default, as upstream) or 200ms (a second committed clip; "
                    + "moq's fMP4 export writes a whole group before its first frame shows, so its cells see a frame sooner).")
    MediaSource.Gop gop;

    @Option(names = "--transport", paramLabel = "T", defaultValue = "quic",
            description = "Transport every side must use: quic (default; a side that falls back to WebSocket fails its cell), "
                    + "websocket (forces the fallback where a client can be made to), or any (either, still recorded).")
    Transport transport;

    @Option(names = "--client-source", split = ",", paramLabel = "[CLIENT=]SOURCE",
            description = "Where the clients published in several forms (c, c-pkgconfig, c-cmake, gst) take their package from: "
                    + "release (the latest GitHub release tarball, its sha256 checked), crate (built with cargo) or local "
                    + "(MOQ_C_LIB_DIR / MOQ_GST_PLUGIN_DIR). A bare SOURCE applies to all of them, CLIENT=SOURCE to one. "
                    + "Default: local when the client's variable is set, else crate with --channel cargo, release otherwise.")
    List<String> clientSources = List.of();

    @Option(names = "--config", paramLabel = "FILE", description = "Relay config (default: smoke.toml here, else the one built in).")
    Path config;

    /** --client-source, checked. */
    private PackageSource.Choice sources = PackageSource.Choice.DEFAULT;

    /** Set by --rerun-failed: the keys of the only cells to run. */
    private Set<String> only;

    /** What reruns this script from where the run started; every cell's rerun line starts with it. */
    private final String self = Invocation.of(Path.of(""), "smoke");

    public static void main(String... args) {
        WarmUp.inBackground();
        System.exit(Cli.execute(new smoke(), args));
    }

    @Override
    public Integer call() {
        Cli.refuseAllBut(spec, "--rerun-failed", "reruns the failed cells with their run's own options", "--out");
        Cli.refuseTogether(spec, "--full", "runs every client", "--publishers", "--subscribers");
        Cli.refuseTogether(spec, "--list", "lists every client", "--publishers", "--subscribers");
        Cli.refuseTogether(spec, "--negative", "runs no publisher", "--publishers");
        sources = PackageSource.Choice.parse(clientSources);
        if (common.list) {
            System.out.print(Clients.describe(Clients.registered(), ClientContext.checkOnly(common.channel, sources)));
            return 0;
        }
        if (common.rerunFailed != null) return rerunFailed();
        // The policy scan reads every tracked file: it runs while the run is planned and set
        // up, and must pass before anything is installed. Its refusal comes first, as before.
        Concurrently.Task<Void> policy = Concurrently.run("freshness", () -> Freshness.enforce(Path.of(""), Workspace.defaultCache()));
        Plan plan = after(policy, this::plan);
        List<Cell> cells = plan.cells();
        // The record names the clients the run really chose (all of them under --full), not the lists' defaults.
        Map<String, Object> options = Cli.optionValues(spec);
        options.put("publishers", plan.pubs().stream().map(Client::name).toList());
        options.put("subscribers", plan.subs().stream().map(Client::name).toList());
        try (Run run = after(policy, () -> Run.start(KIND, common, spec.commandLine().getParseResult().originalArgs(), options))) {
            policy.join();
            run.plan(cells.stream().map(c -> CellResult.interrupted(c.from(), c.to(), "", rerun(c))).toList());
            // The relay, and then each client, are installed side by side; the relay starts as
            // soon as its binary is known good, while the clients still install.
            Concurrently.Task<Tool> relayTool = Concurrently.start("provide-relay", () -> common.channel.provide(Crate.RELAY, run.workspace));
            // The binary an earlier run installed starts beside that check; it serves cells only if the check confirms it.
            Optional<RelayAhead> ahead = MediaMatrix.startRelayAhead(common.channel, plan.relayConfig(), run.workspace);
            // The shared toolchains (the browser, servers) close before the run stops what is left.
            try (ClientContext context = new ClientContext(run.workspace, common.channel, sources)) {
                Concurrently.Task<Map<Client, Client.Installed>> clients = Concurrently.start("install-clients",
                        () -> Clients.install(negative ? plan.subs() : union(plan.pubs(), plan.subs()), context));
                Tool relay;
                try {
                    relay = relayTool.join();
                } catch (RuntimeException e) {
                    ahead.ifPresent(RelayAhead::discard);
                    clients.await();
                    throw e;
                }
                run.version("moq-relay", relay.version());
                Relay.Starting early = MediaMatrix.startRelayEarly(relay, plan.relayConfig(), run.workspace, ahead).orElse(null);
                Map<Client, Client.Installed> installed;
                try {
                    installed = clients.join();
                } catch (RuntimeException e) {
                    // Bad input in an install ends the run before it began: no relay, no relay log.
                    if (early != null) MediaMatrix.discardRelay(early, run.workspace);
                    throw e;
                }
                installed.values().forEach(one -> one.versions().forEach(run::version));
                var settings = new MediaMatrix.Settings(common.timeout(), common.jobs(), new MediaSource(source, gop), negative, transport, common.repeat());
                new MediaMatrix(run.workspace, settings, installed, this::rerun, run::record).run(cells, relay, plan.relayConfig(), early, run::relayLog);
            }
            return run.finish();
        }
    }

    /** What the run will do, from its options: bad input throws UsageError. */
    private record Plan(List<Client> pubs, List<Client> subs, RelayConfig relayConfig, List<Cell> cells) {}

    private Plan plan() {
        List<Client> pubs = Clients.select(full ? List.of() : publishers, Role.PUBLISH, "--publishers");
        List<Client> subs = Clients.select(full ? List.of() : subscribers, Role.SUBSCRIBE, "--subscribers");
        // A source that cannot be honoured (local without its directory) is bad input, refused before the run starts.
        ClientContext asked = ClientContext.checkOnly(common.channel, sources);
        union(pubs, subs).forEach(client -> {
            client.packageSource(asked);
            client.checkSettings();
        });
        RelayConfig relayConfig = RelayConfig.load(config);
        source.unavailableReason().ifPresent(why -> { throw new UsageError("--source " + source.name().toLowerCase() + ": " + why); });
        List<Cell> cells = MediaMatrix.plan(pubs, subs, negative);
        // --rerun-failed: only the cells that failed, and only the clients they need installed.
        if (only != null) {
            cells = cells.stream().filter(c -> only.contains(CellResult.key(c.from(), c.to(), ""))).toList();
            List<Cell> chosen = cells;
            pubs = pubs.stream().filter(p -> chosen.stream().anyMatch(c -> c.publisher() == p)).toList();
            subs = subs.stream().filter(s -> chosen.stream().anyMatch(c -> c.subscriber() == s)).toList();
            if (cells.isEmpty()) throw new UsageError("--rerun-failed: none of the cells that failed is in this matrix any more");
        }
        return new Plan(pubs, subs, relayConfig, cells);
    }

    /** then's value; if then throws and the check before it fails too, the check's error is the one that ends the run, as when it ran first, alone. */
    private static <T> T after(Concurrently.Task<?> before, Supplier<T> then) {
        try {
            return then.get();
        } catch (RuntimeException e) {
            before.join();
            throw e;
        }
    }

    /** The same run again, limited to the cells that failed in it. */
    private int rerunFailed() {
        RerunFailed previous = RerunFailed.read(common.rerunFailed, KIND.suite(), common.out);
        // Nothing to do is no error: a CI step "rerun what failed" after a green run passes.
        if (previous.cells().isEmpty()) {
            System.out.println("nothing to rerun: no cell failed in " + common.rerunFailed);
            return 0;
        }
        System.out.println("rerunning the " + previous.cells().size() + " failed cell(s) of " + common.rerunFailed + ": " + String.join(", ", previous.cells()));
        smoke again = new smoke();
        again.only = previous.cells();
        return Cli.execute(again, previous.args().toArray(String[]::new));
    }

    private String rerun(Cell cell) {
        return self + " --channel " + common.channel.id()
                + (negative ? " --negative" : " --publishers " + cell.from()) + " --subscribers " + cell.to()
                + " --timeout " + common.timeoutSeconds() + (source == MediaSource.Kind.CLIP ? "" : " --source " + source.name().toLowerCase())
                + (gop == MediaSource.Gop.DEFAULT ? "" : " --gop " + gop.id())
                + (transport == Transport.QUIC ? "" : " --transport " + transport.id())
                + (clientSources.isEmpty() ? "" : " --client-source " + String.join(",", sources.items())) + common.pinArgs();
    }

    private static List<Client> union(List<Client> first, List<Client> second) {
        var all = new LinkedHashSet<>(first);
        all.addAll(second);
        return new ArrayList<>(all);
    }
}
