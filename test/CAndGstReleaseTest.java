import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lib.delivery.GithubRelease;

/**
 * The C and GStreamer cells from a release served by a fake GitHub
 * (SMOKE_GITHUB_API): a release whose moq.pc or CMake config points at the wrong
 * place makes that build variant red with the compiler's or CMake's own words;
 * GitHub out of reach makes every release-sourced cell unavailable; each cell
 * records the source it took; --client-source is checked like any other option.
 */
// Starts before the classes without an order (see tests.java): its fake runs are the longest.
@Order(1)
class CAndGstReleaseTest {
    static final String TARGET = GithubRelease.target().orElseThrow();

    @TempDir Path dir;

    /** A libmoq release shipped with the given .pc includedir and CMake prefix depth (right: "../../include", 4), and more releases. */
    FakeRelease libmoq(String pcIncludes, int cmakeLevels, FakeRelease.Release... others) throws Exception {
        String top = FakeRelease.libmoqLayout(dir, "0.6.20", TARGET, null, null, pcIncludes, cmakeLevels);
        List<FakeRelease.Release> releases = new java.util.ArrayList<>(List.of(others));
        releases.add(new FakeRelease.Release("libmoq-v0.6.20", List.of(FakeRelease.Asset.of(top + ".tar.gz", FakeRelease.tarball(dir, top)))));
        return new FakeRelease(releases);
    }

    Fakes.Outcome smoke(String api, String... args) throws Exception {
        return Fakes.smoke(dir.resolve("out-" + System.nanoTime()), Map.of("SMOKE_GITHUB_API", api, "MOQ_SMOKE_CACHE", dir.resolve("cache").toString()), args);
    }

    static JsonNode cell(Fakes.Outcome outcome, String subscriber) throws Exception {
        for (JsonNode cell : outcome.results().get("cells")) if (cell.get("subscriber").asText().equals(subscriber)) return cell;
        throw new AssertionError("no cell for " + subscriber + ": " + outcome.all());
    }

    /** One run for three releases broken three ways: a wrong moq.pc, a wrong CMake config, a moq-gst tarball that 404s. */
    @Test
    void wrongPackagingIsARedVariantInTheToolsOwnWordsAndAMissingTarballIsRed() throws Exception {
        String gstAsset = "moq-gst-v0.4.20-" + TARGET + ".tar.gz";
        try (FakeRelease github = libmoq("../include", 3, new FakeRelease.Release("moq-gst-v0.4.20", List.of(new FakeRelease.Asset(gstAsset, new byte[] {1}, 404))))) {
            Fakes.Outcome outcome = smoke(github.base(), "--subscribers", "c-pkgconfig,c-cmake,gst", "--timeout", "3");
            assertEquals(1, outcome.exitCode(), outcome.all());

            JsonNode pkgconfig = cell(outcome, "c-pkgconfig");
            assertEquals("fail", pkgconfig.get("status").asText(), pkgconfig.toString());
            assertTrue(pkgconfig.get("reason").asText().matches(".*cc with the flags moq\\.pc gives failed: subscribe\\.c:\\d+:\\d+: fatal error: moq\\.h: No such file or directory.*"),
                    pkgconfig.toString());
            assertEquals("release", pkgconfig.get("sources").get("subscriber").asText(), pkgconfig.toString());

            JsonNode cmake = cell(outcome, "c-cmake");
            assertEquals("fail", cmake.get("status").asText(), cmake.toString());
            assertTrue(cmake.get("reason").asText().matches(".*failed: CMake Error in CMakeLists\\.txt: Imported target \"moq::moq\" includes non-existent path"
                    + " \"[^\"]*/moq-0\\.6\\.20-" + TARGET + "/lib/include\" in its INTERFACE_INCLUDE_DIRECTORIES\\..*"), cmake.toString());

            JsonNode gst = cell(outcome, "gst");
            assertEquals("fail", gst.get("status").asText(), gst.toString());
            assertTrue(gst.get("reason").asText().contains("/moq-dev/moq/releases/download/moq-gst-v0.4.20/" + gstAsset + " answered 404"), gst.toString());
        }
    }

    /** The right layout gets past pkg-config and CMake's configure: the stand-in header then fails the compile, not the packaging. */
    @Test
    void aRightlyPackagedReleaseGetsEveryVariantToTheCompiler() throws Exception {
        try (FakeRelease github = libmoq("../../include", 4)) {
            Fakes.Outcome outcome = smoke(github.base(), "--subscribers", "c,c-pkgconfig,c-cmake", "--timeout", "3");
            for (String variant : List.of("c", "c-pkgconfig", "c-cmake")) {
                String reason = cell(outcome, variant).get("reason").asText();
                assertTrue(reason.contains("error:") && !reason.contains("No such file") && !reason.contains("CMake Error"), variant + ": " + reason);
            }
        }
    }

