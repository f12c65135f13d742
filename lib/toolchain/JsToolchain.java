package lib.toolchain;

//FILES clients/token/js/package.json=../../clients/token/js/package.json

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import lib.core.Availability;
import lib.core.Commands;
import lib.core.InstallErrors;
import lib.core.Proc;
import lib.core.Resources;
import lib.core.Secrets;
import lib.core.Workspace;

/**
 * npm @moq/token and the bun runtime, installed fresh at latest into the run's
 * scratch dir with no lock file, so every run tests what npm serves today.
 * bun comes from npm too (the bun package), so the machine needs only node and npm.
 */
public final class JsToolchain {
    static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(30);
    private static final String PACKAGE = "@moq/token";

    private JsToolchain() {}

    /** A runtime and the CLI it runs, or why there is none. */
    public record Installed(List<String> runtime, Path cli, Availability availability) {
        static Installed not(Availability why) {
            return new Installed(List.of(), null, why);
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
        try {
            Files.write(dir.resolve("package.json"), Resources.bytes("clients/token/js/package.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Optional<Availability> failed = npmInstall(dir, workspace, "npm-token");
        if (failed.isPresent()) return Installed.not(failed.get());
        Path pkg = dir.resolve("node_modules").resolve(PACKAGE);
        JsonNode manifest = manifest(pkg);
        JsonNode bin = manifest.path("bin");
        String cli = bin.isTextual() ? bin.asText() : bin.path("moq-token").asText();
        if (cli.isEmpty() || !Files.isRegularFile(pkg.resolve(cli))) {
            return Installed.not(Availability.broken(PACKAGE + " " + manifest.path("version").asText() + " declares no moq-token bin"));
        }
        String node = Proc.run(Proc.Spec.of(List.of("node", "--version")), QUERY_TIMEOUT).lastLine();
        return new Installed(List.of("node"), pkg.resolve(cli).normalize(),
                Availability.ready(PACKAGE + " " + manifest.path("version").asText() + " under node " + node));
    }

    /** Installs the bun runtime from npm and runs the same CLI under it. */
    public static Installed underBun(Installed token, Workspace workspace) {
        if (!token.availability().ready()) return token;
        Path dir = workspace.scratchDir("bun");
        try {
            Files.writeString(dir.resolve("package.json"), "{\"private\": true, \"dependencies\": {\"bun\": \"latest\"}}\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Optional<Availability> failed = npmInstall(dir, workspace, "npm-bun");
        if (failed.isPresent()) return Installed.not(failed.get());
        Optional<Path> bun = bunBinary(dir.resolve("node_modules"));
        if (bun.isEmpty()) return Installed.not(Availability.broken("npm package bun installed no runnable bun binary"));
        String version = Proc.run(Proc.Spec.of(List.of(bun.get().toString(), "--version")), QUERY_TIMEOUT).lastLine();
        String tokenVersion = token.availability().detail().replaceFirst(" under node .*", "");
        return new Installed(List.of(bun.get().toString()), token.cli(), Availability.ready(tokenVersion + " under bun " + version));
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

    /**
     * Empty on success; else unavailable when npm could not reach its registry, broken
     * otherwise (a 404 for a dependency included), with npm's own error line.
     */
    private static Optional<Availability> npmInstall(Path dir, Workspace workspace, String logName) {
        List<String> command = List.of("npm", "install", "--no-package-lock", "--no-audit", "--no-fund");
        Proc.Result result = Proc.run(new Proc.Spec(command, java.util.Map.of(), dir), INSTALL_TIMEOUT);
        Path log = workspace.logDir("provision").resolve(logName + ".log");
        try {
            Files.writeString(log, "$ " + String.join(" ", command) + "\n" + Secrets.redact(result.output()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (result.ok()) return Optional.empty();
        String why = "npm install in " + dir.getFileName() + " failed: " + (result.timedOut() ? "timed out"
                : InstallErrors.firstError(InstallErrors.Tool.NPM, result.output()).orElse("exit code " + result.exitCode()));
        boolean unreachable = !InstallErrors.notFound(result.output()) && InstallErrors.unreachable(result.output());
        return Optional.of(unreachable ? Availability.unavailable(why) : Availability.broken(why));
    }

    private static JsonNode manifest(Path pkg) {
        try {
            return new ObjectMapper().readTree(pkg.resolve("package.json").toFile());
        } catch (IOException e) {
            return new ObjectMapper().createObjectNode();
        }
    }
}
