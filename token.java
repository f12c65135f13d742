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
//SOURCES lib/core/*.java lib/report/*.java lib/run/*.java lib/delivery/*.java lib/relay/*.java lib/media/*.java lib/toolchain/*.java lib/token/*.java lib/freshness/*.java
//DESCRIPTION Token interop matrix for the published MoQ token tooling: each generator mints keys
//DESCRIPTION and tokens, each verifier must accept the valid token and refuse every forged one;
//DESCRIPTION --relay presents each generator's tokens to a live moq-relay.

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import lib.core.Artifact;
import lib.core.Availability;
import lib.core.Cli;
import lib.core.HelpOption;
import lib.core.UsageError;
import lib.core.WarmUp;
import lib.core.Workspace;
import lib.delivery.Crate;
import lib.delivery.MoqCli;
import lib.delivery.Tool;
import lib.freshness.Freshness;
import lib.relay.RelayConfig;
import lib.report.CellResult;
import lib.report.Compare;
import lib.run.CommonOptions;
import lib.run.Invocation;
import lib.run.RerunFailed;
import lib.run.Run;
import lib.token.TokenImpls;
import lib.token.TokenMatrix.Cell;
import lib.token.TokenMatrix;
import lib.token.TokenRelayStage;

@Command(name = "token", sortOptions = false, subcommands = Compare.class,
        description = "Token interop matrix over the published MoQ token tools: for every generator × verifier × algorithm "
                + "the generator makes a key and signs claims; the verifier loads that key file and must accept the token, "
                + "then refuse a tampered payload, a tampered signature, another key's token, an expired token, "
                + "another algorithm than the key's, and an unsigned alg:none token.",
        footer = {"", "--timeout is the limit for each token CLI call, and for each subscriber in the --relay stage.",
                "Exit codes: 0 every cell passed (unavailable cells don't count unless --require-available), "
                + "1 a cell failed, 2 bad input, 3 the harness itself failed."})
public class token implements Callable<Integer> {
    @Mixin HelpOption help;
    static final Run.Kind KIND = new Run.Kind("token", "moq smoke: token matrix", "generator", "verifier");
    static final List<String> DEFAULT_ALGORITHMS = List.of("HS256", "EdDSA", "ES256", "RS256");

    @Spec CommandSpec spec;
    @Mixin CommonOptions common;

    @Option(names = "--generators", split = ",", paramLabel = "NAME", completionCandidates = TokenImpls.Names.class,
            description = "Implementations that generate keys and sign, comma-separated (default: rust). Valid: ${COMPLETION-CANDIDATES}.")
    List<String> generators = List.of("rust");

    @Option(names = "--verifiers", split = ",", paramLabel = "NAME", completionCandidates = TokenImpls.Names.class,
            description = "Implementations that verify, comma-separated (default: rust). Valid: ${COMPLETION-CANDIDATES}.")
    List<String> verifiers = List.of("rust");

    @Option(names = "--algorithms", split = ",", paramLabel = "ALG", completionCandidates = Algorithms.class,
            description = "Algorithms, comma-separated, or all (default: HS256,EdDSA,ES256,RS256). "
                    + "Valid (every algorithm some implementation declares): ${COMPLETION-CANDIDATES}.")
    List<String> algorithms = DEFAULT_ALGORITHMS;

    @Option(names = "--full", description = "Every implementation as generator and as verifier.")
    boolean full;

    @Option(names = "--relay", description = "Also key a live moq-relay (through moq auth serve) with each generator's key and "
            + "check that its tokens move bytes and that bad subscribers are refused.")
    boolean relay;

    /** Set by --rerun-failed: the keys of the only cells to run. */
    private Set<String> only;

    /** What reruns this script from where the run started; every cell's rerun line starts with it. */
    private final String self = Invocation.of(Path.of(""), "token");

    public static void main(String... args) {
        WarmUp.inBackground();
        System.exit(Cli.execute(new token(), args));
    }

