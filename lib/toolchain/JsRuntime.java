package lib.toolchain;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import lib.core.Artifact;
import lib.core.Availability;
import lib.core.Proc;
import lib.core.UsageError;
import lib.core.Workspace;

/**
 * A JavaScript runtime outside the browser, provisioned from npm so the machine
 * needs only some node and npm to start with: the current Node LTS (the platform
 * package node-<os>-<arch>, unless SMOKE_NODE names a node binary), or bun (the
 * bun package). Installed once per version into the cache.
 */
public record JsRuntime(String name, Path binary, String version, Availability availability, List<Artifact> provenance) {
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(60);
    /**
     * Node's even majors enter long-term support about six months after their
     * first release (upstream: nodejs/Release schedule); a younger even major is
     * still "Current", not LTS.
     */
    static final long LTS_AFTER_DAYS = 183;

    public JsRuntime {
        provenance = List.copyOf(provenance);
    }

    static JsRuntime not(String name, Availability why) {
        return new JsRuntime(name, null, "", why, List.of());
    }

    /**
     * SMOKE_NODE, when set, must name an executable file: the user's own setting naming
     * nothing runnable is a typo to fix, not a broken package.
     *
     * @throws UsageError naming the setting
     */
    public static void checkNodeSetting() {
        String chosen = System.getenv("SMOKE_NODE");
        if (chosen == null || chosen.isBlank()) return;
        Path node = Path.of(chosen);
        if (!java.nio.file.Files.isRegularFile(node) || !java.nio.file.Files.isExecutable(node)) {
            throw new UsageError("SMOKE_NODE=" + chosen + " is not an executable file");
        }
    }

    /** The current Node LTS from npm (or the version --pin names for node-<os>-<arch>), or SMOKE_NODE. */
    public static JsRuntime node(Workspace workspace) {
        String chosen = System.getenv("SMOKE_NODE");
        if (chosen != null && !chosen.isBlank()) {
            checkNodeSetting();
            return launched("node", Path.of(chosen), "SMOKE_NODE=" + chosen).withProvenance(List.of(Artifact.unknown("node", "", Artifact.Source.LOCAL, chosen,
                    "SMOKE_NODE names a node the harness did not fetch")));
        }
        Optional<String> unreachable = Npm.unreachableReason();
        if (unreachable.isPresent()) return not("node", Availability.unavailable(unreachable.get()));
        String pkg = "node-" + os() + "-" + arch();
        Optional<String> pinned = workspace.pins().version(pkg);
        if (pinned.isPresent()) return fromNpm(pkg, pinned.get(), workspace);
        Proc.Result times = Proc.run(Proc.Spec.of(List.of("npm", "view", pkg, "time", "--json")), QUERY_TIMEOUT);
        if (!times.ok()) {
            return not("node", Availability.unavailable("cannot ask npm for " + pkg + "'s releases: " + times.lastLine()));
        }
        Optional<String> lts;
        try {
            lts = newestLts(new ObjectMapper().readTree(times.stdout()), Instant.now());
        } catch (IOException e) {
            return not("node", Availability.broken("npm view " + pkg + " time answered no JSON: " + e.getMessage()));
        }
        if (lts.isEmpty()) return not("node", Availability.broken("npm lists no LTS release of " + pkg));
        return fromNpm(pkg, lts.get(), workspace);
    }

    /** Node's platform package at version, installed into the cache once. */
    private static JsRuntime fromNpm(String pkg, String version, Workspace workspace) {
        Path dir = workspace.cacheDir("node/" + version);
        Path binary = dir.resolve("node_modules").resolve(pkg).resolve("bin").resolve("node");
        if (!Files.isExecutable(binary)) {
            String manifest = "{\"private\": true, \"dependencies\": {\"" + pkg + "\": \"" + version + "\"}}\n";
            Availability installed = Npm.install(dir, manifest.getBytes(StandardCharsets.UTF_8), workspace, "npm-" + pkg);
            if (!installed.ready()) return not("node", installed);
        }
        return launched("node", binary, pkg + " from npm").withProvenance(Npm.artifacts(dir, List.of(pkg)));
    }

