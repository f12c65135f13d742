package lib.token;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Function;

import lib.core.Availability.State;
import lib.core.Availability;
import lib.core.Proc;
import lib.core.Workspace;
import lib.report.CellResult.Check;
import lib.report.CellResult.Status;
import lib.report.CellResult;
import lib.run.CellPool;
import lib.token.TokenTool.Claims;

/**
 * The generator × verifier × algorithm matrix. In each cell the generator makes a
 * key, and a second one, and signs; the verifier loads the generator's key file
 * and must accept the valid token and refuse every negative. A cell is green only
 * when every one of its checks is.
 */
public final class TokenMatrix {
    public record Cell(String generator, String verifier, String algorithm) {}

    /** rounds: how many times the matrix runs (--repeat). */
    public record Settings(Duration callTimeout, int jobs, int rounds) {
        public Settings(Duration callTimeout, int jobs) {
            this(callTimeout, jobs, 1);
        }
    }

    static final String ACCEPTS = "accepts the valid token";
    static final List<String> NEGATIVES = List.of("rejects a tampered payload", "rejects a tampered signature",
            "rejects a token signed by another key", "rejects an expired token",
            "rejects another algorithm than the key's", "rejects an unsigned alg:none token");

    private final Workspace workspace;
    private final Settings settings;
    private final Map<String, TokenImpls.Prepared> prepared;
    private final Function<Cell, String> rerun;
    private final Consumer<CellResult> onResult;

    public TokenMatrix(Workspace workspace, Settings settings, Map<String, TokenImpls.Prepared> prepared,
            Function<Cell, String> rerun, Consumer<CellResult> onResult) {
        this.workspace = workspace;
        this.settings = settings;
        this.prepared = prepared;
        this.rerun = rerun;
        this.onResult = onResult;
    }

    public static List<Cell> plan(List<String> generators, List<String> verifiers, List<String> algorithms) {
        List<Cell> cells = new ArrayList<>();
        for (String algorithm : algorithms) {
            for (String generator : generators) verifiers.forEach(v -> cells.add(new Cell(generator, v, algorithm)));
        }
        return cells;
    }

    public static CellResult placeholder(Cell cell, String rerun) {
        return CellResult.interrupted(cell.generator(), cell.verifier(), cell.algorithm(), rerun);
    }

    /**
     * Every cell, at most jobs at a time, in plan order; with several rounds the
     * runnable cells again each round, every result reported as it comes. Returns the last round's.
     */
    public List<CellResult> run(List<Cell> cells) {
        List<CellResult> results = new ArrayList<>(CellPool.run(cells, settings.jobs(),
                cell -> withArtifacts(cell, blocked(cell).orElseGet(() -> runCell(cell, 1))), onResult).values());
        List<Cell> runnable = cells.stream().filter(c -> blocked(c).isEmpty()).toList();
        for (int round = 2; round <= settings.rounds(); round++) {
            int current = round;
            var again = CellPool.run(runnable, settings.jobs(), cell -> withArtifacts(cell, runCell(cell, current)), onResult);
            for (int i = 0; i < cells.size(); i++) {
                CellResult latest = again.get(cells.get(i));
                if (latest != null) results.set(i, latest);
            }
        }
        return results;
    }

    /** The result with what both implementations were installed from (provenance). */
    private CellResult withArtifacts(Cell cell, CellResult result) {
        List<lib.core.Artifact> used = new ArrayList<>(prepared.get(cell.generator()).artifacts());
        used.addAll(prepared.get(cell.verifier()).artifacts());
        return result.withArtifacts(used);
    }

    /** Decided without running anything: a side that can't run, or an algorithm one side doesn't declare. */
    Optional<CellResult> blocked(Cell cell) {
        String rerunLine = rerun.apply(cell);
        List<String> broken = new ArrayList<>();
        List<String> unavailable = new ArrayList<>();
        for (String role : List.of("generator", "verifier")) {
            String name = role.equals("generator") ? cell.generator() : cell.verifier();
            Availability a = prepared.get(name).availability();
            if (a.state() == State.BROKEN) broken.add(role + " " + name + " broken: " + a.detail());
            if (a.state() == State.UNAVAILABLE) unavailable.add(role + " " + name + " unavailable: " + a.detail());
            if (a.ready() && !prepared.get(name).tool().algorithms().contains(cell.algorithm())) {
                unavailable.add(name + " does not support " + cell.algorithm());
            }
        }
        if (!broken.isEmpty()) {
            return Optional.of(CellResult.failed(cell.generator(), cell.verifier(), cell.algorithm(), String.join("; ", broken), List.of(), rerunLine));
        }
        if (!unavailable.isEmpty()) {
            return Optional.of(CellResult.unavailable(cell.generator(), cell.verifier(), cell.algorithm(), String.join("; ", unavailable.stream().distinct().toList()), rerunLine));
        }
        return Optional.empty();
    }

