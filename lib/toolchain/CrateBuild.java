package lib.toolchain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import lib.core.Artifact;
import lib.core.Availability;
import lib.core.Commands;
import lib.core.InstallErrors;
import lib.core.Proc;
import lib.core.Provenance;
import lib.core.Secrets;
import lib.core.Workspace;

/**
 * A library crate built from its published source, the way a user of its C ABI
 * would: the newest version the crates registry lists, its source fetched by
 * cargo, its shipped Cargo.lock set aside so dependencies resolve as of today
 * (a shipped lock can pin a version the registry no longer serves), then
 * `cargo build --release` into the run cache's one shared target dir. cargo's
 * JSON messages say where the build script's output (headers) and the artifacts
 * (static library, plugin) landed.
 */
public final class CrateBuild {
    static final Duration BUILD_TIMEOUT = Duration.ofMinutes(60);
    private static final Duration QUERY_TIMEOUT = Duration.ofMinutes(3);
    private static final Pattern VERSION = Pattern.compile("(?m)^version:\\s*(\\S+)");

    /**
     * What a build left: the crate's version, its build script's out dir, its artifacts,
     * and the .crate cargo fetched (its checksum), for the cell's provenance.
     */
    public record Built(String version, Path source, Optional<Path> outDir, List<Path> artifacts, Availability availability, Artifact fetched) {
        static Built not(String crate, String version, Availability why) {
            return new Built(version, null, Optional.empty(), List.of(), why,
                    Artifact.unknown(crate, version, Artifact.Source.CRATE, "", "not fetched: " + why.detail()));
        }

        Built withFetched(Artifact crate) {
            return new Built(version, source, outDir, artifacts, availability, crate);
        }

        /** The first artifact whose file name ends with suffix (".a", ".so"). */
        public Optional<Path> artifact(String suffix) {
            return artifacts.stream().filter(p -> p.getFileName().toString().endsWith(suffix)).findFirst();
        }
    }

    private CrateBuild() {}

    /** Why cargo can't be used here, if it can't. */
    public static Optional<String> unreachableReason() {
        return Commands.missing("cargo");
    }