    private JsRuntime withProvenance(List<Artifact> fetched) {
        return new JsRuntime(name, binary, version, availability, fetched);
    }

    /** bun from npm, at latest (or as pinned). */
    public static JsRuntime bun(Workspace workspace) {
        Optional<String> unreachable = Npm.unreachableReason();
        if (unreachable.isPresent()) return not("bun", Availability.unavailable(unreachable.get()));
        Path dir = workspace.scratchDir("bun");
        byte[] manifest = "{\"private\": true, \"dependencies\": {\"bun\": \"latest\"}}\n".getBytes(StandardCharsets.UTF_8);
        Availability installed = Npm.install(dir, manifest, workspace, "npm-bun");
        if (!installed.ready()) return not("bun", installed);
        return bunBinary(dir.resolve("node_modules")).map(b -> launched("bun", b, "npm bun").withProvenance(Npm.artifacts(dir, List.of("bun"))))
                .orElse(not("bun", Availability.broken("npm package bun installed no runnable bun binary")));
    }

    /**
     * The newest release of the highest even major that has been out long enough to
     * be LTS, from npm's "time" map (version to publication time), as of now.
     */
    static Optional<String> newestLts(JsonNode times, Instant now) {
        TreeMap<Integer, Instant> firstRelease = new TreeMap<>();
        TreeMap<Integer, String> newest = new TreeMap<>();
        times.properties().forEach(entry -> {
            String version = entry.getKey();
            if (!version.matches("\\d+\\.\\d+\\.\\d+")) return;
            int major = Integer.parseInt(version.substring(0, version.indexOf('.')));
            Instant at = Instant.parse(entry.getValue().asText());
            firstRelease.merge(major, at, (a, b) -> a.isBefore(b) ? a : b);
            newest.merge(major, version, (a, b) -> Latest.compare(a, b) >= 0 ? a : b);
        });
        return firstRelease.descendingMap().entrySet().stream()
                .filter(e -> e.getKey() % 2 == 0 && e.getValue().plus(LTS_AFTER_DAYS, ChronoUnit.DAYS).isBefore(now))
                .findFirst().map(e -> newest.get(e.getKey()));
    }

    /**
     * bun's postinstall moves the real binary into .bin/bun; when install scripts
     * are off, the platform package still has it.
     */
    static Optional<Path> bunBinary(Path nodeModules) {
        Path linked = nodeModules.resolve(".bin").resolve("bun");
        if (Files.isExecutable(linked)) return Optional.of(linked);
        Path oven = nodeModules.resolve("@oven");
        if (!Files.isDirectory(oven)) return Optional.empty();
        try (Stream<Path> platforms = Files.list(oven)) {
            return platforms.map(p -> p.resolve("bin").resolve("bun")).filter(Files::isExecutable).sorted(Comparator.naturalOrder()).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** A runtime that answers --version; one that does not launch is broken, with the loader's words. */
    private static JsRuntime launched(String name, Path binary, String from) {
        Proc.Result version = Proc.run(new Proc.Spec(List.of(binary.toString(), "--version"), Map.of(), null), QUERY_TIMEOUT);
        if (!version.ok()) {
            return not(name, Availability.broken(name + " (" + from + ") does not launch: "
                    + (version.timedOut() ? "--version did not answer" : version.lastLine())));
        }
        return new JsRuntime(name, binary, version.answer(), Availability.ready(name + " " + version.answer() + " (" + from + ")"), List.of());
    }

    private static String os() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        return os.contains("mac") ? "darwin" : os.contains("win") ? "win" : "linux";
    }

    private static String arch() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return arch.equals("aarch64") || arch.equals("arm64") ? "arm64" : "x64";
    }
}
