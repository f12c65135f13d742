import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lib.run.Invocation;

/** Rerun lines start with what runs the script from where the run started. */
class InvocationTest {
    @TempDir Path dir;

    @Test
    void aCheckoutRunsTheScriptThroughItsWrapper() throws Exception {
        Files.writeString(dir.resolve("smoke.java"), "");
        Files.writeString(dir.resolve("jbang"), "#!/bin/sh\n");
        dir.resolve("jbang").toFile().setExecutable(true);
        assertEquals("./jbang smoke.java", Invocation.of(dir, "smoke"));
        assertEquals("jbang token@moq-dev/smoke", Invocation.of(dir, "token"), "no token.java here");
    }

    @Test
    void anywhereElseTheCatalogAliasRunsIt() throws Exception {
        assertEquals("jbang smoke@moq-dev/smoke", Invocation.of(dir, "smoke"));
        Files.writeString(dir.resolve("smoke.java"), "");
        assertEquals("jbang smoke@moq-dev/smoke", Invocation.of(dir, "smoke"), "a smoke.java without the wrapper beside it is not a checkout");
    }

    @Test
    void thisCheckoutIsOne() {
        assertEquals("./jbang smoke.java", Invocation.of(Path.of(""), "smoke"));
        assertEquals("./jbang token.java", Invocation.of(Path.of(""), "token"));
    }
}