    CellResult runCell(Cell cell, int round) {
        // Each round keeps its own log and keys: "/round-2"; nothing when the matrix runs once.
        String id = cell.generator() + "-" + cell.verifier() + "-" + cell.algorithm() + (settings.rounds() == 1 ? "" : "/round-" + round);
        Path log = workspace.logDir("cells/" + id).resolve("token.log");
        Path dir = workspace.scratchDir("token/" + id);
        TokenTool generator = prepared.get(cell.generator()).tool();
        TokenTool verifier = prepared.get(cell.verifier()).tool();
        List<Check> checks = new ArrayList<>();
        Optional<Keys> keys = Keys.generate(generator, cell.algorithm(), dir, settings.callTimeout(), log, checks);
        if (keys.isEmpty()) return verdict(cell, checks, log, Optional.empty());
        Claims claims = new Claims("smoke-" + cell.algorithm().toLowerCase() + "-" + hex(), "pub-" + hex(), "sub-" + hex(), null);
        Optional<String> valid = sign(generator, keys.get().sign(), claims, log, checks, "signs the claims");
        Optional<String> expired = sign(generator, keys.get().sign(), claims.expiringAt(Instant.now().getEpochSecond() - 3600), log, checks, "signs an expired token");
        Optional<String> otherKey = sign(generator, keys.get().other(), claims, log, checks, "signs with a second key");
        if (valid.isEmpty() || expired.isEmpty() || otherKey.isEmpty()) return verdict(cell, checks, log, Optional.empty());

        Proc.Result accepted = verify(verifier, keys.get().verify(), claims.root(), valid.get(), log, "valid");
        if (!accepted.ok()) {
            // A verifier that refuses the genuine token (it can't load the key, or dies on start) would
            // "refuse" every forgery too; those refusals prove nothing, so they are not run.
            String error = TokenCalls.firstError(accepted);
            checks.add(new Check(ACCEPTS, false, "refused: " + error));
            return verdict(cell, checks, log, Optional.of(error));
        }
        List<String> missing = new ArrayList<>();
        for (String value : List.of(claims.root(), claims.publish(), claims.subscribe())) {
            if (!accepted.stdout().contains(value)) missing.add(value);
        }
        checks.add(new Check(ACCEPTS, missing.isEmpty(), missing.isEmpty() ? "root, publish and subscribe echoed back"
                : "exit 0 but its stdout lacks " + missing));

        String token = valid.get();
        reject(verifier, keys.get(), claims, NEGATIVES.get(0), List.of(new TokenForgery.Forged("root changed", TokenForgery.tamperPayload(token))), log, checks);
        reject(verifier, keys.get(), claims, NEGATIVES.get(1), List.of(new TokenForgery.Forged("first signature character flipped", TokenForgery.tamperSignature(token))), log, checks);
        reject(verifier, keys.get(), claims, NEGATIVES.get(2), List.of(new TokenForgery.Forged("second key", otherKey.get())), log, checks);
        reject(verifier, keys.get(), claims, NEGATIVES.get(3), List.of(new TokenForgery.Forged("exp an hour ago", expired.get())), log, checks);
        reject(verifier, keys.get(), claims, NEGATIVES.get(4), TokenForgery.algorithmConfusion(token, keys.get().verifyFile()), log, checks);
        reject(verifier, keys.get(), claims, NEGATIVES.get(5), List.of(new TokenForgery.Forged("alg none, no signature", TokenForgery.unsigned(token))), log, checks);
        return verdict(cell, checks, log, Optional.empty());
    }

    private Optional<String> sign(TokenTool generator, Path key, Claims claims, Path log, List<Check> checks, String name) {
        Proc.Result result = TokenCalls.run(name, generator.sign(key, claims), null, settings.callTimeout(), log);
        Optional<String> token = result.ok() ? TokenCalls.jwt(result.stdout()) : Optional.empty();
        if (token.isEmpty()) checks.add(new Check(name, false, result.ok() ? "printed no token on stdout" : TokenCalls.firstLine(result)));
        return token;
    }

    private Proc.Result verify(TokenTool verifier, Path key, String root, String token, Path log, String what) {
        return TokenCalls.run("verify " + what, verifier.verify(key, root), token, settings.callTimeout(), log);
    }

