import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

import lib.core.UsageError;
import lib.run.CommonOptions;
import lib.run.Run;

/** The artifacts dir: one run owns it and bad paths are bad input (runs in this JVM; OutDirRunTest has those in processes of their own). */
// Runs in this JVM end by stopping every child of this JVM.
@Isolated
class OutDirTest {
    @TempDir Path dir;

    @Test
    void aSecondRunOnTheSameOutIsRefusedNamingTheFirst() {
        CommonOptions common = new CommonOptions();
        common.out = dir.resolve("out");
        try (Run first = Run.start(smoke.KIND, common, List.of(), Map.of())) {
            UsageError refused = assertThrows(UsageError.class, () -> Run.start(smoke.KIND, common, List.of(), Map.of()).close());
            assertTrue(refused.getMessage().contains("--out " + common.out + " is already used by run " + first.id), refused.getMessage());
        }
    }

    @Test
    void anOutUnderARegularFileIsBadInput() throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "x");
        assertRefused(file.resolve("run"), "--out " + file.resolve("run") + " is under " + file + ", which is a file, not a directory");
        assertEquals("x", Files.readString(file));
    }

    @Test
    void anOutUnderProcOrSysIsBadInput() {
        assertRefused(Path.of("/proc/moq-smoke-out"), "--out /proc/moq-smoke-out is under /proc, a kernel filesystem");
        assertRefused(Path.of("/sys/moq-smoke-out/run"), "--out /sys/moq-smoke-out/run is under /sys, a kernel filesystem");
    }

    @Test
    void anUnwritableOutIsBadInput() throws Exception {
        // Permissions do not stop root; a read-only filesystem does.
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root) Files.createDirectory(dir.resolve("locked"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("r-xr-xr-x")));
        try (Tmpfs readOnly = root ? Tmpfs.mount(dir.resolve("locked"), "ro,size=64k") : null) {
            Path locked = readOnly != null ? readOnly.dir : dir.resolve("locked");
            assertRefused(locked.resolve("run"), "--out " + locked.resolve("run") + " cannot be created: ");
            assertRefused(locked, "--out " + locked + " is not writable: ");
        }
    }

    private static void assertRefused(Path out, String expected) {
        boolean existed = Files.exists(out);
        SmokeCliTest.Said said = SmokeCliTest.smoke("--out", out.toString(), "--config", "smoke.toml");
        SmokeCliTest.assertUsageError(said, expected);
        assertEquals(existed, Files.exists(out), out + " was created or removed");
    }
}
