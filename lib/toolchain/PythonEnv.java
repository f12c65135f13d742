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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 * A fresh virtual environment made with uv, shared by the run's Python clients:
 * a Python of at least 3.10 found on the machine, uv from PATH or else from PyPI
 * (pip-installed into the cache once), the packages installed at latest with no
 * lock file. Also answers what the registry's newest versions are, resolved for
 * every platform, so an install that settled for an older release is caught.
 */
public final class PythonEnv {
    static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(90);
    /** moq-ffi's wheels need 3.10 or later (upstream: py/moq-ffi pyproject requires-python). */
    static final int MIN_MINOR = 10;
    private static final List<String> CANDIDATES = List.of("python3.14", "python3.13", "python3.12", "python3.11", "python3.10", "python3");
    private static final Pattern VERSION = Pattern.compile("Python 3\\.(\\d+)\\.(\\d+)");
    private static final Pattern PIN = Pattern.compile("(?m)^([A-Za-z0-9_.-]+)==([^\\s;]+)");

    private final Path python;
    private final List<String> uv;
    private final Availability availability;

    private PythonEnv(Path python, List<String> uv, Availability availability) {
        this.python = python;
        this.uv = uv;
        this.availability = availability;
    }

    public Availability availability() {
        return availability;
    }

    /** The venv's interpreter. */
    public Path python() {
        return python;
    }

    /** Why Python can't be used here, if it can't: no interpreter of at least 3.10 on PATH. */
    public static Optional<String> unreachableReason() {
        return interpreter().isPresent() ? Optional.empty()
                : Optional.of("no python3 of at least 3." + MIN_MINOR + " on PATH (tried " + String.join(", ", CANDIDATES) + ")");
    }

    /** The newest Python 3 on PATH that is at least 3.10, with its version line. */
    static Optional<Map.Entry<Path, String>> interpreter() {
        for (String name : CANDIDATES) {
            Optional<Path> found = Commands.which(name);
            if (found.isEmpty()) continue;
            String line = Proc.run(Proc.Spec.of(List.of(found.get().toString(), "--version")), Duration.ofSeconds(20)).answer();
            Matcher m = VERSION.matcher(line);
            if (m.find() && Integer.parseInt(m.group(1)) >= MIN_MINOR) return Optional.of(Map.entry(found.get(), line));
        }
        return Optional.empty();
    }

    /**
     * Makes the venv at dir with packages installed, at latest or at the versions
     * pinned in the workspace; a pin on one of underTest that packages only depend on
     * (native bindings) is installed as name==version too. Unavailable when Python or
     * the registry can't be reached, broken when a package fails to install.
     */
    public static PythonEnv create(Path dir, List<String> packages, List<String> underTest, Workspace workspace) {
        Optional<Map.Entry<Path, String>> base = interpreter();
        if (base.isEmpty()) return new PythonEnv(null, List.of(), Availability.unavailable(unreachableReason().orElseThrow()));
        Path log = workspace.provisionLog("uv-" + String.join("-", packages) + ".log");
        Optional<List<String>> uv = uv(base.get().getKey(), workspace, log);
        if (uv.isEmpty()) {
            return new PythonEnv(null, List.of(), Availability.unavailable("uv is not on PATH and could not be installed from PyPI (see " + log + ")"));
        }
        Proc.Result venv = step(uv.get(), List.of("venv", "--python", base.get().getKey().toString(), dir.toString()), log);
        if (!venv.ok()) return new PythonEnv(null, uv.get(), failed("uv venv", venv));
        Path python = dir.resolve("bin").resolve("python");
        List<String> install = new java.util.ArrayList<>(List.of("pip", "install", "--python", python.toString()));
        for (String name : packages) install.add(workspace.pins().version(name).map(v -> name + "==" + v).orElse(name));
        workspace.pins().versions().forEach((name, v) -> {
            if (!packages.contains(name) && underTest.contains(name)) install.add(name + "==" + v);
        });
        Proc.Result installed = step(uv.get(), install, log);
        if (!installed.ok()) return new PythonEnv(python, uv.get(), failed("uv pip install " + String.join(" ", packages), installed));
        return new PythonEnv(python, uv.get(), Availability.ready(base.get().getValue()));
    }

    /** The installed version of each distribution in the venv. */
    public Map<String, String> versions() {
        Map<String, String> versions = new LinkedHashMap<>();
        Proc.Result list = Proc.run(Proc.Spec.of(with(List.of("pip", "list", "--python", python.toString(), "--format", "json"))), QUERY_TIMEOUT);
        try {
            for (JsonNode row : new ObjectMapper().readTree(list.stdout().substring(Math.max(0, list.stdout().indexOf('['))))) {
                versions.put(row.path("name").asText(), row.path("version").asText());
            }
        } catch (IOException e) {
            return versions;
        }
        return versions;
    }