    @Test
    void githubOutOfReachMakesEveryReleaseSourcedCellUnavailableWithTheConnectionError() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Fakes.Outcome outcome = smoke("http://127.0.0.1:" + closed, "--subscribers", "c,c-pkgconfig,c-cmake,gst", "--timeout", "3");
        assertEquals(0, outcome.exitCode(), outcome.all());
        for (String subscriber : List.of("c", "c-pkgconfig", "c-cmake", "gst")) {
            JsonNode cell = cell(outcome, subscriber);
            assertEquals("unavailable", cell.get("status").asText(), cell.toString());
            assertTrue(cell.get("reason").asText().contains("GitHub releases are unreachable from this machine: GET http://127.0.0.1:" + closed
                    + "/repos/moq-dev/moq/releases?per_page=100: cannot connect to 127.0.0.1:" + closed), cell.toString());
            assertEquals("release", cell.get("sources").get("subscriber").asText(), cell.toString());
        }
    }

    @Test
    void aLocalBuildIsTakenWhenItsVariableIsSetUnlessTheCommandLineSaysOtherwise() throws Exception {
        String top = FakeRelease.libmoqLayout(dir, "0.6.20", TARGET, null, null, "../include", 4);
        Map<String, String> env = Map.of("MOQ_C_LIB_DIR", dir.resolve(top).toString(), "SMOKE_GITHUB_API", "http://127.0.0.1:9");
        Fakes.Outcome outcome = Fakes.smoke(dir.resolve("out-local"), env, "--subscribers", "c-pkgconfig,c", "--timeout", "3", "--client-source", "c=release");
        JsonNode local = cell(outcome, "c-pkgconfig");
        assertEquals("local", local.get("sources").get("subscriber").asText(), local.toString());
        assertTrue(local.get("reason").asText().contains("fatal error: moq.h: No such file or directory"), local.toString());
        JsonNode overridden = cell(outcome, "c");
        assertEquals("release", overridden.get("sources").get("subscriber").asText(), overridden.toString());
        assertTrue(overridden.get("rerun").asText().endsWith("--client-source c=release"), overridden.toString());

        Fakes.Outcome listed = Fakes.run("smoke", null, env, java.time.Duration.ofSeconds(60), "--list", "--client-source", "gst=crate");
        assertTrue(listed.stdout().lines().anyMatch(l -> l.startsWith("c-cmake ") && l.contains("libmoq from MOQ_C_LIB_DIR")), listed.stdout());
        assertTrue(listed.stdout().lines().anyMatch(l -> l.startsWith("gst ") && l.contains("crate moq-gst")), listed.stdout());
    }

    @Test
    void aVariantWhoseBuildToolIsMissingIsUnavailableNamingIt() throws Exception {
        java.nio.file.Files.createDirectories(dir.resolve("bin"));
        java.nio.file.Files.writeString(dir.resolve("bin/cc"), "#!/bin/sh\nexec " + lib.core.Commands.which("cc").orElseThrow() + " \"$@\"\n");
        assertTrue(dir.resolve("bin/cc").toFile().setExecutable(true));
        Fakes.Outcome listed = Fakes.run("smoke", null, Map.of("PATH", dir.resolve("bin").toString()), java.time.Duration.ofSeconds(60), "--list");
        assertEquals(0, listed.exitCode(), listed.all());
        assertTrue(listed.stdout().lines().anyMatch(l -> l.startsWith("c ") && l.endsWith("available (cc found; libmoq release tarball (latest libmoq-v*) fetched on run)")),
                listed.stdout());
        assertTrue(listed.stdout().lines().anyMatch(l -> l.startsWith("c-pkgconfig ") && l.endsWith("unavailable: pkg-config not found on PATH (Debian: pkg-config)")),
                listed.stdout());
        assertTrue(listed.stdout().lines().anyMatch(l -> l.startsWith("c-cmake ") && l.endsWith("unavailable: cmake not found on PATH (Debian: cmake)")),
                listed.stdout());
    }

    @Test
    void aClientSourceThatCannotBeHonouredIsOneLineOfBadInput() throws Exception {
        Map<String, String> asked = Map.of(
                "c=nightly", "smoke: --client-source c=nightly: unknown source 'nightly' (valid: release, crate, local) (see --help)",
                "rust=crate", "smoke: --client-source rust=crate: rust has one source only (clients with a choice: c, c-pkgconfig, c-cmake, gst) (see --help)",
                "gst=local", "smoke: --client-source gst=local needs MOQ_GST_PLUGIN_DIR set to a local build (see --help)");
        for (Map.Entry<String, String> one : asked.entrySet()) {
            Fakes.Outcome outcome = Fakes.smoke(dir.resolve("out-" + one.getKey().replace('=', '-')), Map.of("MOQ_GST_PLUGIN_DIR", ""),
                    "--subscribers", "gst", "--client-source", one.getKey());
            assertEquals(2, outcome.exitCode(), outcome.all());
            assertEquals(one.getValue(), outcome.stderr().strip());
        }
        Path nowhere = dir.resolve("no-such-build");
        Fakes.Outcome typo = Fakes.smoke(dir.resolve("out-typo"), Map.of("MOQ_C_LIB_DIR", nowhere.toString()), "--subscribers", "c", "--client-source", "c=local");
        assertEquals(2, typo.exitCode(), typo.all());
        assertEquals("smoke: MOQ_C_LIB_DIR=" + nowhere + " is not a directory (see --help)", typo.stderr().strip());
        assertFalse(java.nio.file.Files.exists(dir.resolve("out-typo")), "nothing left behind");
    }

    @Test
    void aSmokeNodeNamingNothingRunnableIsBadInputNotARedCell() throws Exception {
        Path nowhere = dir.resolve("no-such-node");
        Fakes.Outcome outcome = Fakes.smoke(dir.resolve("out"), Map.of("SMOKE_NODE", nowhere.toString()), "--subscribers", "js-native-node");
        assertEquals(2, outcome.exitCode(), outcome.all());
        assertTrue(outcome.stderr().strip().endsWith("smoke: SMOKE_NODE=" + nowhere + " is not an executable file (see --help)"), outcome.stderr());
        assertFalse(java.nio.file.Files.exists(dir.resolve("out")), "nothing left behind");
    }
}
