package lib.toolchain;

//FILES clients/token/js/package.json=../../clients/token/js/package.json

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import lib.core.Artifact;
import lib.core.Availability;
import lib.core.Commands;
import lib.core.Proc;
import lib.core.Resources;
import lib.core.Workspace;

/**
 * npm @moq/token and the bun runtime, installed fresh at latest into the run's
 * scratch dir with no lock file (Npm.install), so every run tests what npm serves today.
 * bun comes from npm too (the bun package), so the machine needs only node and npm.
 */
public final class JsToolchain {
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(30);
    private static final String PACKAGE = "@moq/token";

    private JsToolchain() {}

    /** A runtime and the CLI it runs, or why there is none; provenance: what npm fetched for them. */
    public record Installed(List<String> runtime, Path cli, Availability availability, List<Artifact> provenance) {
        static Installed not(Availability why) {
            return new Installed(List.of(), null, why, List.of());
        }
    }

    /** Why node and npm can't be used here, if they can't. */
    public static Optional<String> unreachableReason() {
        for (String command : List.of("node", "npm")) {
            if (Commands.which(command).isEmpty()) return Optional.of(command + " not found on PATH");
        }
        return Optional.empty();
    }

    /** Installs @moq/token and returns its moq-token CLI under node. */
    public static Installed tokenUnderNode(Workspace workspace) {
        Optional<String> unreachable = unreachableReason();
        if (unreachable.isPresent()) return Installed.not(Availability.unavailable(unreachable.get()));
        Path dir = workspace.scratchDir("token-js");
        Availability installed = Npm.install(dir, Resources.bytes("clients/token/js/package.json"), workspace, "npm-token");
        if (!installed.ready()) return Installed.not(installed);
        Path pkg = dir.resolve("node_modules").resolve(PACKAGE);
        JsonNode manifest = Npm.manifest(pkg);
        JsonNode bin = manifest.path("bin");
        String cli = bin.isTextual() ? bin.asText() : bin.path("moq-token").asText();
        if (cli.isEmpty() || !Files.isRegularFile(pkg.resolve(cli))) {
            return Installed.not(Availability.broken(PACKAGE + " " + manifest.path("version").asText() + " declares no moq-token bin"));
        }
        String node = Proc.run(Proc.Spec.of(List.of("node", "--version")), QUERY_TIMEOUT).answer();
        return new Installed(List.of("node"), pkg.resolve(cli).normalize(),
                Availability.ready(PACKAGE + " " + manifest.path("version").asText() + " under node " + node),
                List.of(Npm.artifacts(dir, List.of(PACKAGE)).get(0), Artifact.unknown("node", node, Artifact.Source.LOCAL, "", "the node on PATH, not fetched by the harness")));
    }

    /** Installs the bun runtime from npm and runs the same CLI under it. */
    public static Installed underBun(Installed token, Workspace workspace) {
        if (!token.availability().ready()) return token;
        Path dir = workspace.scratchDir("bun");
        byte[] packageJson = "{\"private\": true, \"dependencies\": {\"bun\": \"latest\"}}\n".getBytes(StandardCharsets.UTF_8);
        Availability installed = Npm.install(dir, packageJson, workspace, "npm-bun");
        if (!installed.ready()) return Installed.not(installed);
        Optional<Path> bun = bunBinary(dir.resolve("node_modules"));
        if (bun.isEmpty()) return Installed.not(Availability.broken("npm package bun installed no runnable bun binary"));
        String version = Proc.run(Proc.Spec.of(List.of(bun.get().toString(), "--version")), QUERY_TIMEOUT).answer();
        String tokenVersion = token.availability().detail().replaceFirst(" under node .*", "");
        List<Artifact> provenance = new java.util.ArrayList<>(token.provenance().subList(0, 1));
        provenance.addAll(Npm.artifacts(dir, List.of("bun")));
        return new Installed(List.of(bun.get().toString()), token.cli(), Availability.ready(tokenVersion + " under bun " + version), provenance);
    }

    /**
     * bun's postinstall moves the real binary into .bin/bun; when install scripts
     * are off, the platform package still has it.
     */
    static Optional<Path> bunBinary(Path nodeModules) {
        Path linked = nodeModules.resolve(".bin").resolve("bun");
        if (launches(linked)) return Optional.of(linked);
        Path oven = nodeModules.resolve("@oven");
        if (!Files.isDirectory(oven)) return Optional.empty();
        try (Stream<Path> platforms = Files.list(oven)) {
            return platforms.map(p -> p.resolve("bin").resolve("bun")).filter(JsToolchain::launches).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static boolean launches(Path binary) {
        return Files.isExecutable(binary) && Proc.run(Proc.Spec.of(List.of(binary.toString(), "--version")), QUERY_TIMEOUT).ok();
    }
}
