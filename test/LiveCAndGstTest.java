import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The C (libmoq) and GStreamer (moq-gst) subscribers live against the real relay
 * and publishers (cargo channel), from each package source that can run here: the
 * crates, and release tarballs served by a fake GitHub since the real one is out
 * of reach from this machine.
 */
@Tag("live")
// Real relays and first-frame times: alone, as a user runs them.
@Isolated
class LiveCAndGstTest {
    static final Duration LIMIT = Duration.ofMinutes(60);

    @TempDir Path dir;

    Fakes.Outcome smoke(String... args) throws Exception {
        return Fakes.liveSmoke(dir, LIMIT, args);
    }

    /**
     * libmoq and moqsrc built from their crates subscribe to rust and python, and stay
     * empty-handed with nobody publishing. The crate serves the cc and CMake variants
     * (CMake through the crate's own CMakeLists in prebuilt mode); it renders no
     * moq.pc, so the pkg-config variant says so instead of running.
     */
    @Test
    void cAndGstFromTheirCratesReceiveFramesAndHoldTheNegative() throws Exception {
        Fakes.Outcome outcome = smoke("--channel", "cargo", "--publishers", "rust,python", "--subscribers", "c,c-pkgconfig,c-cmake,gst", "--timeout", "30");
        for (JsonNode cell : outcome.results().get("cells")) {
            assertEquals("crate", cell.get("sources").get("subscriber").asText(), cell.toString());
            if (cell.get("subscriber").asText().equals("c-pkgconfig")) {
                assertEquals("unsupported", cell.get("status").asText(), cell.toString());
                assertTrue(cell.get("reason").asText().contains("renders no moq.pc"), cell.toString());
            } else {
                assertEquals("pass", cell.get("status").asText(), cell.toString());
            }
        }
        assertTrue(outcome.results().get("versions").has("libmoq") && outcome.results().get("versions").has("moq-gst"),
                outcome.results().get("versions").toString());
        Fakes.Outcome negative = smoke("--channel", "cargo", "--negative", "--subscribers", "c,c-cmake,gst", "--timeout", "8");
        assertEquals(0, negative.exitCode(), negative.all());
        for (JsonNode cell : negative.results().get("cells")) assertEquals("pass", cell.get("status").asText(), cell.toString());
    }

    /**
     * The release-asset path end to end, with GitHub out of reach here: a fake
     * release (SMOKE_GITHUB_API) whose tarballs hold the crate builds this cache
     * already has, laid out as upstream packages them (include/moq.h, lib/libmoq.a,
     * moq.pc and the CMake config rendered from the crate's own templates;
     * lib/gstreamer-1.0/libgstmoq.so). Every build variant and gst receive frames.
     * libmoq.a goes in as a symlink: packing 160 MB would only slow the test.
     */
    @Test
    void releaseTarballsBuildThreeWaysAndReceiveFrames() throws Exception {
        Path cache = lib.core.Workspace.defaultCache();
        Path target = cache.resolve("cargo-target/release");
        Path crate = cache.resolve("crates/libmoq-0.6.20");
        Path header;
        try (var dirs = Files.list(target.resolve("build"))) {
            header = dirs.map(d -> d.resolve("out/include/moq.h")).filter(Files::isRegularFile).findFirst().orElseThrow();
        }
        String triple = lib.delivery.GithubRelease.target().orElseThrow();
        String top = FakeRelease.libmoqLayout(dir, "0.6.20", triple, header, target.resolve("libmoq.a"), "../../include", 4);
        Path root = dir.resolve(top);
        Files.writeString(root.resolve("lib/pkgconfig/moq.pc"), Files.readString(crate.resolve("moq.pc.in"))
                .replace("@VERSION@", "0.6.20").replace("@LIBS_PRIVATE@", "-ldl -lm -lpthread -lstdc++"));
        Files.writeString(root.resolve("lib/cmake/moq/moq-config.cmake"), Files.readString(crate.resolve("cmake/moq-config.cmake.in"))
                .replace("@LIB_FILE@", "libmoq.a").replace("@VERSION@", "0.6.20").replace("@MOQ_NATIVE_LIBS_QUOTED@", "\"dl\" \"m\" \"pthread\" \"stdc++\""));
        String gst = "moq-gst-v0.4.20-" + triple;
        Files.createDirectories(dir.resolve(gst + "/lib/gstreamer-1.0"));
        Files.copy(target.resolve("libgstmoq.so"), dir.resolve(gst + "/lib/gstreamer-1.0/libgstmoq.so"));
        byte[] gstTarball = FakeRelease.tarball(dir, gst);
        byte[] libmoqTarball = FakeRelease.tarball(dir, top);
        try (FakeRelease github = new FakeRelease(List.of(
                new FakeRelease.Release("moq-gst-v0.4.20", List.of(FakeRelease.Asset.of(gst + ".tar.gz", gstTarball))),
                new FakeRelease.Release("libmoq-v0.6.20", List.of(FakeRelease.Asset.of(top + ".tar.gz", libmoqTarball)))))) {
            Fakes.Outcome outcome = Fakes.run(true, "smoke", dir.resolve("out-release"), Map.of("SMOKE_GITHUB_API", github.base()), LIMIT,
                    "--channel", "cargo", "--client-source", "release", "--publishers", "rust", "--subscribers", "c,c-pkgconfig,c-cmake,gst", "--timeout", "30");
            System.out.print(outcome.stdout());
            assertEquals(0, outcome.exitCode(), outcome.all());
            for (JsonNode cell : outcome.results().get("cells")) {
                assertEquals("pass", cell.get("status").asText(), cell.toString());
                assertEquals("release", cell.get("sources").get("subscriber").asText(), cell.toString());
            }
            JsonNode versions = outcome.results().get("versions");
            assertEquals("0.6.20", versions.get("libmoq").asText(), versions.toString());
            assertEquals("0.4.20", versions.get("moq-gst").asText(), versions.toString());
            for (JsonNode cell : outcome.results().get("cells")) {
                String asset = cell.get("subscriber").asText().equals("gst") ? gst + ".tar.gz" : top + ".tar.gz";
                JsonNode fetched = java.util.stream.StreamSupport.stream(cell.get("artifacts").spliterator(), false)
                        .filter(a -> a.get("source").asText().equals("release-asset")).findFirst().orElseThrow(() -> new AssertionError(cell.toString()));
                assertEquals(asset, fetched.get("file").asText(), cell.toString());
                assertEquals("sha256", fetched.get("digest").get("algorithm").asText(), cell.toString());
            }
        } finally {
            // The run cached these stand-ins under the real release tags: only what is theirs goes.
            forget(cache.resolve("releases/moq-gst-v0.4.20"), gst, gstTarball);
            forget(cache.resolve("releases/libmoq-v0.6.20"), top, libmoqTarball);
        }
    }

    /** Removes a tarball (if it holds these bytes) and its unpack, named by the bytes' digest, from the release cache. */
    static void forget(Path release, String stem, byte[] tarball) throws Exception {
        Path bytes = Files.createTempFile("tarball", ".tar.gz");
        Files.write(bytes, tarball);
        String sha = lib.core.Provenance.sha256(bytes);
        Files.delete(bytes);
        lib.core.Reaper.deleteTree(release.resolve(stem + "-" + sha.substring(0, 12)));
        Path cached = release.resolve(stem + ".tar.gz");
        if (Files.isRegularFile(cached) && lib.core.Provenance.sha256(cached).equals(sha)) Files.delete(cached);
    }
}
