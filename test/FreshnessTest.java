import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import lib.core.Proc;
import lib.core.UsageError;
import lib.freshness.Freshness.Offence;
import lib.freshness.Freshness;

/** The always-latest policy against throwaway git repos, each committing one kind of offence. */
class FreshnessTest {
    @TempDir Path dir;

    /** Every way the project requests a moq package, each at latest, plus prose that names versions. */
    static final Map<String, String> CLEAN = Map.ofEntries(
            Map.entry("freshness.java", "class freshness {}\n"),
            Map.entry("flake.nix", "{\n  # the moq binaries come from a channel\n  PLAYWRIGHT_VERSION = \"1.59.0\";\n}\n"),
            Map.entry("flake.lock", "{\"nodes\": {\"nixpkgs\": {\"locked\": {\"owner\": \"NixOS\"}}}}\n"),
            Map.entry("lib/browser/Browser.java", "//DEPS com.microsoft.playwright:playwright:1.59.0\nclass Browser {}\n"),
            Map.entry("clients/js/package.json", "{\n  \"dependencies\": {\n    \"@moq/watch\": \"latest\",\n    \"@moq/publish\": \"latest\"\n  }\n}\n"),
            Map.entry("clients/js/jsdelivr/index.html", "<script type=\"module\">import \"/npm/@moq/watch@latest/element/+esm\";</script>\n"),
            Map.entry("clients/python/pyproject.toml", "[project]\ndependencies = [\"moq-rs\"]\n"),
            Map.entry("clients/python/install.sh", "uv pip install moq-rs >/dev/null\n"),
            Map.entry("clients/go/go.mod", "module smoke\n\ngo 1.22\n"),
            Map.entry("clients/go/build.sh", "go get github.com/moq-dev/moq-go@latest\n"),
            Map.entry("clients/kotlin/build.gradle.kts", "implementation(\"dev.moq:moq:latest.release\")\nimplementation(\"dev.moq:moq-ffi:[0.3,)\")\n"),
            Map.entry("clients/rust/Cargo.toml", "[dependencies]\nhang = \"*\"\nmoq-native = { version = \"*\" }\n"),
            Map.entry("clients/swift/Package.swift", ".package(url: \"https://github.com/moq-dev/moq-swift\", from: \"0.4.4\")\n"),
            Map.entry("lib/Cargo.java", "var install = List.of(\"cargo\", \"install\", \"--root\", root, crate.crate);\n"),
            Map.entry("lib/Crate.java", "String image = \"moqdev/moq-relay:latest\";\n"),
            Map.entry(".github/workflows/smoke.yml", "run: sudo apt-get install -y moq-relay moq-cli\nrun: brew install moq-dev/tap/moq-relay\n"
                    + "run: nix build --refresh github:moq-dev/moq#moq-relay\nrun: cargo install moq-relay moq-cli\n"),
            Map.entry("README.md", "Pin `@moq/watch@0.5.1` to test one release; moq-rs==0.2.16 shipped the streaming importer.\n"));

