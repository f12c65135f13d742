import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import lib.core.Proc;

/** bench/bench.sh against a fake jbang whose "runs" only leave the files bench reads. */
class BenchTest {
    /** Writes a publisher log per publisher (rust's starts with its time, as moq's tracing does; python's with its transport line) and a subscriber's. */
    private static final String FAKE_JBANG = """
            #!/usr/bin/env bash
            [ "$1" = build ] && exit 0
            while [ $# -gt 0 ]; do case "$1" in --out) out=$2; shift 2 ;; --publishers) pubs=$2; shift 2 ;; *) shift ;; esac; done
            for p in ${pubs//,/ }; do
                mkdir -p "$out/publishers/$p"
                if [ "$p" = rust ]; then echo "$(date -u +%Y-%m-%dT%H:%M:%S.%6NZ)  INFO moq: connected"; else echo "transport: quic"; fi >"$out/publishers/$p/publisher.log"
            done
            mkdir -p "$out/cells/x" && echo "received 5 bytes" >"$out/cells/x/subscriber.log"
            """;

    @TempDir Path dir;

    private Proc.Result bench(String... args) throws Exception {
        Files.createDirectories(dir.resolve("bench"));
        for (String file : List.of("bench.sh", "measure.py")) Files.copy(Path.of("bench", file), dir.resolve("bench").resolve(file));
        Files.writeString(dir.resolve("jbang"), FAKE_JBANG);
        dir.resolve("jbang").toFile().setExecutable(true);
        List<String> command = new ArrayList<>(List.of("bash", dir.resolve("bench/bench.sh").toString()));
        command.addAll(List.of(args));
        return Proc.run(new Proc.Spec(command, Map.of("PATH", Fakes.path(), "TMPDIR", dir.toString()), dir), Duration.ofSeconds(120));
    }

    /**
     * A publisher whose first log line carries no time (the python client's "transport: quic")
     * has no start-up measure; it was `date: invalid date`, and set -e ended the bench halfway.
     */
    @Test
    void aPublisherLogWithoutTimesLeavesThatMeasureOutAndTheBenchGoesOn() throws Exception {
        Proc.Result result = bench("-n", "1", "--publishers", "rust,python", "--subscribers", "rust");
        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.stdout().contains("| cell:python→rust | "), result.output());
        assertTrue(result.stdout().lines().anyMatch(l -> l.matches("\\| cell:rust→rust \\| [0-9.]+ .*\\| 0 \\| [0-9.]+ .*")), result.output());
    }

    /** Bad input ends the bench at once with exit 2, before any run, rather than a shell error (exit 1) or a bench of no rounds. */
    @ParameterizedTest
    @ValueSource(strings = {"-n abc", "-n 0", "-n", "--upstream /no/such/dir", "--channel", "--bogus"})
    void badInputIsExit2WithOneLine(String args) throws Exception {
        Proc.Result result = bench(args.split(" "));
        assertEquals(2, result.exitCode(), result.output());
        assertTrue(result.output().startsWith("bench: ") && result.output().strip().lines().count() == 1, result.output());
    }
}