    /**
     * Fetches and builds crate at its newest version (or the version --pin names); the logs go to
     * provision/crate-<crate>.log. Unavailable when the registry can't be reached,
     * broken when the crate fails to fetch or build (with cargo's first real error).
     */
    public static Built build(String crate, Workspace workspace) {
        Optional<String> missing = unreachableReason();
        if (missing.isPresent()) return Built.not(crate, "", Availability.unavailable(missing.get()));
        Path log = workspace.provisionLog("crate-" + crate + ".log");
        Optional<String> pinned = workspace.pins().version(crate);
        String newest;
        if (pinned.isPresent()) {
            newest = pinned.get();
        } else {
            Proc.Result info = step(List.of("cargo", "info", crate), null, QUERY_TIMEOUT, log);
            Matcher version = VERSION.matcher(info.stdout());
            if (!info.ok() || !version.find()) return Built.not(crate, "", failed("cargo info " + crate, info));
            newest = version.group(1);
        }
        Path fetcher = workspace.cacheDir("crates/fetch-" + crate);
        try {
            Files.createDirectories(fetcher.resolve("src"));
            Files.writeString(fetcher.resolve("src/lib.rs"), "");
            // An exact requirement: the source fetched is the version cargo info reported as newest.
            Files.writeString(fetcher.resolve("Cargo.toml"), "[package]\nname = \"fetch\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n"
                    + "[dependencies]\n" + crate + " = \"=" + newest + "\"\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Proc.Result fetch = step(List.of("cargo", "fetch"), fetcher, QUERY_TIMEOUT, log);
        if (!fetch.ok()) return Built.not(crate, newest, failed("cargo fetch " + crate + " " + newest, fetch));
        Artifact fetched = fetched(crate, newest, fetcher.resolve("Cargo.lock"));
        Optional<Path> registered = registrySource(crate + "-" + newest);
        if (registered.isEmpty()) return Built.not(crate, newest, Availability.broken("cargo fetched " + crate + " " + newest + " but its source is not in the registry cache"));
        // A published version's source never changes: copied once, so cargo's fingerprints
        // (file times) stay fresh and a warm run does not rebuild the crate.
        Path source = workspace.cacheDir("crates").resolve(crate + "-" + newest);
        if (!Files.isRegularFile(source.resolve("Cargo.toml"))) {
            Path partial = workspace.cacheDir("crates").resolve(crate + "-" + newest + ".partial");
            copyTree(registered.get(), partial);
            try {
                Files.deleteIfExists(partial.resolve("Cargo.lock"));
                Files.move(partial, source, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Proc.Result build = step(List.of("cargo", "build", "--release", "--message-format=json-render-diagnostics"), source, BUILD_TIMEOUT, log,
                Map.of("CARGO_TARGET_DIR", workspace.cacheDir("cargo-target").toString()));
        if (!build.ok()) return Built.not(crate, newest, failed("cargo build of " + crate + " " + newest, build)).withFetched(fetched);
        return parse(crate, newest, source, build.stdout()).withFetched(fetched);
    }

    /**
     * The .crate cargo fetched: its sha256 from the registry cache, which must be the
     * checksum the generated Cargo.lock took from the registry's index.
     */
    static Artifact fetched(String crate, String version, Path cargoLock) {
        Artifact file = Provenance.crate(Provenance.cargoHome(), crate, version);
        Optional<String> locked;
        try {
            locked = Files.isRegularFile(cargoLock) ? Provenance.cargoLockChecksum(Files.readString(cargoLock), crate, version) : Optional.empty();
        } catch (IOException e) {
            locked = Optional.empty();
        }
        if (locked.isEmpty()) return file;
        if (!file.known()) return Artifact.of(crate, version, Artifact.Source.CRATE, file.file(), "sha256", locked.get());
        if (!file.digest().equals(locked.get())) {
            return Artifact.unknown(crate, version, Artifact.Source.CRATE, file.file(), "the cached .crate's sha256 " + file.digest()
                    + " differs from Cargo.lock's checksum " + locked.get());
        }
        return file;
    }

    /** Where the package's build script wrote and what artifacts it produced, from cargo's JSON messages. */
    static Built parse(String crate, String version, Path source, String messages) {
        ObjectMapper json = new ObjectMapper();
        Optional<Path> outDir = Optional.empty();
        List<Path> artifacts = new ArrayList<>();
        String wanted = crate + "@" + version;
        for (String line : messages.lines().toList()) {
            if (!line.startsWith("{")) continue;
            JsonNode message;
            try {
                message = json.readTree(line);
            } catch (IOException e) {
                continue;
            }
            if (!message.path("package_id").asText().endsWith(wanted)) continue;
            String reason = message.path("reason").asText();
            if (reason.equals("build-script-executed")) outDir = Optional.of(Path.of(message.path("out_dir").asText()));
            if (reason.equals("compiler-artifact")) message.path("filenames").forEach(f -> artifacts.add(Path.of(f.asText())));
        }
        if (artifacts.isEmpty()) return Built.not(crate, version, Availability.broken("cargo built " + crate + " " + version + " but reported no artifact"));
        return new Built(version, source, outDir, List.copyOf(artifacts), Availability.ready(crate + " " + version),
                Artifact.unknown(crate, version, Artifact.Source.CRATE, "", "not recorded"));
    }

    private static Optional<Path> registrySource(String dirName) {
        Path registry = Provenance.cargoHome().resolve("registry/src");
        if (!Files.isDirectory(registry)) return Optional.empty();
        try (Stream<Path> indexes = Files.list(registry)) {
            return indexes.map(i -> i.resolve(dirName)).filter(Files::isDirectory).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static void copyTree(Path from, Path to) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) Files.createDirectories(target);
                else Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Proc.Result step(List<String> command, Path dir, Duration timeout, Path log) {
        return step(command, dir, timeout, log, Map.of());
    }

    private static Proc.Result step(List<String> command, Path dir, Duration timeout, Path log, Map<String, String> env) {
        Proc.Result result = Proc.run(new Proc.Spec(command, env, dir), timeout);
        try {
            Files.writeString(log, "$ " + String.join(" ", command) + (dir == null ? "" : "  (in " + dir + ")") + "\n"
                    + Secrets.redact(result.output()) + "\n", java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return result;
    }

    private static Availability failed(String what, Proc.Result result) {
        String why = what + " failed: " + (result.timedOut() ? "timed out"
                : InstallErrors.firstError(InstallErrors.Tool.CARGO, result.output()).orElse("exit code " + result.exitCode()));
        return InstallErrors.unreachable(result.output()) && !InstallErrors.notFound(result.output())
                ? Availability.unavailable(why) : Availability.broken(why);
    }
}