    @Test
    void everyRequestAtLatestPasses() {
        Freshness.Report report = Freshness.check(repo(CLEAN));
        assertEquals(List.of(), report.offences());
        assertEquals(CLEAN.size(), report.files());
        assertEquals(List.of("playwright-java 1.59.0 matches flake.nix's PLAYWRIGHT_VERSION"), report.notes());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"go.sum", "clients/js/bun.lock", "clients/js/bun.lockb", "package-lock.json", "yarn.lock",
            "pnpm-lock.yaml", "Cargo.lock", "clients/python/uv.lock", "poetry.lock", "clients/kotlin/gradle.lockfile",
            "clients/kotlin/gradle/dependency-locks/compileClasspath.lockfile", "clients/swift/Package.resolved",
            "clients/nested/flake.lock"})
    void aCommittedLockFileFails(String lockFile) {
        List<Offence> offences = offencesWith(Map.of(lockFile, "\0locked\n"));
        assertEquals(1, offences.size(), offences.toString());
        assertEquals(lockFile, offences.get(0).where());
        assertTrue(offences.get(0).what().startsWith("package lock file committed"), offences.get(0).what());
    }

    static Stream<Arguments> pins() {
        return Stream.of(
                Arguments.of("npm range in package.json", "clients/js/package.json",
                        "{\n  \"dependencies\": {\n    \"@moq/net\": \"^0.3.2\"\n  }\n}\n", ":3", "npm @moq/net requested at \"^0.3.2\""),
                Arguments.of("npm version in an install command", "clients/token/js/install.sh",
                        "bun add @moq/token@0.3.2\n", ":1", "npm @moq/token requested at 0.3.2"),
                Arguments.of("npm version in a CDN import", "clients/js/jsdelivr/index.html",
                        "import \"/npm/@moq/watch@0.5.1/element/+esm\";\n", ":1", "npm @moq/watch requested at 0.5.1"),
                Arguments.of("PyPI pin in pyproject.toml", "clients/python/pyproject.toml",
                        "[project]\ndependencies = [\"moq-rs==0.4.5\"]\n", ":2", "PyPI moq-rs requested as moq-rs==0.4.5"),
                Arguments.of("PyPI bound in a Java install command", "lib/clients/PythonClient.java",
                        "List.of(\"uv\", \"pip\", \"install\", \"moq-rs>=0.4\");\n", ":1", "PyPI moq-rs requested as moq-rs>=0.4"),
                Arguments.of("PyPI moq-ffi in requirements.txt", "clients/python/requirements.txt",
                        "moq_ffi ~= 0.3\n", ":1", "PyPI moq_ffi requested as moq_ffi~= 0.3"),
                Arguments.of("Go version in go get", "clients/go/build.sh",
                        "go get github.com/moq-dev/moq-go@v0.5.3\n", ":1", "Go github.com/moq-dev/moq-go requested at v0.5.3"),
                Arguments.of("Go require in a committed go.mod", "clients/go/go.mod",
                        "module smoke\n\nrequire github.com/moq-dev/moq-go v0.5.3\n", ":3", "Go github.com/moq-dev/moq-go held at v0.5.3 by a committed go.mod"),
                Arguments.of("Maven version in //DEPS", "lib/clients/KotlinClient.java",
                        "//DEPS dev.moq:moq:0.4.3\nclass KotlinClient {}\n", ":1", "Maven dev.moq:moq requested at 0.4.3"),
                Arguments.of("Maven range in Gradle", "clients/kotlin/build.gradle.kts",
                        "implementation(\"dev.moq:moq-ffi:[0.3,0.4)\")\n", ":1", "Maven dev.moq:moq-ffi requested at [0.3,0.4)"),
                Arguments.of("cargo install --version in the workflow", ".github/workflows/smoke.yml",
                        "run: cargo install moq-relay --version 0.14.12\n", ":1", "cargo install with a pinned version"),
                Arguments.of("cargo install crate@version in the justfile", "justfile",
                        "relay:\n    cargo install moq-cli@0.9.12\n", ":2", "cargo install with a pinned version"),
                Arguments.of("cargo install --version from Java", "lib/Cargo.java",
                        "var install = List.of(\"cargo\", \"install\", \"--version\", version, crate.crate);\n", ":1", "cargo install with a pinned version"),
                Arguments.of("crate version in Cargo.toml", "clients/rust/Cargo.toml",
                        "[dependencies]\nmoq-native = \"0.19\"\n", ":2", "crate moq-native requested at 0.19, not \"*\""),
                Arguments.of("crate table in Cargo.toml", "clients/rust/Cargo.toml",
                        "[dependencies.moq-lite]\nversion = \"0.3\"\n", ":2", "crate moq-lite requested at 0.3, not \"*\""),
                Arguments.of("Docker image tag", "clients/docker/pull.sh",
                        "docker pull moqdev/moq-relay:0.14.12\n", ":1", "Docker image moqdev/moq-relay pinned at 0.14.12"),
                Arguments.of("Homebrew versioned formula", ".github/workflows/smoke.yml",
                        "run: brew install moq-dev/tap/moq-cli@0.9\n", ":1", "Homebrew moq-dev/tap/moq-cli pinned at @0.9"),
                Arguments.of("apt version", ".github/workflows/smoke.yml",
                        "run: sudo apt-get install -y moq-relay=0.14.12-1\n", ":1", "apt moq-relay pinned at =0.14.12-1"),
                Arguments.of("moq flake at a tag", "justfile",
                        "nix:\n    nix build github:moq-dev/moq/v0.1#moq-relay\n", ":2", "the moq flake pinned at v0.1"),
                Arguments.of("moq flake as a flake input", "flake.nix",
                        "{\n  inputs.moq.url = \"github:moq-dev/moq\";\n  PLAYWRIGHT_VERSION = \"1.59.0\";\n}\n", ":2", "moq in the dev flake"),
                Arguments.of("moq locked in flake.lock", "flake.lock",
                        "{\"nodes\": {\"moq\": {\"locked\": {\"owner\": \"moq-dev\"}}}}\n", ":1", "moq in the dev flake"),
                Arguments.of("SwiftPM exact version", "clients/swift/Package.swift",
                        "// swift-tools-version:5.9\n.package(url: \"https://github.com/moq-dev/moq-swift\", exact: \"0.4.4\")\n", ":2",
                        "SwiftPM moq-swift pinned"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pins")
    void aMoqPackageNotAtLatestFails(String kind, String path, String content, String line, String expected) {
        List<Offence> offences = offencesWith(Map.of(path, content));
        assertEquals(1, offences.size(), offences.toString());
        assertEquals(path + line, offences.get(0).where());
        assertTrue(offences.get(0).what().startsWith(expected), offences.get(0).what());
    }

    @Test
    void aPlaywrightPinThatDriftsFromTheFlakeFails() {
        List<Offence> offences = offencesWith(Map.of("lib/browser/Browser.java", "//DEPS com.microsoft.playwright:playwright:1.60.0\n"));
        assertEquals(List.of(new Offence("lib/browser/Browser.java:1", "playwright-java 1.60.0 differs from PLAYWRIGHT_VERSION 1.59.0 "
                + "in flake.nix, whose Chromium it must drive; bump them together")), offences);
    }

    @Test
    void aPlaywrightPinWithoutTheFlakesVersionFails() {
        List<Offence> offences = offencesWith(Map.of("flake.nix", "{\n  packages = [ ];\n}\n"));
        assertEquals(1, offences.size(), offences.toString());
        assertTrue(offences.get(0).what().contains("flake.nix exports no PLAYWRIGHT_VERSION"), offences.get(0).what());
    }

    @Test
    void withoutAPlaywrightPinThereIsNothingToCompare() {
        Map<String, String> files = new LinkedHashMap<>(CLEAN);
        files.remove("lib/browser/Browser.java");
        Freshness.Report report = Freshness.check(repo(files));
        assertTrue(report.ok(), report.offences().toString());
        assertEquals(List.of("no playwright-java //DEPS yet, so nothing to hold to flake.nix's PLAYWRIGHT_VERSION 1.59.0"), report.notes());
    }

    @Test
    void onlyWhatGitTracksCounts() throws Exception {
        Path root = repo(CLEAN);
        Files.writeString(root.resolve("go.sum"), "github.com/moq-dev/moq-go v0.5.3 h1:x\n");
        Files.writeString(root.resolve("clients/js/package-lock.json"), "{}\n");
        assertTrue(Freshness.check(root).ok());
    }

    @Test
    void enforceFailsWithOneLineNamingEveryOffence() {
        Path root = repo(with(Map.of("go.sum", "x\n", "clients/go/build.sh", "go get github.com/moq-dev/moq-go@v0.5.3\n")));
        UsageError error = assertThrows(UsageError.class, () -> Freshness.enforce(root, dir.resolve("cache")));
        assertEquals(1, error.getMessage().lines().count(), error.getMessage());
        assertTrue(error.getMessage().contains("go.sum: package lock file committed"), error.getMessage());
        assertTrue(error.getMessage().contains("clients/go/build.sh:1: Go github.com/moq-dev/moq-go requested at v0.5.3"), error.getMessage());
    }

    @Test
    void enforceFromADirectoryInsideTheCheckoutChecksTheWholeCheckout() {
        Path root = repo(with(Map.of("clients/go/go.sum", "x\n")));
        UsageError error = assertThrows(UsageError.class, () -> Freshness.enforce(root.resolve("clients/python"), dir.resolve("cache")));
        assertTrue(error.getMessage().contains("clients/go/go.sum: package lock file committed"), error.getMessage());
    }

    @Test
    void enforceLeavesOtherDirectoriesAlone() throws Exception {
        Path plain = Files.createDirectories(dir.resolve("plain"));
        Files.writeString(plain.resolve("Cargo.lock"), "x\n");
        assertDoesNotThrow(() -> Freshness.enforce(plain, dir.resolve("cache")));
        Map<String, String> otherProject = Map.of("Cargo.lock", "x\n", "src/main.rs", "fn main() {}\n");
        assertDoesNotThrow(() -> Freshness.enforce(repo(otherProject), dir.resolve("cache")));
    }

    @Test
    void aPassingTreeIsRememberedBySizeAndTimeUntilAFileChanges() throws Exception {
        Path root = repo(CLEAN);
        Path cache = dir.resolve("cache");
        Freshness.enforce(root, cache);
        Path build = root.resolve("clients/go/build.sh");
        FileTime written = Files.getLastModifiedTime(build);
        // Same size, same time: the remembered pass stands (a tree is known by what git's index also compares).
        Files.writeString(build, "go get github.com/moq-dev/moq-go@v0.5.3\n");
        Files.setLastModifiedTime(build, written);
        assertDoesNotThrow(() -> Freshness.enforce(root, cache));
        Files.setLastModifiedTime(build, FileTime.fromMillis(written.toMillis() + 1000));
        UsageError edited = assertThrows(UsageError.class, () -> Freshness.enforce(root, cache));
        assertTrue(edited.getMessage().contains("clients/go/build.sh:1: Go github.com/moq-dev/moq-go requested at v0.5.3"), edited.getMessage());
        // A tree with offences is never remembered.
        assertThrows(UsageError.class, () -> Freshness.enforce(root, cache));
    }

    @Test
    void aNewTrackedFileIsSeenAndACacheThatCannotBeWrittenOnlyCostsTime() throws Exception {
        Path root = repo(CLEAN);
        Path cache = Files.writeString(dir.resolve("cache"), "a file where the cache dir would go\n");
        Freshness.enforce(root, cache);
        Freshness.enforce(root, cache);
        Path remembering = dir.resolve("remembering");
        Freshness.enforce(root, remembering);
        Files.writeString(root.resolve("clients/js/package-lock.json"), "{}\n");
        git(root, "add", "clients/js/package-lock.json");
        UsageError added = assertThrows(UsageError.class, () -> Freshness.enforce(root, remembering));
        assertTrue(added.getMessage().contains("clients/js/package-lock.json: package lock file committed"), added.getMessage());
    }

    /**
     * What git says on stderr while it lists the tracked files (a broken fsmonitor hook, GIT_TRACE)
     * is no tracked path: merged into the list, it glued itself to the first path, which then
     * named no file and went unchecked, a committed lock file passing.
     */
    @Test
    void gitsWarningsAreNotTrackedPaths() throws Exception {
        Path root = repo(Map.of("Cargo.lock", "x\n"));
        git(root, "config", "core.fsmonitor", dir.resolve("no-such-hook").toString());
        List<Offence> offences = Freshness.check(root).offences();
        assertEquals(List.of("Cargo.lock"), offences.stream().map(Offence::where).toList(), offences.toString());
    }

    @Test
    void checkingOutsideAGitCheckoutIsBadInput() throws Exception {
        Path plain = Files.createDirectories(dir.resolve("plain"));
        UsageError error = assertThrows(UsageError.class, () -> Freshness.check(plain));
        assertTrue(error.getMessage().contains("is not in a git checkout"), error.getMessage());
    }

    @Test
    void thisRepositoryKeepsThePolicy() {
        Freshness.Report report = Freshness.check(Path.of(""));
        assertEquals(List.of(), report.offences());
    }

    private List<Offence> offencesWith(Map<String, String> changes) {
        return Freshness.check(repo(with(changes))).offences();
    }

    private static Map<String, String> with(Map<String, String> changes) {
        Map<String, String> files = new LinkedHashMap<>(CLEAN);
        files.putAll(changes);
        return files;
    }

    /** A fresh repo under the temp dir with files committed, ignored or not. */
    private Path repo(Map<String, String> files) {
        try {
            Path root = Files.createTempDirectory(dir, "repo");
            git(root, "init", "-q");
            List<String> add = new ArrayList<>(List.of("add", "-f", "--"));
            for (var file : files.entrySet()) {
                Path path = root.resolve(file.getKey());
                Files.createDirectories(path.getParent());
                Files.writeString(path, file.getValue());
                add.add(file.getKey());
            }
            git(root, add.toArray(String[]::new));
            git(root, "-c", "user.name=smoke", "-c", "user.email=smoke@example.invalid", "commit", "-q", "-m", "fixture");
            return root;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void git(Path root, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-C", root.toString()));
        command.addAll(List.of(args));
        Proc.Result result = Proc.run(Proc.Spec.of(command), Duration.ofSeconds(30));
        assertTrue(result.ok(), String.join(" ", command) + ": " + result.output());
    }
}
