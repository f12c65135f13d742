package lib.toolchain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import lib.core.Artifact;
import lib.core.Availability;
import lib.core.Commands;
import lib.core.InstallErrors;
import lib.core.Pins;
import lib.core.Proc;
import lib.core.Provenance;
import lib.core.Secrets;
import lib.core.Workspace;

/**
 * npm as a package tool: installs a package.json's dependencies fresh at latest
 * (or at the versions --pin names) into a scratch dir (no lock file, so every run
 * resolves what npm serves today), reads what was installed and the integrity npm
 * checked (its hidden lockfile), and asks the registry for the newest version.
 */
public final class Npm {
    static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private Npm() {}

    /** Why npm can't be used here, if it can't. */
    public static Optional<String> unreachableReason() {
        return Commands.missing("npm").or(() -> Commands.missing("node"));
    }

    /**
     * Writes packageJson into dir and runs `npm install` there, its output in
     * provision/logName.log. Ready on success; unavailable when the registry could
     * not be reached; broken otherwise (the registry said a package does not exist,
     * or it failed to install), with npm's first real error line.
     */
    public static Availability install(Path dir, byte[] packageJson, Workspace workspace, String logName) {
        Optional<String> unreachable = unreachableReason();
        if (unreachable.isPresent()) return Availability.unavailable(unreachable.get());
        List<String> command = List.of("npm", "install", "--no-package-lock", "--no-audit", "--no-fund", "--loglevel", "error");
        Proc.Result result;
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve("package.json"), pinned(packageJson, workspace.pins()));
            result = Proc.run(new Proc.Spec(command, Map.of(), dir), INSTALL_TIMEOUT);
            Files.writeString(workspace.provisionLog(logName + ".log"),
                    "$ " + String.join(" ", command) + "  (in " + dir + ")\n" + Secrets.redact(result.output()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (result.ok()) return Availability.ready("");
        String why = "npm install failed: " + (result.timedOut() ? "timed out after " + INSTALL_TIMEOUT.toMinutes() + " min"
                : InstallErrors.firstError(InstallErrors.Tool.NPM, result.output()).orElse("exit code " + result.exitCode()));
        return InstallErrors.unreachable(result.output()) && !InstallErrors.notFound(result.output())
                ? Availability.unavailable(why) : Availability.broken(why);
    }

    /**
     * packageJson with each pinned direct dependency (dependencies, devDependencies)
     * asking for exactly its pinned version instead of "latest".
     */
    public static byte[] pinned(byte[] packageJson, Pins pins) {
        if (pins.versions().isEmpty()) return packageJson;
        try {
            JsonNode manifest = JSON.readTree(packageJson);
            for (String section : List.of("dependencies", "devDependencies")) {
                if (!(manifest.path(section) instanceof ObjectNode deps)) continue;
                pins.versions().forEach((name, version) -> {
                    if (deps.has(name)) deps.put(name, version);
                });
            }
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest);
        } catch (IOException e) {
            throw new IllegalArgumentException("package.json is not JSON: " + e.getMessage(), e);
        }
    }

    /** What npm fetched for each of packages under dir: version, tarball and integrity, from its lockfile. */
    public static List<Artifact> artifacts(Path dir, List<String> packages) {
        String lock = Provenance.npmLock(dir);
        return packages.stream().map(name -> lock.isEmpty()
                ? Artifact.unknown(name, manifest(dir.resolve("node_modules").resolve(name)).path("version").asText(""), Artifact.Source.NPM, "",
                        "npm left no lockfile in " + dir)
                : Provenance.npm(lock, name)).toList();
    }

    /**
     * What npm fetched for every other top-level package under dir whose name starts
     * with scope ("@moq/"), i.e. the scope's packages installed only as dependencies
     * (a platform addon), recorded as such.
     */
    public static List<Artifact> dependencies(Path dir, String scope, List<String> direct) {
        String lock = Provenance.npmLock(dir);
        if (lock.isEmpty()) return List.of();
        List<Artifact> found = new java.util.ArrayList<>();
        try {
            JSON.readTree(lock).path("packages").fieldNames().forEachRemaining(key -> {
                String name = key.replaceFirst("^node_modules/", "");
                if (key.startsWith("node_modules/" + scope) && !name.contains("/node_modules/") && !direct.contains(name)) {
                    found.add(Provenance.npm(lock, name).asDependency());
                }
            });
        } catch (IOException e) {
            return List.of();
        }
        return found;
    }

    /** The version of each package installed under dir/node_modules ("" when absent). */
    public static Map<String, String> installed(Path dir, List<String> packages) {
        Map<String, String> versions = new LinkedHashMap<>();
        for (String name : packages) versions.put(name, manifest(dir.resolve("node_modules").resolve(name)).path("version").asText(""));
        return versions;
    }

    /** A package's package.json, or an empty object when it is missing or unreadable. */
    public static JsonNode manifest(Path packageDir) {
        try {
            return JSON.readTree(packageDir.resolve("package.json").toFile());
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    /** The version the registry's latest tag points at, or empty when it could not be asked. */
    public static Optional<String> latest(String name) {
        Proc.Result view = Proc.run(Proc.Spec.of(List.of("npm", "view", name + "@latest", "version")), QUERY_TIMEOUT);
        return view.ok() && !view.stdout().isBlank() ? Optional.of(view.answer()) : Optional.empty();
    }
}
