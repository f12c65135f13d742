package lib.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import lib.core.ArtifactFailure;
import lib.core.UsageError;

/**
 * A run's artifacts dir, claimed for that run alone. The claim is a file created with
 * CREATE_NEW (atomic on local filesystems) holding the run id, so of two runs given the
 * same dir at the same instant one wins and the other is told whose dir it is. A run
 * that ends without writing anything leaves no trace: not even an empty dir.
 */
final class ArtifactsDir {
    static final String CLAIM = ".moq-smoke-run";
    /** Kernel filesystems: writing artifacts there is a mistake, not a dir to create. */
    private static final List<Path> KERNEL = List.of(Path.of("/proc"), Path.of("/sys"));

    private final Path dir;
    private final Path claim;
    /** The highest dir this run created on the way to dir, or null if dir already existed. */
    private final Path created;

    private ArtifactsDir(Path dir, Path created) {
        this.dir = dir;
        this.claim = dir.resolve(CLAIM);
        this.created = created;
    }

    /**
     * Creates dir if needed and claims it for runId; name is how the user knows the
     * dir ("--out X") for the messages.
     *
     * @throws UsageError naming the path: under a file or a kernel filesystem, not
     *         creatable or writable, not empty, or claimed by another run
     * @throws ArtifactFailure if the disk is full
     */
    static ArtifactsDir claim(Path dir, String runId, String name) {
        Path absolute = dir.toAbsolutePath().normalize();
        Path existing = absolute;
        while (!Files.exists(existing)) existing = existing.getParent();
        refuseKernel(absolute, name);
        refuseKernel(realPath(existing, name), name);
        if (!Files.isDirectory(existing)) {
            throw new UsageError(existing.equals(absolute) ? name + " exists and is not a directory"
                    : name + " is under " + existing + ", which is a file, not a directory");
        }
        Path created = existing.equals(absolute) ? null : existing.resolve(absolute.getName(existing.getNameCount()));
        try {
            Files.createDirectories(absolute);
        } catch (IOException e) {
            throw failure(name + " cannot be created", absolute, e);
        }
        ArtifactsDir artifacts = new ArtifactsDir(dir, created);
        artifacts.take(runId, name);
        return artifacts;
    }

    private void take(String runId, String name) {
        try {
            Files.writeString(claim, runId, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            throw new UsageError(name + " is already used by run " + owner() + "; a run never mixes its logs with another's");
        } catch (IOException e) {
            unclaim();
            throw failure(name + " is not writable", dir, e);
        }
        try (Stream<Path> entries = Files.list(dir)) {
            if (entries.anyMatch(entry -> !entry.equals(claim))) {
                unclaim();
                throw new UsageError("artifacts dir " + dir + " already exists and is not empty; a run never mixes its logs with another's");
            }
        } catch (IOException e) {
            unclaim();
            throw failure(name + " cannot be read", dir, e);
        }
    }

    /**
     * Removes what this run put there, if that is nothing but the claim and empty dirs:
     * a run cut short by bad input leaves no empty artifacts dir behind.
     */
    void releaseIfUnused() {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(dir)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        } catch (IOException e) {
            return;
        }
        if (paths.stream().anyMatch(path -> !path.equals(claim) && !Files.isDirectory(path))) return;
        try {
            for (Path path : paths) if (!path.equals(dir)) Files.deleteIfExists(path);
        } catch (IOException e) {
            return;
        }
        unclaim();
    }

    /** Deletes the claim and the dirs this run created, as far as they are empty. */
    private void unclaim() {
        try {
            Files.deleteIfExists(claim);
            if (created == null) return;
            for (Path empty = dir.toAbsolutePath().normalize(); empty.startsWith(created); empty = empty.getParent()) Files.delete(empty);
        } catch (IOException e) {
            // A dir someone else now uses stays; the run's real outcome is about to be reported.
        }
    }

    /** The id in another run's claim, which it writes just after creating the file. */
    private String owner() {
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        try {
            String id = Files.readString(claim, StandardCharsets.UTF_8).strip();
            while (id.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
                id = Files.readString(claim, StandardCharsets.UTF_8).strip();
            }
            return id.isEmpty() ? "(unknown)" : id;
        } catch (IOException e) {
            return "(unknown)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(unknown)";
        }
    }

    private static void refuseKernel(Path path, String name) {
        for (Path kernel : KERNEL) {
            if (path.startsWith(kernel)) throw new UsageError(name + " is under " + kernel + ", a kernel filesystem, not a place for artifacts");
        }
    }

    private static Path realPath(Path path, String name) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            throw failure(name + " cannot be resolved", path, e);
        }
    }

    /** A full disk is the harness's failure (exit 3); any other refusal is the user's path (exit 2). */
    private static RuntimeException failure(String what, Path path, IOException e) {
        String reason = e instanceof FileSystemException fs && fs.getReason() != null ? fs.getReason()
                : e instanceof java.nio.file.AccessDeniedException ? "permission denied" : String.valueOf(e.getMessage());
        if (reason.toLowerCase(Locale.ROOT).contains("no space left")) return new ArtifactFailure(path, e);
        return new UsageError(what + ": " + reason.toLowerCase(Locale.ROOT));
    }
}
