import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import picocli.CommandLine.Command;

import lib.core.ArtifactFailure;
import lib.core.Cli;
import lib.run.CellPool;

/** A full disk met on a cell's thread is still the harness's failure: one line, exit 3. */
// Swaps System.err.
@Isolated
class CellThreadFailureTest {
    /** A cell thread's failure reaches Cli wrapped by CellPool; the disk is still the harness's problem. */
    @Command(name = "cells")
    static final class CellsOnAFullDisk implements Callable<Integer> {
        @Override
        public Integer call() {
            CellPool.run(List.of("rust-rust"), 1, cell -> {
                throw new ArtifactFailure(Path.of("out/cells/rust-rust/subscriber.out"), new IOException("No space left on device"));
            }, result -> {});
            return 0;
        }
    }

    @Test
    void aFullDiskInACellThreadIsOneLineAndExit3() {
        PrintStream realErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Cli.execute(new CellsOnAFullDisk());
        } finally {
            System.setErr(realErr);
        }
        assertEquals(3, code, err.toString(StandardCharsets.UTF_8));
        assertEquals("cells: no space left on device: out/cells/rust-rust/subscriber.out\n", err.toString(StandardCharsets.UTF_8));
    }
}
