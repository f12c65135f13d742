import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A tiny tmpfs, for a disk that is really full or really read-only. Mounting needs
 * root (or CAP_SYS_ADMIN); where that is missing the test using it is skipped.
 */
final class Tmpfs implements AutoCloseable {
    final Path dir;

    private Tmpfs(Path dir) {
        this.dir = dir;
    }

    /** options as for mount -o, e.g. "size=64k" or "ro,size=64k". */
    static Tmpfs mount(Path dir, String options) throws Exception {
        Files.createDirectories(dir);
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", options, "tmpfs", dir.toString())
                .redirectErrorStream(true).start();
        boolean mounted = mount.waitFor(10, TimeUnit.SECONDS) && mount.exitValue() == 0;
        assumeTrue(mounted, "cannot mount a tmpfs here (needs root): " + new String(mount.getInputStream().readAllBytes()));
        return new Tmpfs(dir);
    }

    /** Fills the filesystem up to leaving bytes free (a multiple of the 4 KiB page). */
    Tmpfs leaving(long bytes) throws IOException {
        long free = Files.getFileStore(dir).getUsableSpace();
        Files.write(dir.resolve("filler"), new byte[(int) (free - bytes)]);
        return this;
    }

    @Override
    public void close() throws IOException {
        Process umount = new ProcessBuilder("umount", "-l", dir.toString()).inheritIO().start();
        try {
            umount.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
