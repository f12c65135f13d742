import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lib.core.Availability;
import lib.core.Proc;
import lib.core.UsageError;
import lib.core.Workspace;
import lib.delivery.Tool;
import lib.relay.RelayConfig;
import lib.report.CellResult.Status;
import lib.report.CellResult;
import lib.token.TokenImpls.Prepared;
import lib.token.TokenImpls;
import lib.token.TokenMatrix.Cell;
import lib.token.TokenMatrix;
import lib.token.RustTokenTool;
import lib.token.TokenTool;

/** Planning the matrix, reading the axes, and deciding what a tool's state means for its cells. */
class TokenMatrixTest {
    @Test
    void planCoversEveryGeneratorVerifierAndAlgorithmOnce() {
        List<Cell> cells = TokenMatrix.plan(List.of("rust", "js-node"), List.of("rust", "js-bun", "js-node"), List.of("HS256", "EdDSA"));
        assertEquals(12, cells.size());
        assertEquals(12, cells.stream().distinct().count());
        assertEquals(new Cell("rust", "rust", "HS256"), cells.get(0));
        assertEquals(new Cell("js-node", "js-node", "EdDSA"), cells.get(11));
    }

    @Test
    void algorithmsAreTheUnionOfWhatTheToolsDeclareAndAllMeansAllOfThem() {
        List<String> union = TokenImpls.algorithms();
        assertTrue(union.containsAll(List.of("HS256", "EdDSA", "ES256", "RS256", "PS512", "ES384")), union.toString());
        assertEquals(union, token.algorithms(List.of("all")));
        assertEquals(List.of("HS256", "EdDSA"), token.algorithms(List.of("hs256", " EdDSA", "HS256")));
        UsageError error = assertThrows(UsageError.class, () -> token.algorithms(List.of("ES512")));
        assertTrue(error.getMessage().contains("unknown algorithm 'ES512'") && error.getMessage().contains("valid: all, HS256"), error.getMessage());
    }

    @Test
    void cellsThatCannotRunAreDecidedWithoutRunningAnything(@TempDir Path dir) {
        TokenTool hsOnly = new TokenTool() {
            public String name() {
                return "hs-only";
            }

            public Set<String> algorithms() {
                return Set.of("HS256");
            }

            public Proc.Spec generate(String algorithm, Path signKey, Path verifyKey) {
                throw new AssertionError("a blocked cell runs nothing");
            }

            public Proc.Spec sign(Path key, Claims claims) {
                throw new AssertionError("a blocked cell runs nothing");
            }

            public Proc.Spec verify(Path key, String root) {
                throw new AssertionError("a blocked cell runs nothing");
            }
        };
        Map<String, Prepared> prepared = Map.of("hs", new Prepared(hsOnly, Availability.ready("")),
                "gone", new Prepared(null, Availability.unavailable("npm not found on PATH")),
                "bad", new Prepared(null, Availability.broken("npm install in token-js failed: E404")));
        Workspace workspace = Workspace.create(dir.resolve("out"));
        List<CellResult> results = new TokenMatrix(workspace, new TokenMatrix.Settings(Duration.ofSeconds(5), 2), prepared, c -> "rerun " + c.verifier(), r -> {})
                .run(List.of(new Cell("hs", "hs", "EdDSA"), new Cell("gone", "hs", "HS256"), new Cell("hs", "bad", "HS256")));
        workspace.deleteScratch();
        assertEquals(Status.UNAVAILABLE, results.get(0).status());
        assertEquals("hs does not support EdDSA", results.get(0).reason());
        assertEquals(Status.UNAVAILABLE, results.get(1).status());
        assertEquals("generator gone unavailable: npm not found on PATH", results.get(1).reason());
        assertEquals(Status.FAIL, results.get(2).status());
        assertEquals("verifier bad broken: npm install in token-js failed: E404", results.get(2).reason());
        assertEquals("rerun bad", results.get(2).rerun());
    }

    @Test
    void checksACellNeverReachedAreNotRunAndSayWhy(@TempDir Path dir) {
        TokenTool honest = new RustTokenTool("honest", List.of(TokenRunTest.FAKE_TOKEN.toString()));
        TokenTool cannotLoad = new RustTokenTool("cannot-load", List.of("env", "FAKE_TOKEN_MODE=cannot-load", TokenRunTest.FAKE_TOKEN.toString()));
        Map<String, Prepared> prepared = Map.of("honest", new Prepared(honest, Availability.ready("")),
                "cannot-load", new Prepared(cannotLoad, Availability.ready("")));
        Workspace workspace = Workspace.create(dir.resolve("out"));
        List<CellResult> results = new TokenMatrix(workspace, new TokenMatrix.Settings(Duration.ofSeconds(10), 1), prepared, c -> "rerun", r -> {})
                .run(List.of(new Cell("honest", "cannot-load", "HS256"), new Cell("honest", "honest", "EdDSA")));
        workspace.deleteScratch();
        CellResult result = results.get(0);
        assertEquals(Status.FAIL, result.status());
        assertEquals("the verifier refused the valid token: exit 1: Error: failed to decode key: invalid type: map, expected a string; its 6 negatives did not run", result.reason());
        assertEquals(List.of("generates keys", "accepts the valid token", "rejects a tampered payload", "rejects a tampered signature",
                "rejects a token signed by another key", "rejects an expired token", "rejects another algorithm than the key's",
                "rejects an unsigned alg:none token"), result.checks().stream().map(CellResult.Check::name).toList());
        for (CellResult.Check check : result.checks().subList(2, 8)) {
            assertTrue(check.notRun() && !check.passed(), check.toString());
        }
        assertFalse(result.checks().get(1).notRun(), "the valid token was tried");

        CellResult noKeys = results.get(1);
        assertEquals("failed: generates keys", noKeys.reason());
        assertEquals(8, noKeys.checks().size(), noKeys.checks().toString());
        for (CellResult.Check check : noKeys.checks().subList(1, 8)) {
            assertEquals(CellResult.Check.notRun(check.name(), "\"generates keys\" failed"), check);
        }
    }

