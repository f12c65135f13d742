package lib.core;

//DEPS org.tomlj:tomlj:2.2.0
//DEPS com.fasterxml.jackson.core:jackson-databind:2.23.0

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import lib.core.Artifact.Source;

/**
 * Reads what a package tool fetched from the files it leaves behind: a Cargo.lock's
 * checksum, cargo's registry cache, a go.sum's h1 hash, npm's (hidden) lockfile
 * integrity, uv's pylock.toml and a wheel's WHEEL tags, a Maven jar and its .sha1.
 * Each answer is an Artifact: with the digest the tool itself verified, or unknown
 * with the reason, never a guess.
 */
public final class Provenance {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Provenance() {}

    /** Hex SHA-256 of a file's bytes. */
    public static String sha256(Path file) {
        return hash(file, "SHA-256");
    }

    /** Hex SHA-1 of a file's bytes (what a Maven repository's .sha1 lists). */
    public static String sha1(Path file) {
        return hash(file, "SHA-1");
    }

    private static String hash(Path file, String algorithm) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance(algorithm);
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0;) digest.update(buffer, 0, n);
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** cargo's home: $CARGO_HOME, else ~/.cargo. */
    public static Path cargoHome() {
        String home = System.getenv("CARGO_HOME");
        return home == null || home.isBlank() ? Path.of(System.getProperty("user.home"), ".cargo") : Path.of(home);
    }

    /**
     * A crate as cargo downloaded it: the .crate file in the registry cache
     * (cargoHome/registry/cache/<index>/<name>-<version>.crate), whose sha256 is the
     * `cksum` the registry's index lists and cargo checked on download. Unknown when
     * the file is gone (a cleaned cache).
     */
    public static Artifact crate(Path cargoHome, String name, String version) {
        String file = name + "-" + version + ".crate";
        Path cache = cargoHome.resolve("registry/cache");
        if (Files.isDirectory(cache)) {
            try (Stream<Path> indexes = Files.list(cache)) {
                Optional<Path> found = indexes.map(i -> i.resolve(file)).filter(Files::isRegularFile).findFirst();
                if (found.isPresent()) return Artifact.of(name, version, Source.CRATE, file, "sha256", sha256(found.get()));
            } catch (IOException e) {
                return Artifact.unknown(name, version, Source.CRATE, file, "cannot list " + cache + ": " + e.getMessage());
            }
        }
        return Artifact.unknown(name, version, Source.CRATE, file, file + " is not in cargo's registry cache (" + cache + ")");
    }

    /** A registry package's `checksum` in a Cargo.lock (cargo writes the index's cksum there), if it lists one. */
    public static Optional<String> cargoLockChecksum(String cargoLock, String name, String version) {
        TomlParseResult lock = Toml.parse(cargoLock);
        TomlArray packages = lock.getArray("package");
        if (packages == null) return Optional.empty();
        for (int i = 0; i < packages.size(); i++) {
            TomlTable p = packages.getTable(i);
            if (name.equals(p.getString("name")) && version.equals(p.getString("version")) && p.getString("checksum") != null) {
                return Optional.of(p.getString("checksum"));
            }
        }
        return Optional.empty();
    }

    /**
     * The version cargo install recorded for crate in an install root's .crates2.json
     * (keys like "moq-cli 0.14.10 (registry+…)"), if it is there.
     */
    public static Optional<String> installedCrate(String crates2Json, String crate) {
        try {
            var names = JSON.readTree(crates2Json).path("installs").fieldNames();
            while (names.hasNext()) {
                String[] key = names.next().split(" ");
                if (key.length >= 2 && key[0].equals(crate)) return Optional.of(key[1]);
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** The module's `h1:` hash in a go.sum (its zip's, not its go.mod's), if listed. */
    public static Optional<String> goSum(String goSum, String module, String version) {
        return goSum.lines().map(l -> l.strip().split("\\s+")).filter(f -> f.length == 3 && f[0].equals(module) && f[1].equals(version))
                .map(f -> f[2]).findFirst();
    }

    /** A Go module as go.sum records it; unknown when go.sum has no line for it. */
    public static Artifact goModule(String goSum, String module, String version) {
        return goSum(goSum, module, version).map(h -> Artifact.of(module, version, Source.GO_MODULE, module + "@" + version + ".zip", "h1", h))
                .orElse(Artifact.unknown(module, version, Source.GO_MODULE, module + "@" + version + ".zip", "go.sum lists no h1 hash for " + module + " " + version));
    }

    /**
     * A package as npm installed it, from a package-lock.json or the hidden lockfile
     * npm keeps as node_modules/.package-lock.json (lockfile v2/v3 "packages" map):
     * its version, tarball and `integrity`. Unknown when the lock does not list it.
     */
    public static Artifact npm(String lockJson, String name) {
        JsonNode entry;
        try {
            entry = JSON.readTree(lockJson).path("packages").path("node_modules/" + name);
        } catch (IOException e) {
            return Artifact.unknown(name, "", Source.NPM, "", "the npm lockfile is not JSON: " + e.getMessage());
        }
        String version = entry.path("version").asText("");
        String tarball = entry.path("resolved").asText("");
        String file = tarball.isEmpty() ? "" : tarball.substring(tarball.lastIndexOf('/') + 1);
        String integrity = entry.path("integrity").asText("");
        if (entry.isMissingNode()) return Artifact.unknown(name, "", Source.NPM, "", "the npm lockfile lists no " + name);
        if (integrity.isEmpty()) return Artifact.unknown(name, version, Source.NPM, file, "the npm lockfile lists no integrity for " + name);
        return Artifact.of(name, version, Source.NPM, file, "sri", integrity);
    }

    /** npm's record of what it put in dir/node_modules, or "" when there is none. */
    public static String npmLock(Path dir) {
        for (Path lock : List.of(dir.resolve("package-lock.json"), dir.resolve("node_modules/.package-lock.json"))) {
            try {
                if (Files.isRegularFile(lock)) return Files.readString(lock);
            } catch (IOException e) {
                return "";
            }
        }
        return "";
    }

    /** The compatibility tags a wheel's dist-info WHEEL file lists ("Tag: py3-none-manylinux_2_28_x86_64"). */
    public static Set<String> wheelTags(String wheelFile) {
        Set<String> tags = new LinkedHashSet<>();
        wheelFile.lines().filter(l -> l.startsWith("Tag:")).forEach(l -> tags.add(l.substring(4).strip()));
        return tags;
    }

    /** Every tag a wheel file name stands for: its compressed tag sets ("cp310.cp311-abi3-…") expanded. */
    static Set<String> fileTags(String wheelName) {
        String[] parts = wheelName.replaceFirst("\\.whl$", "").split("-");
        Set<String> tags = new LinkedHashSet<>();
        if (parts.length < 5) return tags;
        for (String py : parts[parts.length - 3].split("\\.")) {
            for (String abi : parts[parts.length - 2].split("\\.")) {
                for (String platform : parts[parts.length - 1].split("\\.")) tags.add(py + "-" + abi + "-" + platform);
            }
        }
        return tags;
    }

    /**
     * The wheel uv installed for name==version: of the wheels a pylock.toml (written by
     * `uv pip compile -o pylock.toml` against the configured index) lists, the one whose
     * file name carries the installed dist-info's tags; with its sha256.
     */
    public static Artifact wheel(String pylock, String name, String version, Set<String> installedTags) {
        TomlArray packages = Toml.parse(pylock).getArray("packages");
        for (int i = 0; packages != null && i < packages.size(); i++) {
            TomlTable p = packages.getTable(i);
            if (!normalized(name).equals(normalized(p.getString("name"))) || !version.equals(p.getString("version"))) continue;
            TomlArray wheels = p.getArray("wheels");
            for (int w = 0; wheels != null && w < wheels.size(); w++) {
                TomlTable wheel = wheels.getTable(w);
                String url = wheel.getString("url", () -> wheel.getString("name", () -> ""));
                String file = url.substring(url.lastIndexOf('/') + 1);
                if (fileTags(file).stream().noneMatch(installedTags::contains)) continue;
                String sha = wheel.getString("hashes.sha256");
                return sha == null ? Artifact.unknown(name, version, Source.WHEEL, file, "pylock.toml lists no sha256 for " + file)
                        : Artifact.of(name, version, Source.WHEEL, file, "sha256", sha);
            }
            return Artifact.unknown(name, version, Source.WHEEL, "", "none of the wheels the index lists for " + name + " " + version
                    + " carries the installed tags " + installedTags);
        }
        return Artifact.unknown(name, version, Source.WHEEL, "", "pylock.toml lists no " + name + " " + version);
    }

    private static String normalized(String distribution) {
        return distribution == null ? "" : distribution.toLowerCase(java.util.Locale.ROOT).replaceAll("[-_.]+", "-");
    }

    /**
     * A Maven jar in a local repository: its sha1, computed; where the repository's
     * .sha1 sits beside it, that must agree (else unknown, naming both).
     */
    public static Artifact mavenJar(Path localRepository, String coordinates, String version) {
        String[] ga = coordinates.split(":");
        String file = ga[1] + "-" + version + ".jar";
        Path jar = localRepository.resolve(ga[0].replace('.', '/')).resolve(ga[1]).resolve(version).resolve(file);
        if (!Files.isRegularFile(jar)) return Artifact.unknown(coordinates, version, Source.MAVEN, file, jar + " is not in the local repository");
        String computed = sha1(jar);
        Path listed = jar.resolveSibling(file + ".sha1");
        try {
            if (Files.isRegularFile(listed)) {
                String said = Files.readString(listed).strip().split("\\s+")[0];
                if (!said.equalsIgnoreCase(computed)) {
                    return Artifact.unknown(coordinates, version, Source.MAVEN, file, "the jar's sha1 " + computed + " differs from its .sha1 " + said);
                }
            }
        } catch (IOException e) {
            return Artifact.unknown(coordinates, version, Source.MAVEN, file, "cannot read " + listed + ": " + e.getMessage());
        }
        return Artifact.of(coordinates, version, Source.MAVEN, file, "sha1", computed);
    }

    /**
     * A pulled image's digest from `docker image inspect --format '{{json .RepoDigests}}'`
     * output (["moqdev/moq-relay@sha256:…"]).
     */
    public static Artifact image(String reference, String repoDigestsJson) {
        String repository = reference.replaceFirst("[:@][^/]*$", "");
        String tag = reference.substring(repository.length()).replaceFirst("^[:@]", "");
        try {
            for (JsonNode digest : JSON.readTree(repoDigestsJson.strip())) {
                String text = digest.asText();
                if (text.startsWith(repository + "@")) {
                    String value = text.substring(text.indexOf('@') + 1);
                    return Artifact.of(repository, tag, Source.IMAGE, reference, value.replaceFirst(":.*", ""), value.replaceFirst("^[^:]*:", ""));
                }
            }
        } catch (IOException e) {
            return Artifact.unknown(repository, tag, Source.IMAGE, reference, "image inspect answered no JSON list: " + repoDigestsJson.strip());
        }
        return Artifact.unknown(repository, tag, Source.IMAGE, reference, "the image has no repository digest for " + repository + " (built locally?)");
    }
}
