package lib.toolchain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import lib.core.Availability;
import lib.core.Commands;
import lib.core.InstallErrors;
import lib.core.Proc;
import lib.core.Secrets;
import lib.core.Workspace;

/**
 * A SwiftPM executable package built in a scratch dir with no Package.resolved, so
 * its `from:` dependency resolves to the newest release below the next major; the
 * package repository's tags then show whether a newer release exists that the range
 * left out. SwiftPM keeps its clones in the package's own .build.
 */
public record SwiftPackage(Path binary, Map<String, String> versions, Availability availability) {
    static final Duration BUILD_TIMEOUT = Duration.ofMinutes(20);
    private static final Duration QUERY_TIMEOUT = Duration.ofMinutes(2);
    private static final Pattern TAG = Pattern.compile("(?m)refs/tags/v?(\\d+\\.\\d+\\.\\d+)$");

    /** Why SwiftPM can't be used here, if it can't. */
    public static Optional<String> unreachableReason() {
        return Commands.missing("swift");
    }

    /** Builds the release configuration of product in dir. */
    public static List<String> buildCommand(Path dir, String product) {
        return List.of("swift", "build", "--package-path", dir.toString(), "-c", "release", "--product", product);
    }

    /** Prints the resolved dependency tree as JSON. */
    public static List<String> dependenciesCommand(Path dir) {
        return List.of("swift", "package", "--package-path", dir.toString(), "show-dependencies", "--format", "json");
    }

    /** Where the release build puts product. */
    public static Path binary(Path dir, String product) {
        return dir.resolve(".build").resolve("release").resolve(product);
    }

    /**
     * Builds product in dir (a package whose dependency identity comes from url) and
     * reads the versions resolved; broken when the build fails or the range left out a
     * newer tag, unavailable when the package host could not be reached.
     */
    public static SwiftPackage build(Path dir, String product, String url, String identity, Workspace workspace, String logName) {
        Optional<String> missing = unreachableReason();
        if (missing.isPresent()) return new SwiftPackage(null, Map.of(), Availability.unavailable(missing.get()));
        Path log = workspace.provisionLog(logName + ".log");
        Proc.Result built = step(buildCommand(dir, product), log, BUILD_TIMEOUT);
        if (!built.ok()) {
            String why = "swift build failed: " + (built.timedOut() ? "timed out after " + BUILD_TIMEOUT.toMinutes() + " min"
                    : InstallErrors.firstError(InstallErrors.Tool.GENERIC, built.output()).orElse("exit code " + built.exitCode()));
            return new SwiftPackage(null, Map.of(), InstallErrors.unreachable(built.output()) ? Availability.unavailable(why) : Availability.broken(why));
        }
        Map<String, String> versions = versions(step(dependenciesCommand(dir), log, QUERY_TIMEOUT).stdout());
        Proc.Result tags = step(List.of("git", "ls-remote", "--tags", url), log, QUERY_TIMEOUT);
        Optional<String> older = Latest.settledForOlder("swift", identity, versions.get(identity), tags.ok() ? newestTag(tags.stdout()) : Optional.empty());
        if (older.isPresent()) return new SwiftPackage(null, versions, Availability.broken(older.get()));
        return new SwiftPackage(binary(dir, product), versions, Availability.ready(identity + " " + versions.getOrDefault(identity, "?")));
    }

    /** Every dependency in `show-dependencies --format json` output, by identity, with the version resolved. */
    public static Map<String, String> versions(String json) {
        Map<String, String> versions = new LinkedHashMap<>();
        try {
            String tree = json.substring(Math.max(0, json.indexOf('{')));
            collect(new ObjectMapper().readTree(tree).path("dependencies"), versions);
        } catch (IOException e) {
            return versions;
        }
        return versions;
    }

    private static void collect(JsonNode dependencies, Map<String, String> versions) {
        for (JsonNode dependency : dependencies) {
            versions.putIfAbsent(dependency.path("identity").asText(), dependency.path("version").asText());
            collect(dependency.path("dependencies"), versions);
        }
    }

    /** The highest release tag in `git ls-remote --tags` output. */
    public static Optional<String> newestTag(String lsRemote) {
        List<String> tags = new ArrayList<>();
        Matcher m = TAG.matcher(lsRemote);
        while (m.find()) tags.add(m.group(1));
        return tags.stream().reduce((a, b) -> Latest.compare(a, b) >= 0 ? a : b);
    }

    private static Proc.Result step(List<String> command, Path log, Duration timeout) {
        Proc.Result result = Proc.run(Proc.Spec.of(command), timeout);
        try {
            Files.writeString(log, "$ " + String.join(" ", command) + "\n" + Secrets.redact(result.output()) + "\n",
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return result;
    }
}
