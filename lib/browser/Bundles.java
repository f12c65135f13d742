package lib.browser;

//FILES clients/js/package.json=../../clients/js/package.json
//FILES clients/js/index.html=../../clients/js/index.html
//FILES clients/js/cdn.html=../../clients/js/cdn.html
//FILES clients/js/smoke.js=../../clients/js/smoke.js
//FILES clients/js/vite.config.mjs=../../clients/js/vite.config.mjs
//FILES clients/js/esbuild.config.mjs=../../clients/js/esbuild.config.mjs
//FILES clients/js/moq-versions.mjs=../../clients/js/moq-versions.mjs

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import lib.core.Artifact;
import lib.core.Availability;
import lib.core.InstallErrors;
import lib.core.Proc;
import lib.core.Resources;
import lib.core.Secrets;
import lib.core.Workspace;
import lib.toolchain.JsRuntime;
import lib.toolchain.Latest;
import lib.toolchain.Npm;

/**
 * The browser page's sources (clients/js), installed once per run with npm at
 * latest and bundled afresh by each bundler on first use. Every bundle writes
 * moq-versions.json: each @moq/* package that shipped in it and every version of
 * it, since @moq/publish and @moq/watch pin different stacks.
 */
public final class Bundles {
    static final List<String> SOURCES = List.of("package.json", "index.html", "cdn.html", "smoke.js", "vite.config.mjs",
            "esbuild.config.mjs", "moq-versions.mjs");
    static final List<String> TOP_LEVEL = List.of("@moq/watch", "@moq/publish");
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(10);

    private final Path dir;
    private final JsRuntime node;
    private final Workspace workspace;
    private final Availability installed;
    private final Map<String, Bundle> built = new ConcurrentHashMap<>();

    /** A bundler's output: where it is, what @moq versions it carries, whether it built. */
    public record Bundle(Path dist, Map<String, List<String>> moqVersions, Availability availability) {
        /** Packages the bundle carries in more than one version: worth a warning. */
        public List<String> duplicates() {
            List<String> found = new ArrayList<>();
            moqVersions.forEach((name, versions) -> {
                if (versions.size() > 1) found.add(name + " " + String.join(", ", versions));
            });
            return found;
        }
    }

    private Bundles(Path dir, JsRuntime node, Workspace workspace, Availability installed) {
        this.dir = dir;
        this.node = node;
        this.workspace = workspace;
        this.installed = installed;
    }

    /** The sources written to scratch and npm-installed once, the packages checked against the registry's newest. */
    public static Bundles install(Workspace workspace, JsRuntime node) {
        Path dir = workspace.scratchDir("browser");
        try {
            for (String source : SOURCES) Files.write(dir.resolve(source), Resources.bytes("clients/js/" + source));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!node.availability().ready()) return new Bundles(dir, node, workspace, node.availability());
        Availability npm = Npm.install(dir, Resources.bytes("clients/js/package.json"), workspace, "npm-browser");
        if (!npm.ready()) return new Bundles(dir, node, workspace, npm);
        List<String> older = new ArrayList<>();
        Npm.installed(dir, TOP_LEVEL).forEach((name, version) ->
                Latest.check(workspace.pins(), "npm", name, version, () -> Npm.latest(name)).ifPresent(older::add));
        return new Bundles(dir, node, workspace, older.isEmpty() ? Availability.ready("") : Availability.broken(String.join("; ", older)));
    }

    public Availability availability() {
        return installed;
    }

    /** The sources as installed (the CDN page is served from here, unbundled). */
    public Path dir() {
        return dir;
    }

    /** The top-level packages as installed. */
    public Map<String, String> versions() {
        return Npm.installed(dir, TOP_LEVEL);
    }

    /** What npm fetched for the top-level packages: version, tarball, integrity. */
    public List<Artifact> artifacts() {
        return Npm.artifacts(dir, TOP_LEVEL);
    }

    /** bundler is "vite" or "esbuild"; built on first use, then shared. */
    public Bundle bundle(String bundler) {
        return built.computeIfAbsent(bundler, this::build);
    }

    private Bundle build(String bundler) {
        List<String> command = bundler.equals("vite")
                ? List.of(node.binary().toString(), dir.resolve("node_modules/vite/bin/vite.js").toString(), "build")
                : List.of(node.binary().toString(), "esbuild.config.mjs");
        Proc.Result result = Proc.run(new Proc.Spec(command, Map.of(), dir), BUILD_TIMEOUT);
        Path log = workspace.provisionLog("bundle-" + bundler + ".log");
        try {
            Files.writeString(log, "$ " + String.join(" ", command) + "\n" + Secrets.redact(result.output()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path dist = dir.resolve("dist").resolve(bundler);
        if (!result.ok()) {
            return new Bundle(dist, Map.of(), Availability.broken(bundler + " build failed: "
                    + InstallErrors.firstError(InstallErrors.Tool.NPM, result.output()).orElse("exit code " + result.exitCode())));
        }
        Map<String, List<String>> versions = new LinkedHashMap<>();
        try {
            JsonNode packages = new ObjectMapper().readTree(dist.resolve("moq-versions.json").toFile()).path("packages");
            packages.properties().forEach(e -> {
                List<String> list = new ArrayList<>();
                e.getValue().forEach(v -> list.add(v.asText()));
                versions.put(e.getKey(), list);
            });
        } catch (IOException e) {
            return new Bundle(dist, Map.of(), Availability.broken(bundler + " wrote no moq-versions.json: " + e.getMessage()));
        }
        return new Bundle(dist, versions, Availability.ready(""));
    }
}