    /** Every forged variant must be refused; a timeout is no refusal. */
    private void reject(TokenTool verifier, Keys keys, Claims claims, String name, List<TokenForgery.Forged> forged,
            Path log, List<Check> checks) {
        List<String> accepted = new ArrayList<>();
        List<String> evidence = new ArrayList<>();
        for (TokenForgery.Forged bad : forged) {
            Proc.Result result = verify(verifier, keys.verify(), claims.root(), bad.token(), log, "(" + bad.how() + ")");
            if (result.exitCode() == 0 || result.timedOut()) accepted.add(bad.how() + (result.timedOut() ? " (timed out)" : " (accepted)"));
            else if (evidence.isEmpty()) evidence.add(TokenCalls.firstLine(result));
        }
        boolean passed = accepted.isEmpty();
        String detail = passed ? (forged.size() > 1 ? forged.size() + " variants refused, e.g. " : "") + String.join("", evidence)
                : "not refused: " + String.join(", ", accepted);
        checks.add(new Check(name, passed, detail));
    }

    /**
     * Every check the cell did not get to is listed as not run, so no report can
     * read a missing negative as a passed one. refusedValid: the verifier's error
     * on the valid token, which then is the cell's reason.
     */
    private CellResult verdict(Cell cell, List<Check> checks, Path log, Optional<String> refusedValid) {
        String why = refusedValid.map(e -> "the verifier refused the valid token").orElseGet(() -> stoppedAt(checks));
        List<Check> all = new ArrayList<>(checks);
        for (String name : concat(ACCEPTS, NEGATIVES)) {
            if (checks.stream().noneMatch(c -> c.name().equals(name))) all.add(Check.notRun(name, why));
        }
        List<String> failed = all.stream().filter(c -> !c.passed() && !c.notRun()).map(Check::name).toList();
        boolean pass = failed.isEmpty() && all.stream().noneMatch(Check::notRun);
        String reason = pass ? "accepts the valid token and refuses all " + NEGATIVES.size() + " negatives"
                : refusedValid.map(e -> "the verifier refused the valid token: " + e + "; its " + NEGATIVES.size() + " negatives did not run")
                        .orElse("failed: " + String.join(", ", failed));
        return new CellResult(cell.generator(), cell.verifier(), cell.algorithm(), pass ? Status.PASS : Status.FAIL, reason,
                null, List.of(log), all, rerun.apply(cell));
    }

    /** Why later checks did not run: the first that failed. */
    static String stoppedAt(List<Check> checks) {
        return checks.stream().filter(c -> !c.passed()).map(c -> "\"" + c.name() + "\" failed").findFirst().orElse("the cell stopped early");
    }

    static List<String> concat(String first, List<String> rest) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(rest);
        return all;
    }

    static String hex() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    }

    /** A cell's key files: sign and verify (the same file for HS*), and a second signing key. */
    record Keys(Path sign, Path verify, Path other, JwkFile signFile, JwkFile verifyFile) {
        String describe() {
            return verify.equals(sign) ? verifyFile.describe() : verifyFile.describe() + " (signed with " + signFile.describe() + ")";
        }

        static Optional<Keys> generate(TokenTool tool, String algorithm, Path dir, Duration timeout, Path log, List<Check> checks) {
            boolean symmetric = TokenTool.symmetric(algorithm);
            Path sign = dir.resolve("sign.jwk");
            Path verify = symmetric ? sign : dir.resolve("verify.jwk");
            Path other = dir.resolve("other.jwk");
            Proc.Result first = TokenCalls.run("generate", tool.generate(algorithm, sign, symmetric ? null : verify), null, timeout, log);
            Proc.Result second = first.ok() ? TokenCalls.run("generate a second key", tool.generate(algorithm, other, null), null, timeout, log) : first;
            if (Files.isDirectory(dir)) TokenCalls.restrict(dir);
            if (!first.ok() || !second.ok()) {
                checks.add(new Check("generates keys", false, TokenCalls.firstLine(first.ok() ? second : first)));
                return Optional.empty();
            }
            for (Path file : List.of(sign, verify, other)) {
                if (!Files.isRegularFile(file)) {
                    checks.add(new Check("generates keys", false, "exit 0 but wrote no " + file.getFileName()));
                    return Optional.empty();
                }
            }
            try {
                Keys keys = new Keys(sign, verify, other, JwkFile.read(sign), JwkFile.read(verify));
                checks.add(new Check("generates keys", true, keys.describe()));
                return Optional.of(keys);
            } catch (IllegalArgumentException e) {
                checks.add(new Check("generates keys", false, "a key file is no JWK: " + e.getMessage()));
                return Optional.empty();
            }
        }
    }
}
