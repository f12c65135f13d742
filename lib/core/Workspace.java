package lib.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The places a run uses: a persistent cache (cargo installs, npm/uv scratch
 * reused across runs), a private scratch dir (keys, configs; mode 0700, removed
 * after the run unless kept) and the artifacts dir for logs and reports; pins are
 * the exact versions every installer takes instead of the latest (--pin).
 */
public record Workspace(Path cache, Path scratch, Path out, Pins pins) {
    public Workspace(Path cache, Path scratch, Path out) {
        this(cache, scratch, out, Pins.none());
    }

    public Workspace withPins(Pins chosen) {
        return new Workspace(cache, scratch, out, chosen);
    }

    /** A workspace whose scratch is removed at the end, even if the JVM is killed (see Reaper). */
    public static Workspace create(Path out) {
        return create(out, false);
    }

    /**
     * keep: the scratch dir outlives the run, so it is named apart from the ones the
     * reaper removes.
     */
    public static Workspace create(Path out, boolean keep) {
        Reaper.ensureStarted();
        try {
            Path scratch = Files.createTempDirectory(keep ? "moq-smoke-kept-" : Reaper.scratchPrefix(),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            return new Workspace(defaultCache(), scratch, out);
        } catch (IOException e) {
            throw new ArtifactFailure("the run's scratch dir in " + System.getProperty("java.io.tmpdir"), e);
        }
    }

    /** $MOQ_SMOKE_CACHE, else the XDG cache dir: never inside the checkout. */
    public static Path defaultCache() {
        String explicit = System.getenv("MOQ_SMOKE_CACHE");
        if (explicit != null && !explicit.isBlank()) return Path.of(explicit);
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("moq-smoke");
    }

    public Path cacheDir(String name) {
        return mkdirs(cache.resolve(name));
    }

    public Path scratchDir(String name) {
        return mkdirs(scratch.resolve(name));
    }

    public Path logDir(String name) {
        return mkdirs(out.resolve(name));
    }

    /** The install log name in the run's provision dir, counted to the install under way (see InstallLogs). */
    public Path provisionLog(String name) {
        Path log = logDir("provision").resolve(name);
        InstallLogs.opened(log);
        return log;
    }

    public void deleteScratch() {
        Reaper.deleteTree(scratch);
    }

    private static Path mkdirs(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new ArtifactFailure(dir, e);
        }
    }
}