    /**
     * A token tool answers on stdout (sign: the token; verify: the claims), as both CLIs
     * promise; the same text on stderr alone is no answer. Read from both streams together,
     * a verifier that only logged the claims passed "accepts the valid token".
     */
    @Test
    void whatAToolPrintsOnlyOnStderrIsNoAnswer(@TempDir Path dir) {
        Map<String, Prepared> prepared = new java.util.HashMap<>();
        for (String mode : List.of("token-on-stderr", "claims-on-stderr")) {
            prepared.put(mode, new Prepared(new RustTokenTool(mode, List.of("env", "FAKE_TOKEN_MODE=" + mode, TokenRunTest.FAKE_TOKEN.toString())),
                    Availability.ready("")));
        }
        Workspace workspace = Workspace.create(dir.resolve("out"));
        List<CellResult> results = new TokenMatrix(workspace, new TokenMatrix.Settings(Duration.ofSeconds(10), 1), prepared, c -> "rerun", r -> {})
                .run(List.of(new Cell("token-on-stderr", "token-on-stderr", "HS256"), new Cell("claims-on-stderr", "claims-on-stderr", "HS256")));
        workspace.deleteScratch();
        assertEquals(Status.FAIL, results.get(0).status(), results.get(0).checks().toString());
        assertTrue(results.get(0).checks().contains(new CellResult.Check("signs the claims", false, "printed no token on stdout")), results.get(0).checks().toString());
        assertEquals(Status.FAIL, results.get(1).status(), results.get(1).checks().toString());
        CellResult.Check accepts = results.get(1).checks().stream().filter(c -> c.name().equals("accepts the valid token")).findFirst().orElseThrow();
        assertFalse(accepts.passed(), accepts.toString());
        assertTrue(accepts.toString().contains("exit 0 but its stdout lacks"), accepts.toString());
    }

    @Test
    void unknownImplementationNamesTheValidOnes() {
        UsageError error = assertThrows(UsageError.class, () -> TokenImpls.select(List.of("rust", "python"), "--verifiers"));
        assertEquals("unknown implementation 'python' in --verifiers (valid: rust, js-node, js-bun, rust-docker)", error.getMessage());
        assertEquals(List.of("js-bun", "rust"), TokenImpls.select(List.of("js-bun", "rust", "js-bun"), "--generators"));
    }

    @Test
    void aDeliveredBinaryThatWontLaunchIsBrokenLikeAFailedInstallButAnUnreachableChannelIsUnavailable() {
        Tool wontLaunch = new Tool("moq-token", List.of("/opt/moq-token"), Availability.broken("moq-token does not launch: Library not loaded: libiconv.2.dylib"));
        assertEquals(Availability.broken("moq-token does not launch: Library not loaded: libiconv.2.dylib"), prepared("rust", wontLaunch));
        Tool failedInstall = Tool.missing("moq-token", Availability.broken("cargo install moq-token-cli failed: error[E0425]"));
        assertEquals(Availability.State.BROKEN, prepared("rust", failedInstall).state());
        Tool offline = Tool.missing("moq-token", Availability.unavailable("brew not found on PATH"));
        assertEquals(Availability.unavailable("brew not found on PATH"), prepared("rust", offline));
        Tool imageWontRun = new Tool("moq-token", List.of("run", "--mount", "/scratch", "moqdev/moq-token-cli:latest"),
                Availability.broken("moq-token does not launch: exec /bin/entry.sh: no such file or directory"));
        assertEquals(Availability.State.BROKEN, prepared("rust-docker", imageWontRun).state());
        Tool noEngine = Tool.missing("moq-token", Availability.unavailable("podman not found on PATH"));
        assertEquals(Availability.State.UNAVAILABLE, prepared("rust-docker", noEngine).state());
        assertEquals(List.of("/opt/moq-token", "verify", "--key", "k"),
                TokenImpls.fromTool("rust", Tool.at("moq-token", Path.of("/opt/moq-token"))).tool().verify(Path.of("k"), "r").command());
    }

    @Test
    void relayConfigKeyedThroughAnAuthServerKeepsNoPublicPath() {
        RelayConfig base = RelayConfig.load(Path.of("smoke.toml"));
        assertTrue(base.text().contains("public = \"**\""));
        RelayConfig keyed = base.withAuthUrl("http://127.0.0.1:4440/");
        assertFalse(keyed.text().lines().anyMatch(l -> l.strip().startsWith("public")), keyed.text());
        assertTrue(keyed.text().endsWith("[auth]\nurl = \"http://127.0.0.1:4440/\"\n"), keyed.text());
        RelayConfig parsed = RelayConfig.parse(keyed.text(), "keyed");
        assertEquals(base.port(), parsed.port());
        String tables = "[listen]\nbind = \"127.0.0.1:1\"\n[auth.public]\nsubscribe = [\"a\"]\n[web.http]\nlisten = \"127.0.0.1:1\"\n";
        String rewritten = RelayConfig.parse(tables, "t").withAuthUrl("http://x/").text();
        assertFalse(rewritten.contains("auth.public"), rewritten);
        assertTrue(rewritten.contains("[web.http]\nlisten"), "the table after [auth.*] survives: " + rewritten);
    }

    private static Availability prepared(String name, Tool tool) {
        return TokenImpls.fromTool(name, tool).availability();
    }
}
