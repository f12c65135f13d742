package lib.core;

//FILES clients/docker/run=../../clients/docker/run

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Files from clients/ travel inside the built script as classpath resources, so a
 * script run from a catalog alias or another directory finds them too. They are
 * written out to the run's scratch dir when a client needs them on disk.
 */
public final class Resources {
    private Resources() {}

    public static InputStream open(String name) {
        InputStream in = Resources.class.getResourceAsStream("/" + name);
        if (in == null) throw new IllegalStateException("resource " + name + " is missing from the build");
        return in;
    }

    public static byte[] bytes(String name) {
        try (InputStream in = open(name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes resource name under dir (keeping its relative path); executable when asked.
     * Written aside and renamed into place: two sides of a run may extract the same file
     * at once, and one must never run it while the other has it half written or not yet
     * executable (the cell would fail with "Permission denied").
     */
    public static Path extract(String name, Path dir, boolean executable) {
        Path target = dir.resolve(name);
        try (InputStream in = open(name)) {
            Files.createDirectories(target.getParent());
            Path aside = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".partial");
            try {
                Files.copy(in, aside, StandardCopyOption.REPLACE_EXISTING);
                if (executable && !aside.toFile().setExecutable(true, true)) {
                    throw new IOException("cannot make " + aside + " executable");
                }
                Files.move(aside, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(aside);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
