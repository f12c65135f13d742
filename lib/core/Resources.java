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

    /** Writes resource name under dir (keeping its relative path); executable when asked. */
    public static Path extract(String name, Path dir, boolean executable) {
        Path target = dir.resolve(name);
        try (InputStream in = open(name)) {
            Files.createDirectories(target.getParent());
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            if (executable && !target.toFile().setExecutable(true, true)) {
                throw new IOException("cannot make " + target + " executable");
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
