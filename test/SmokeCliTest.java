import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

import lib.core.Cli;

/** Bad input never starts a run, of smoke.java or token.java: one line on stderr, exit code 2. */
// Swaps System.out and System.err, and a run it starts in this JVM stops every child of this JVM at its end.
@Isolated
class SmokeCliTest {
    @TempDir Path dir;

    record Said(int code, String out, String err) {}

    static Said smoke(String... args) {
        return execute(new smoke(), args);
    }

    static Said token(String... args) {
        return execute(new token(), args);
    }

    private static Said execute(Object command, String... args) {
        PrintStream realOut = System.out;
        PrintStream realErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Cli.execute(command, args);
            return new Said(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(realOut);
            System.setErr(realErr);
        }
    }

    static void assertUsageError(Said said, String expected) {
        assertEquals(2, said.code(), said.err());
        assertTrue(said.err().contains(expected), said.err());
        assertEquals(1, said.err().strip().lines().count(), "one line: " + said.err());
    }

    /** tests.java's class regex that does not compile is bad input, one line, exit 2: not "the harness itself failed" and a stack trace (exit 3). */
    @Test
    void aTestRegexThatDoesNotCompileIsBadInput() {
        assertUsageError(execute(new tests(), "--unit", "["), "tests: '[' is not a regex: Unclosed character class");
    }

    /** A live test asked for in --unit is not there: the line says why, not only how a regex must be written. */
    @Test
    void aTestRegexThatSelectsNothingInItsTierSaysWhatTheTierLeavesOut() {
        assertUsageError(execute(new tests(), "--unit", "LiveClientsTest"),
                "no test matches 'LiveClientsTest' in --unit, which leaves out the live and toolchain tests; the regex must match the whole class name");
    }

    /** No -V/--version: the project has no releases, so it offers none rather than printing nothing. */
    @Test
    void helpIsOfferedAndNoVersion() {
        for (Said help : java.util.List.of(smoke("--help"), token("-h"))) {
            assertEquals(0, help.code(), help.err());
            assertTrue(help.out().contains("-h, --help") && !help.out().contains("--version"), help.out());
        }
        assertUsageError(smoke("--version"), "Unknown option: '--version'");
    }

    /** An unknown enum value is answered in the spelling the help and README use, not the constants' capitals. */
    @Test
    void aWrongChoiceListsTheChoicesAsTheyAreWritten() {
        assertUsageError(smoke("--channel", "bogus"), "Invalid value for option '--channel': 'bogus' is not one of path, cargo, apt, brew, nix, docker");
        assertUsageError(smoke("--transport", "tcp"), "'tcp' is not one of quic, websocket, any");
        assertUsageError(token("--channel", "Crate"), "'Crate' is not one of path, cargo, apt, brew, nix, docker");
    }

    @Test
    void optionsThatAnotherWouldOverrideAreRefusedNotDropped() throws Exception {
        assertUsageError(smoke("--full", "--publishers", "nosuch"), "--full runs every client: leave out --publishers");
        assertUsageError(smoke("--full", "--subscribers", "rust", "--publishers", "rust"), "leave out --publishers and --subscribers");
        assertUsageError(smoke("--list", "--subscribers", "rust"), "--list lists every client: leave out --subscribers");
        assertUsageError(smoke("--negative", "--publishers", "python"), "--negative runs no publisher: leave out --publishers");
        assertUsageError(smoke("--client-source", "c=crate,c=release", "--subscribers", "c"), "--client-source c given twice, as crate and release");
        assertUsageError(smoke("--client-source", "crate", "--client-source", "release"), "given twice for every client, as crate and release");
        Path failed = dir.resolve("results.json");
        java.nio.file.Files.writeString(failed, "{}");
        assertUsageError(smoke("--rerun-failed", failed.toString(), "--timeout", "7", "--negative"),
                "--rerun-failed reruns the failed cells with their run's own options: leave out --timeout and --negative");
    }

    @Test
    void resultsThatAreNotJsonAreOneLineNamingWhere() throws Exception {
        Path garbage = dir.resolve("garbage.json");
        java.nio.file.Files.writeString(garbage, "not json at all {");
        assertUsageError(smoke("--rerun-failed", garbage.toString()), garbage + " is not JSON at line 1, column 1: Unrecognized token 'not'");
        assertUsageError(smoke("compare", garbage.toString(), garbage.toString()), garbage + " is not JSON at line 1");
    }

    @Test
    void unknownClientNamesTheValidOnes() {
        assertUsageError(smoke("--subscribers", "rust,cobol"), "unknown client 'cobol' in --subscribers (valid: rust, python");
    }

    @Test
    void aSubscribeOnlyClientCannotPublish() {
        assertUsageError(smoke("--publishers", "js-native-node"), "js-native-node cannot publish");
    }

    @Test
    void gopIsOneOfTheCommittedClips() {
        assertUsageError(smoke("--gop", "2s"), "'2s' is not a keyframe interval this harness has a clip for; valid: 1s, 200ms");
        assertUsageError(smoke("--gop", "1"), "valid: 1s, 200ms");
        assertUsageError(smoke("--gop", ""), "valid: 1s, 200ms");
    }

    @Test
    void aCommandRunInsideAnotherProgramLeavesThatProgramsArchiveAlone() {
        // The test runner is such a program: its archive holds its own classes, whatever the commands it runs refused.
        Path recording = dir.resolve("tests.jsa.1");
        System.setProperty("moq.smoke.cds.recording", recording.toString());
        try {
            smoke("--gop", "2s");
            smoke("--help");
        } finally {
            System.clearProperty("moq.smoke.cds.recording");
        }
        assertFalse(java.nio.file.Files.exists(Path.of(recording + ".partial")));
    }

