import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lib.core.Resources;

class ResourcesTest {
    @TempDir Path dir;

    /** The relay's and a client's install both extract the docker wrapper; neither may ever find it half made. */
    @Test
    void sidesExtractingOneFileAtOnceEachFindItWholeAndExecutable() throws Exception {
        long size = Resources.bytes("clients/docker/run").length;
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> sides = new ArrayList<>();
            for (int side = 0; side < 4; side++) {
                sides.add(pool.submit(() -> {
                    for (int i = 0; i < 100; i++) {
                        Path wrapper = Resources.extract("clients/docker/run", dir, true);
                        assertTrue(Files.isExecutable(wrapper), "not executable on round " + i);
                        assertEquals(size, Files.size(wrapper), "half written on round " + i);
                    }
                    return null;
                }));
            }
            for (Future<?> side : sides) side.get();
        } finally {
            pool.shutdownNow();
        }
        try (var left = Files.list(dir.resolve("clients/docker"))) {
            assertEquals(List.of("run"), left.map(p -> p.getFileName().toString()).toList(), "files left aside");
        }
    }
}