    @Override
    public Integer call() {
        Cli.refuseAllBut(spec, "--rerun-failed", "reruns the failed cells with their run's own options", "--out");
        Cli.refuseTogether(spec, "--full", "runs every implementation", "--generators", "--verifiers");
        Cli.refuseTogether(spec, "--list", "lists every implementation", "--generators", "--verifiers");
        if (common.rerunFailed != null) return rerunFailed();
        Freshness.enforce(Path.of(""), Workspace.defaultCache());
        if (common.list) {
            System.out.print(TokenImpls.describe(common.channel));
            return 0;
        }
        List<String> gens = full ? TokenImpls.NAMES : TokenImpls.select(generators, "--generators");
        List<String> vers = full ? TokenImpls.NAMES : TokenImpls.select(verifiers, "--verifiers");
        List<String> algs = algorithms(algorithms);
        List<Cell> cells = TokenMatrix.plan(gens, vers, algs);
        String relayAlgorithm = algs.get(0);
        List<String> relayGens = relay ? gens : List.of();
        if (only != null) {
            cells = cells.stream().filter(c -> only.contains(CellResult.key(c.generator(), c.verifier(), c.algorithm()))).toList();
            relayGens = relayGens.stream().filter(g -> only.contains(CellResult.key(g, TokenRelayStage.TO, TokenRelayStage.variant(relayAlgorithm)))).toList();
            List<Cell> chosen = cells;
            List<String> relayChosen = relayGens;
            gens = gens.stream().filter(g -> relayChosen.contains(g) || chosen.stream().anyMatch(c -> c.generator().equals(g))).toList();
            vers = vers.stream().filter(v -> chosen.stream().anyMatch(c -> c.verifier().equals(v))).toList();
            if (cells.isEmpty() && relayGens.isEmpty()) throw new UsageError("--rerun-failed: none of the cells that failed is in this matrix any more");
        }

        // The record names the implementations the run really chose (all of them under --full), not the lists' defaults.
        Map<String, Object> options = Cli.optionValues(spec);
        options.put("generators", gens);
        options.put("verifiers", vers);
        try (Run run = Run.start(KIND, common, spec.commandLine().getParseResult().originalArgs(), options)) {
            List<CellResult> placeholders = new ArrayList<>(cells.stream().map(c -> TokenMatrix.placeholder(c, rerun(c))).toList());
            relayGens.forEach(g -> placeholders.add(CellResult.interrupted(g, TokenRelayStage.TO, TokenRelayStage.variant(relayAlgorithm), relayRerun(g, relayAlgorithm))));
            run.plan(placeholders);
            var prepared = TokenImpls.prepare(union(gens, vers), common.channel, run.workspace);
            prepared.forEach((name, p) -> { if (p.availability().ready()) run.version(name, p.availability().detail()); });
            // The relay stage's binaries first: a missing one is bad input, better found before the matrix runs.
            List<Tool> relayTools = !relayGens.isEmpty() ? List.of(common.channel.provide(Crate.RELAY, run.workspace), common.channel.provide(Crate.CLI, run.workspace)) : List.of();
            new TokenMatrix(run.workspace, new TokenMatrix.Settings(common.timeout(), common.jobs(), common.repeat()), prepared, this::rerun, run::record).run(cells);
            if (!relayGens.isEmpty()) relayStage(run, relayGens, prepared, relayAlgorithm, relayTools.get(0), relayTools.get(1));
            return run.finish();
        }
    }

    /** One relay at a time: each generator's key needs its own auth server and relay. */
    private void relayStage(Run run, List<String> gens, Map<String, TokenImpls.Prepared> prepared, String algorithm, Tool relayTool, Tool moq) {
        run.version("moq-relay", relayTool.version());
        run.version("moq-cli", moq.version());
        String variant = TokenRelayStage.variant(algorithm);
        for (String generator : gens) {
            TokenImpls.Prepared p = prepared.get(generator);
            var blockers = new java.util.LinkedHashMap<String, Availability>();
            blockers.put("generator " + generator, p.availability());
            blockers.put("moq-relay", relayTool.availability());
            blockers.put("moq-cli", moq.availability());
            var blocker = blockers.entrySet().stream().filter(e -> !e.getValue().ready()).findFirst();
            List<Artifact> used = new ArrayList<>(relayTool.provenance());
            used.addAll(moq.provenance());
            used.addAll(p.artifacts());
            if (blocker.isPresent()) {
                String why = blocker.get().getKey() + " " + blocker.get().getValue();
                run.record((blocker.get().getValue().state() == Availability.State.BROKEN
                        ? CellResult.failed(generator, TokenRelayStage.TO, variant, why, List.of(), relayRerun(generator, algorithm))
                        : CellResult.unavailable(generator, TokenRelayStage.TO, variant, why, relayRerun(generator, algorithm))).withArtifacts(used));
                continue;
            }
            var setup = new TokenRelayStage.Setup(relayTool, moq, MoqCli.connectFlag(moq), RelayConfig.load(null));
            run.record(new TokenRelayStage(run.workspace, common.timeout(), setup, g -> relayRerun(g, algorithm))
                    .run(generator, p.tool(), algorithm).withArtifacts(used));
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
        token again = new token();
        again.only = previous.cells();
        return Cli.execute(again, previous.args().toArray(String[]::new));
    }

    /** Checks the names, case-insensitively (hs256 means HS256); "all" is every known algorithm. */
    static List<String> algorithms(List<String> requested) {
        if (requested.stream().anyMatch(a -> a.strip().equalsIgnoreCase("all"))) return TokenImpls.algorithms();
        List<String> chosen = new ArrayList<>();
        for (String raw : requested) {
            String name = TokenImpls.algorithms().stream().filter(k -> k.equalsIgnoreCase(raw.strip())).findFirst()
                    .orElseThrow(() -> new UsageError("unknown algorithm '" + raw + "' in --algorithms (valid: all, "
                            + String.join(", ", TokenImpls.algorithms()) + ")"));
            if (!chosen.contains(name)) chosen.add(name);
        }
        return chosen;
    }

    private String rerun(Cell cell) {
        return self + " --channel " + common.channel.id() + " --generators " + cell.generator() + " --verifiers "
                + cell.verifier() + " --algorithms " + cell.algorithm() + " --timeout " + common.timeoutSeconds() + common.pinArgs();
    }

    private String relayRerun(String generator, String algorithm) {
        return self + " --channel " + common.channel.id() + " --generators " + generator + " --verifiers " + generator
                + " --algorithms " + algorithm + " --relay --timeout " + common.timeoutSeconds() + common.pinArgs();
    }

    private static List<String> union(List<String> first, List<String> second) {
        var all = new LinkedHashSet<>(first);
        all.addAll(second);
        return new ArrayList<>(all);
    }

    /** For --help: the union of every implementation's declared algorithms. */
    static final class Algorithms implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return TokenImpls.algorithms().iterator();
        }
    }
}
