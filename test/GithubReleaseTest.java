import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lib.core.Artifact;
import lib.core.Availability.State;
import lib.core.Pins;
import lib.core.Workspace;
import lib.delivery.GithubRelease;
import lib.delivery.GithubRelease.Fetched;

/**
 * The release-asset source against a fake GitHub: the newest release of the
 * component, its platform tarball checked against the release's SHA256SUMS,
 * unpacked into the cache; every way it can go wrong is red (GitHub said no, or
 * the bytes are not what was published) or unavailable (GitHub not reachable or
 * not answering), with the reason.
 */
class GithubReleaseTest {
    static final String TARGET = "x86_64-unknown-linux-gnu";
    static final GithubRelease.Component LIBMOQ = new GithubRelease.Component("libmoq", "libmoq-v", "moq-");

    @TempDir Path dir;

    Workspace workspace() {
        return new Workspace(dir.resolve("cache"), dir.resolve("scratch"), dir.resolve("out"));
    }

    Fetched fetch(URI api) {
        return fetch(api, workspace());
    }

    Fetched fetch(URI api, Workspace workspace) {
        return GithubRelease.fetch(api, LIBMOQ, TARGET, workspace, workspace.logDir("provision").resolve("release.log"));
    }

    /** libmoq 0.6.20's tarball, listed after a newer release of another component, as the real list interleaves them. */
    FakeRelease release(FakeRelease.Asset... extra) throws Exception {
        String top = FakeRelease.libmoqLayout(dir, "0.6.20", TARGET, null, null, "../../include", 4);
        List<FakeRelease.Asset> assets = new java.util.ArrayList<>(List.of(FakeRelease.Asset.of(top + ".tar.gz", FakeRelease.tarball(dir, top)),
                FakeRelease.Asset.of("moq-0.6.20-aarch64-apple-darwin.tar.gz", new byte[] {1, 2, 3})));
        assets.addAll(List.of(extra));
        return new FakeRelease(List.of(new FakeRelease.Release("moq-relay-v0.17.10", List.of(FakeRelease.Asset.of("moq-relay-v0.17.10-" + TARGET + ".tar.gz", new byte[] {9}))),
                new FakeRelease.Release("libmoq-v0.6.20", assets), new FakeRelease.Release("libmoq-v0.6.19", List.of())));
    }

    @Test
    void theNewestReleasesTarballWithTheRightChecksumIsUnpackedOnceAndReused() throws Exception {
        try (FakeRelease github = release()) {
            Fetched fetched = fetch(github.api());
            assertTrue(fetched.availability().ready(), fetched.availability().toString());
            assertEquals("libmoq-v0.6.20", fetched.tag());
            assertEquals("0.6.20", fetched.version());
            assertEquals("moq-0.6.20-" + TARGET + ".tar.gz", fetched.asset());
            assertEquals(lib.core.Provenance.sha256(dir.resolve(fetched.asset())), fetched.sha256());
            assertTrue(Files.isRegularFile(fetched.root().resolve("include/moq.h")), fetched.root().toString());
            assertTrue(Files.isRegularFile(fetched.root().resolve("lib/pkgconfig/moq.pc")));
            assertTrue(Files.isRegularFile(fetched.root().resolve("lib/cmake/moq/moq-config.cmake")));
            assertEquals(Artifact.of("libmoq", "0.6.20", Artifact.Source.RELEASE_ASSET, fetched.asset(), "sha256", fetched.sha256()),
                    fetched.artifact("libmoq"), "the cell's provenance");

            Fetched again = fetch(github.api());
            assertTrue(again.availability().ready(), again.availability().toString());
            assertEquals(fetched.root(), again.root());
            assertEquals(1, github.hits("/moq-dev/moq/releases/download/libmoq-v0.6.20/" + fetched.asset()), "the cached tarball is downloaded once");
        }
    }

    /** --pin libmoq=VERSION (a repro.sh replay) takes that release, newest or not. */
    @Test
    void aPinnedVersionTakesThatRelease() throws Exception {
        try (FakeRelease github = release()) {
            Workspace pinned = new Workspace(dir.resolve("cache"), dir.resolve("scratch"), dir.resolve("out"), Pins.parse(List.of("libmoq=0.6.19")));
            Fetched fetched = fetch(github.api(), pinned);
            assertEquals(State.BROKEN, fetched.availability().state(), fetched.availability().toString());
            assertEquals("release libmoq-v0.6.19 has no moq-*-" + TARGET + ".tar.gz asset (it has: SHA256SUMS)", fetched.availability().detail());
            assertTrue(fetched.artifact("libmoq").unknown().startsWith("not fetched: release libmoq-v0.6.19 has no"), fetched.artifact("libmoq").toString());
        }
    }

