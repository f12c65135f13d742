import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The artifacts dir as runs of smoke.java in processes of their own meet it: one run owns it, and bad input leaves nothing behind. */
class OutDirRunTest {
    @TempDir Path dir;

    @Test
    void twoRunsStartedTogetherOnOneOutNeverInterleave() throws Exception {
        Path out = dir.resolve("out");
        Map<String, String> env = Map.of("RELAY_BIN", Fakes.RELAY.toString(), "MOQ_BIN", Fakes.MOQ.toString());
        Process a = Fakes.command("smoke", out, env, "--timeout", "10").redirectErrorStream(true).redirectOutput(dir.resolve("a").toFile()).start();
        Process b = Fakes.command("smoke", out, env, "--timeout", "10").redirectErrorStream(true).redirectOutput(dir.resolve("b").toFile()).start();
        assertTrue(a.waitFor(90, TimeUnit.SECONDS) && b.waitFor(90, TimeUnit.SECONDS));
        List<Integer> codes = List.of(a.exitValue(), b.exitValue());
        String said = Files.readString(dir.resolve("a")) + Files.readString(dir.resolve("b"));
        assertTrue(codes.contains(0) && codes.contains(2), codes + ": " + said);
        String winner = new Fakes.Outcome(0, "", "", out).results().get("runId").asText();
        assertTrue(said.contains("smoke: --out " + out + " is already used by run " + winner + ";"), said);
    }

    @Test
    void badInputFoundAfterTheRunStartedLeavesNoEmptyOutDir() throws Exception {
        Path out = dir.resolve("new/nested/out");
        Fakes.Outcome outcome = Fakes.smoke(out, Map.of("MOQ_BIN", dir.resolve("nowhere/moq").toString()));
        assertEquals(2, outcome.exitCode(), outcome.all());
        assertFalse(Files.exists(dir.resolve("new")), "the dirs this run created are gone");

        Path empty = Files.createDirectory(dir.resolve("empty"));
        outcome = Fakes.smoke(empty, Map.of("MOQ_BIN", dir.resolve("nowhere/moq").toString()));
        assertEquals(2, outcome.exitCode(), outcome.all());
        try (var left = Files.list(empty)) {
            assertEquals(List.of(), left.toList(), "an empty dir the user gave stays, and empty");
        }
    }

    @Test
    void theDefaultOutDirIsNotLeftBehindByBadInputEither() throws Exception {
        Process smoke = Fakes.command("smoke", null, Map.of("RELAY_BIN", Fakes.RELAY.toString(), "MOQ_BIN", dir.resolve("nowhere/moq").toString()))
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("console").toFile()).start();
        assertTrue(smoke.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, smoke.exitValue(), Files.readString(dir.resolve("console")));
        assertFalse(Files.exists(dir.resolve("out")), "no out/<run-id>/ and no out/");
    }
}