    @Test
    void timeoutAndJobsMustBePositiveNumbers() {
        assertUsageError(smoke("--timeout", "0"), "--timeout must be a positive number of seconds");
        assertUsageError(smoke("--timeout", "-5"), "--timeout must be a positive number of seconds");
        assertUsageError(smoke("--timeout", "soon"), "'soon' is not an int");
        assertUsageError(smoke("--jobs", "0"), "--jobs must be at least 1");
    }

    @Test
    void unknownChannelOrOptionIsAUsageError() {
        assertUsageError(smoke("--channel", "ftp"), "--channel");
        assertUsageError(smoke("--frobnicate"), "Unknown option: '--frobnicate'");
    }

    @Test
    void unreadableOrInvalidRelayConfigIsAUsageError() throws Exception {
        assertUsageError(smoke("--config", dir.resolve("missing.toml").toString()), "cannot read relay config");
        Path bad = Files.writeString(dir.resolve("bad.toml"), "[server\nlisten=");
        assertUsageError(smoke("--config", bad.toString()), "is not valid TOML");
    }

    @Test
    void anArtifactsDirInUseIsRefused() throws Exception {
        Files.writeString(dir.resolve("results.json"), "{}");
        Said said = smoke("--out", dir.toString(), "--config", "smoke.toml");
        assertUsageError(said, "already exists and is not empty");
    }

    @Test
    void helpListsEachOptionsClientsByRole() {
        Said said = smoke("--help");
        assertEquals(0, said.code());
        String help = said.out().replaceAll("\\s+", " ");
        String publishers = help.substring(help.indexOf("Publishers, comma-separated"), help.indexOf("Subscribers, comma-separated"));
        String subscribers = help.substring(help.indexOf("Subscribers, comma-separated"));
        for (lib.clients.Client client : lib.clients.Clients.registered()) {
            java.util.regex.Pattern named = java.util.regex.Pattern.compile("Valid: [^.]*\\b" + java.util.regex.Pattern.quote(client.name()) + "(,|\\.)");
            assertEquals(client.roles().contains(lib.clients.Client.Role.PUBLISH), named.matcher(publishers).find(), "--publishers lists " + client.name());
            assertEquals(client.roles().contains(lib.clients.Client.Role.SUBSCRIBE), named.matcher(subscribers).find(), "--subscribers lists " + client.name());
        }
    }

    @Test
    void listShowsRolesAndWhyAClientIsUnavailable() {
        Said said = smoke("--list", "--channel", "nix");
        assertEquals(0, said.code());
        assertTrue(said.out().matches("(?s).*rust\\s+publish\\+subscribe\\s+moq-cli .*(available|unavailable: nix not found on PATH).*"), said.out());
        for (lib.clients.Client client : lib.clients.Clients.registered()) {
            assertTrue(said.out().lines().anyMatch(l -> l.startsWith(client.name() + " ") && l.contains(lib.clients.Clients.roles(client))), client.name());
        }
        // Every row's "here" starts in the header's column, after a gap: no source runs into it.
        int here = said.out().lines().findFirst().orElseThrow().indexOf("here");
        for (String row : said.out().lines().toList()) {
            assertTrue(row.length() > here && row.substring(here - 2, here).isBlank() && !row.substring(here, here + 1).isBlank(), row);
        }
    }

    @Test
    void tokenBadInputIsOneLineAndExitTwo() {
        assertUsageError(token("--algorithms", "ES512"), "ES512");
        assertUsageError(token("--generators", "python"), "python");
        assertUsageError(token("--jobs", "0"), "--jobs");
        assertUsageError(token("--full", "--verifiers", "nosuch"), "--full runs every implementation: leave out --verifiers");
        assertUsageError(token("--list", "--generators", "rust"), "--list lists every implementation: leave out --generators");
    }

    @Test
    void tokenHelpListsTheImplementationsAndEveryAlgorithm() {
        Said said = token("--help");
        assertEquals(0, said.code(), said.err());
        String help = said.out().replaceAll("\\s+", " ");
        assertTrue(help.contains("Valid: rust, js-node, js-bun, rust-docker."), said.out());
        assertTrue(help.contains("HS256, HS384, HS512, EdDSA, ES256, ES384, RS256, RS384, RS512, PS256, PS384, PS512"), said.out());
    }

    @Test
    void aRerunOfARunWithNothingFailedDoesNothingAndOfTheOtherSuiteIsBadInput() throws Exception {
        Path green = dir.resolve("a/results.json");
        Files.createDirectories(green.getParent());
        Files.writeString(green, "{\"suite\": \"media\", \"options\": {\"timeout\": 7}, \"versions\": {}, \"cells\": ["
                + RerunFailedTest.cell("rust→rust", "pass") + "," + RerunFailedTest.cell("rust→go", "xfail") + "]}");
        Said nothing = smoke("--rerun-failed", green.toString(), "--out", dir.resolve("b").toString());
        assertEquals(0, nothing.code(), nothing.err());
        assertEquals("nothing to rerun: no cell failed in " + green + "\n", nothing.out());
        assertUsageError(token("--rerun-failed", green.toString(), "--out", dir.resolve("c").toString()), "is a media run, not a token run");
        assertFalse(Files.exists(dir.resolve("b")) || Files.exists(dir.resolve("c")), "a refused rerun left an out dir");
    }
}