    /**
     * What uv fetched for each of names as installed: the wheel's file name and sha256.
     * uv keeps no wheel file and no hash in the venv, so the installed versions are
     * resolved once more by `uv pip compile` into a pylock.toml (against the same,
     * configured index, for this venv's interpreter), and of the wheels it lists the
     * one carrying the tags in the installed dist-info's WHEEL file is the one installed.
     */
    public List<Artifact> artifacts(List<String> names, Path log) {
        Map<String, String> installed = versions();
        List<Artifact> artifacts = new java.util.ArrayList<>();
        Path dir;
        try {
            // Beside the venv, in the run's scratch: the lock is a means, not a file the run keeps.
            dir = Files.createTempDirectory(python.getParent().getParent().getParent(), "pylock");
            StringBuilder requirements = new StringBuilder();
            for (String name : names) if (!installed.getOrDefault(name, "").isEmpty()) requirements.append(name).append("==").append(installed.get(name)).append('\n');
            Files.writeString(dir.resolve("requirements.in"), requirements);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Proc.Result lock = step(uv, List.of("pip", "compile", "--python", python.toString(), "--quiet", "--no-header",
                    dir.resolve("requirements.in").toString(), "-o", dir.resolve("pylock.toml").toString()), log);
            String pylock = lock.ok() ? Files.readString(dir.resolve("pylock.toml")) : "";
            for (String name : names) {
                String version = installed.getOrDefault(name, "");
                if (version.isEmpty()) {
                    artifacts.add(Artifact.unknown(name, "", Artifact.Source.WHEEL, "", name + " is not installed in the venv"));
                } else if (!lock.ok()) {
                    artifacts.add(Artifact.unknown(name, version, Artifact.Source.WHEEL, "", "uv pip compile -o pylock.toml failed: " + lock.lastLine()));
                } else {
                    Optional<Path> wheel = distInfo(name, version).map(d -> d.resolve("WHEEL")).filter(Files::isRegularFile);
                    artifacts.add(wheel.isEmpty()
                            ? Artifact.unknown(name, version, Artifact.Source.WHEEL, "", "the venv has no " + name + " " + version + " dist-info WHEEL file")
                            : Provenance.wheel(pylock, name, version, Provenance.wheelTags(Files.readString(wheel.get()))));
                }
            }
            return artifacts;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            lib.core.Reaper.deleteTree(dir);
        }
    }

    /** The installed distribution's dist-info dir in the venv (names normalized as the wheel spec does). */
    private Optional<Path> distInfo(String name, String version) {
        String wanted = name.toLowerCase(java.util.Locale.ROOT).replaceAll("[-_.]+", "_") + "-" + version + ".dist-info";
        try (var files = Files.find(python.getParent().getParent().resolve("lib"), 3,
                (p, a) -> p.getFileName().toString().toLowerCase(java.util.Locale.ROOT).equals(wanted))) {
            return files.findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The versions the registry would give for packages on any platform (a
     * universal resolution): the newest release, wheel for this machine or not.
     * Empty when the registry could not be asked.
     */
    public Map<String, String> newest(List<String> packages) {
        Map<String, String> pins = new LinkedHashMap<>();
        Path input;
        try {
            input = Files.createTempFile("requirements", ".in");
            Files.writeString(input, String.join("\n", packages) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Proc.Result compiled = Proc.run(Proc.Spec.of(with(List.of("pip", "compile", input.toString(), "--universal", "--no-header", "--quiet"))),
                    QUERY_TIMEOUT);
            Matcher m = PIN.matcher(compiled.ok() ? compiled.stdout() : "");
            while (m.find()) pins.put(m.group(1), m.group(2));
            return pins;
        } finally {
            input.toFile().delete();
        }
    }

    private List<String> with(List<String> args) {
        List<String> command = new java.util.ArrayList<>(uv);
        command.addAll(args);
        return command;
    }

    /** uv from PATH, else pip-installed from PyPI into the cache's tools venv (once). */
    private static Optional<List<String>> uv(Path python, Workspace workspace, Path log) {
        Optional<Path> onPath = Commands.which("uv");
        if (onPath.isPresent()) return Optional.of(List.of(onPath.get().toString()));
        Path tools = workspace.cache().resolve("uv-tool");
        Path uv = tools.resolve("bin").resolve("uv");
        if (!Files.isExecutable(uv)) {
            Proc.Result venv = step(List.of(python.toString()), List.of("-m", "venv", tools.toString()), log);
            if (!venv.ok()) return Optional.empty();
            Proc.Result pip = step(List.of(tools.resolve("bin").resolve("pip").toString()), List.of("install", "--quiet", "uv"), log);
            if (!pip.ok()) return Optional.empty();
        }
        return Files.isExecutable(uv) ? Optional.of(List.of(uv.toString())) : Optional.empty();
    }

    private static Proc.Result step(List<String> tool, List<String> args, Path log) {
        List<String> command = new java.util.ArrayList<>(tool);
        command.addAll(args);
        Proc.Result result = Proc.run(Proc.Spec.of(command), INSTALL_TIMEOUT);
        try {
            Files.writeString(log, "$ " + String.join(" ", command) + "\n" + Secrets.redact(result.output()) + "\n",
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return result;
    }

    private static Availability failed(String what, Proc.Result result) {
        String why = what + " failed: " + (result.timedOut() ? "timed out"
                : InstallErrors.firstError(InstallErrors.Tool.UV, result.output()).orElse("exit code " + result.exitCode()));
        return InstallErrors.unreachable(result.output()) && !InstallErrors.notFound(result.output())
                ? Availability.unavailable(why) : Availability.broken(why);
    }
}