    @Test
    void aTarballThatDoesNotMatchThePublishedChecksumIsRedNamingBothHashes() throws Exception {
        String wrong = "0".repeat(64);
        String asset = "moq-0.6.20-" + TARGET + ".tar.gz";
        try (FakeRelease github = release(FakeRelease.Asset.of(GithubRelease.CHECKSUMS, (wrong + "  " + asset + "\n").getBytes(StandardCharsets.UTF_8)))) {
            Fetched fetched = fetch(github.api());
            assertEquals(State.BROKEN, fetched.availability().state(), fetched.availability().toString());
            String actual = lib.core.Provenance.sha256(dir.resolve(asset));
            assertTrue(fetched.availability().detail().contains("SHA256SUMS says " + wrong + ", the download is " + actual), fetched.availability().detail());
            assertEquals(Optional.empty(), Optional.ofNullable(fetched.root()));
        }
    }

    @Test
    void anAssetTheReleaseListsButGithubAnswers404ForIsRed() throws Exception {
        String top = FakeRelease.libmoqLayout(dir, "0.6.20", TARGET, null, null, "../../include", 4);
        byte[] tarball = FakeRelease.tarball(dir, top);
        List<FakeRelease.Asset> assets = List.of(new FakeRelease.Asset(top + ".tar.gz", tarball, 404),
                FakeRelease.Asset.of(GithubRelease.CHECKSUMS, FakeRelease.sums(List.of(FakeRelease.Asset.of(top + ".tar.gz", tarball)))));
        try (FakeRelease github = new FakeRelease(List.of(new FakeRelease.Release("libmoq-v0.6.20", assets)))) {
            Fetched fetched = fetch(github.api());
            assertEquals(State.BROKEN, fetched.availability().state(), fetched.availability().toString());
            assertTrue(fetched.availability().detail().matches("GET http://127\\.0\\.0\\.1:\\d+/moq-dev/moq/releases/download/libmoq-v0\\.6\\.20/"
                    + top.replace(".", "\\.") + "\\.tar\\.gz answered 404.*"), fetched.availability().detail());
        }
    }

    @Test
    void aReleaseListThat404sOrHasNoSuchComponentOrNoAssetForThisPlatformIsRed() throws Exception {
        try (FakeRelease github = new FakeRelease(List.of(new FakeRelease.Release("moq-gst-v0.4.20", List.of())))) {
            Fetched fetched = fetch(github.api());
            assertEquals(State.BROKEN, fetched.availability().state());
            assertEquals("no libmoq-v* release among the 1 newest releases of moq-dev/moq", fetched.availability().detail());

            Fetched missingRepo = fetch(URI.create(github.base() + "/nothing-here"));
            assertEquals(State.BROKEN, missingRepo.availability().state());
            assertTrue(missingRepo.availability().detail().contains("answered 404"), missingRepo.availability().detail());
        }
        try (FakeRelease github = new FakeRelease(List.of(new FakeRelease.Release("libmoq-v0.6.20",
                List.of(FakeRelease.Asset.of("moq-0.6.20-aarch64-apple-darwin.tar.gz", new byte[] {1})))))) {
            Fetched fetched = fetch(github.api());
            assertEquals(State.BROKEN, fetched.availability().state());
            assertEquals("release libmoq-v0.6.20 has no moq-*-" + TARGET + ".tar.gz asset (it has: moq-0.6.20-aarch64-apple-darwin.tar.gz, SHA256SUMS)",
                    fetched.availability().detail());
        }
    }

    @Test
    void githubUnreachableOrRateLimitedIsUnavailableWithTheReason() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Fetched fetched = fetch(URI.create("http://127.0.0.1:" + closed));
        assertEquals(State.UNAVAILABLE, fetched.availability().state(), fetched.availability().toString());
        assertEquals("GitHub releases are unreachable from this machine: GET http://127.0.0.1:" + closed
                + "/repos/moq-dev/moq/releases?per_page=100: cannot connect to 127.0.0.1:" + closed + " (connection refused)", fetched.availability().detail());

        Fetched unresolved = fetch(URI.create("http://no-such-host.invalid"));
        assertEquals(State.UNAVAILABLE, unresolved.availability().state(), unresolved.availability().toString());
        assertTrue(unresolved.availability().detail().endsWith(": cannot resolve host no-such-host.invalid"), unresolved.availability().detail());

        try (FakeRelease github = release()) {
            github.listAnswers(403);
            Fetched limited = fetch(github.api());
            assertEquals(State.UNAVAILABLE, limited.availability().state(), limited.availability().toString());
            assertTrue(limited.availability().detail().endsWith("answered 403: API rate limit exceeded for 127.0.0.1."), limited.availability().detail());
        }
    }

    @Test
    void checksumLinesAreReadInSha256sumsFormats() {
        String sums = "a".repeat(64) + "  moq-1-x.tar.gz\n" + "B".repeat(64) + " *moq-2-x.tar.gz\n";
        assertEquals(Optional.of("a".repeat(64)), GithubRelease.checksumOf(sums, "moq-1-x.tar.gz"));
        assertEquals(Optional.of("b".repeat(64)), GithubRelease.checksumOf(sums, "moq-2-x.tar.gz"));
        assertEquals(Optional.empty(), GithubRelease.checksumOf(sums, "moq-3-x.tar.gz"));
    }
}
