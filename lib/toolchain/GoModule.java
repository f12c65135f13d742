package lib.toolchain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
 * A Go program built against a published module at @latest, the way a user starts:
 * `go mod init` in a scratch dir, `go get <module>@latest`, `go build`. The go.sum
 * lives and dies in the scratch dir; the module and build caches live under the run
 * cache. A module that moved keeps answering under its old path for a while, so the
 * candidates are tried in order and the one that resolved is in the versions.
 *
 * The proxy's answer decides the state: a proxy that can't be reached or refuses
 * this machine (403) makes the client unavailable; one that says the module or
 * version does not exist (404/410, unknown revision) makes it broken, as does a
 * build that fails.
 */
public record GoModule(Path binary, Map<String, String> versions, List<String> warnings, Availability availability, List<Artifact> provenance) {
    static final Duration STEP_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration QUERY_TIMEOUT = Duration.ofMinutes(2);

    /**
     * One path a module was published under: the module path, the package path the
     * program imports from it, and the module of its native bindings (whose version is
     * under test too).
     */
    public record Candidate(String module, String importPath, String bindings) {}

    /** Why Go can't be used here, if it can't. */
    public static Optional<String> unreachableReason() {
        return Commands.missing("go");
    }

    /**
     * Builds program (Go source whose moq import names the first candidate's package)
     * in dir against the first candidate that resolves. env adds to and overrides the
     * go command's environment (GOPROXY, GOSUMDB, ...); each step's output goes to
     * provision/logName.log.
     */
    public static GoModule build(Path dir, List<Candidate> candidates, byte[] program, Map<String, String> env, Workspace workspace, String logName) {
        Optional<String> missing = unreachableReason();
        if (missing.isPresent()) return failed(Availability.unavailable(missing.get()));
        Map<String, String> goEnv = new HashMap<>(Map.of(
                "GOFLAGS", "-mod=mod",
                "GOTOOLCHAIN", "local",
                "CGO_ENABLED", "1",
                "GOPATH", workspace.cacheDir("go/path").toString(),
                "GOMODCACHE", workspace.cacheDir("go/mod").toString(),
                "GOCACHE", workspace.cacheDir("go/build").toString()));
        goEnv.putAll(env);
        Go go = new Go(dir, goEnv, workspace.provisionLog(logName + ".log"));
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(dir.resolve("go.mod"));
            Files.deleteIfExists(dir.resolve("go.sum"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }

        Proc.Result init = go.run(List.of("mod", "init", "smoke.local/moq-client"), STEP_TIMEOUT);
        if (!init.ok()) return failed(classify("go mod init", init.output()));

        Map<String, String> answers = new LinkedHashMap<>();
        Optional<Candidate> found = Optional.empty();
        Pins pins = workspace.pins();
        for (Candidate candidate : candidates) {
            Proc.Result got = go.run(List.of("get", candidate.module() + "@" + pins.or(candidate.module(), "latest")), STEP_TIMEOUT);
            if (got.ok()) {
                found = Optional.of(candidate);
                break;
            }
            answers.put(candidate.module(), got.timedOut() ? "timed out" : answer(got.output()));
        }
        if (found.isEmpty()) return failed(unresolved(answers));
        Candidate resolved = found.get();
        Optional<String> bindingsPin = pins.version(resolved.bindings());
        if (bindingsPin.isPresent()) {
            Proc.Result got = go.run(List.of("get", resolved.bindings() + "@" + bindingsPin.get()), STEP_TIMEOUT);
            if (!got.ok()) return failed(classify("go get " + resolved.bindings() + "@" + bindingsPin.get(), got.output()));
        }

        Map<String, String> versions = versions(go, resolved);
        List<String> warnings = new ArrayList<>();
        answers.forEach((module, answer) -> warnings.add(module + " did not resolve (" + answer + "); built against "
                + resolved.module() + " instead"));
        List<Artifact> fetched = artifacts(dir, versions);
        Optional<String> older = Latest.check(pins, "go", resolved.bindings(), versions.get(resolved.bindings()), () -> newest(go, resolved.bindings()))
                .or(() -> Latest.check(pins, "go", resolved.module(), versions.get(resolved.module()), Optional::empty));
        if (older.isPresent()) return new GoModule(null, versions, warnings, Availability.broken(older.get()), fetched);

        String source = new String(program, StandardCharsets.UTF_8)
                .replace("\"" + candidates.get(0).importPath() + "\"", "\"" + resolved.importPath() + "\"");
        Path binary = dir.resolve("moq-client");
        try {
            Files.writeString(dir.resolve("main.go"), source);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Proc.Result built = go.run(List.of("build", "-o", binary.toString(), "."), STEP_TIMEOUT);
        String what = resolved.module() + " " + versions.getOrDefault(resolved.module(), "");
        if (!built.ok()) {
            Availability why = built.timedOut() ? Availability.broken("go build against " + what + " timed out")
                    : classify("go build against " + what, built.output());
            return new GoModule(null, versions, warnings, why, fetched);
        }
        return new GoModule(binary, versions, warnings, Availability.ready(what), fetched);
    }

    private static GoModule failed(Availability why) {
        return new GoModule(null, Map.of(), List.of(), why, List.of());
    }

    /** Each resolved module with the h1 hash the scratch module's go.sum holds for it (what the go command checked). */
    private static List<Artifact> artifacts(Path dir, Map<String, String> versions) {
        String goSum;
        try {
            goSum = Files.isRegularFile(dir.resolve("go.sum")) ? Files.readString(dir.resolve("go.sum")) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Artifact> artifacts = new ArrayList<>();
        versions.forEach((module, version) -> artifacts.add(Provenance.goModule(goSum, module, version)));
        return artifacts;
    }

    /**
     * Nothing resolved. Only when the proxy said of every path that it does not exist is
     * that a publishing break; if any path went unanswered, the module may well exist.
     */
    private static Availability unresolved(Map<String, String> answers) {
        List<String> each = new ArrayList<>();
        answers.forEach((module, answer) -> each.add(module + ": " + answer));
        String why = "go get @latest resolved no module path: " + String.join("; ", each);
        boolean allAbsent = answers.values().stream().allMatch(InstallErrors::notFound);
        boolean anyUnreachable = answers.values().stream().anyMatch(a -> InstallErrors.unreachable(a) || a.equals("timed out"));
        if (allAbsent) return Availability.broken(why);
        return anyUnreachable ? Availability.unavailable(why) : Availability.broken(why);
    }

    private static Availability classify(String step, String output) {
        String why = step + " failed: " + answer(output);
        return InstallErrors.unreachable(output) && !InstallErrors.notFound(output) ? Availability.unavailable(why) : Availability.broken(why);
    }

    /**
     * The go command's first real error, with the proxy's own words when it gave any: go
     * prints them on the next line as "server response: ...".
     */
    static String answer(String output) {
        String error = InstallErrors.firstError(InstallErrors.Tool.GO, output).orElse("no output");
        Optional<String> server = output.lines().map(String::strip).filter(l -> l.startsWith("server response:")).findFirst();
        return server.map(s -> error + " (" + s + ")").orElse(error);
    }

    /** The resolved module and its bindings, as the build list has them ("" when absent). */
    private static Map<String, String> versions(Go go, Candidate resolved) {
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put(resolved.module(), "");
        versions.put(resolved.bindings(), "");
        Proc.Result list = go.run(List.of("list", "-m", "-f", "{{.Path}} {{.Version}}", "all"), QUERY_TIMEOUT);
        for (String line : list.ok() ? list.stdout().split("\n") : new String[0]) {
            String[] parts = line.strip().split(" ");
            if (parts.length == 2 && versions.containsKey(parts[0])) versions.put(parts[0], parts[1]);
        }
        return versions;
    }

    /** What the proxy lists as module@latest, or empty when it could not be asked. */
    private static Optional<String> newest(Go go, String module) {
        Proc.Result latest = go.run(List.of("list", "-m", "-f", "{{.Version}}", module + "@latest"), QUERY_TIMEOUT);
        return latest.ok() && !latest.stdout().isBlank() ? Optional.of(latest.answer()) : Optional.empty();
    }

    /** The go command in the scratch module, logging each step. */
    private record Go(Path dir, Map<String, String> env, Path log) {
        Proc.Result run(List<String> args, Duration timeout) {
            List<String> command = new ArrayList<>(List.of("go"));
            command.addAll(args);
            Proc.Result result = Proc.run(new Proc.Spec(command, env, dir), timeout);
            try {
                Files.writeString(log, "$ " + String.join(" ", command) + "  (in " + dir + ")\n" + Secrets.redact(result.output()) + "\n",
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return result;
        }
    }
}
