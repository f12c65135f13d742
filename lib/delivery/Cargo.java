package lib.delivery;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.zeroturnaround.exec.stream.LogOutputStream;

import lib.core.Artifact;
import lib.core.Availability;
import lib.core.Commands;
import lib.core.Proc;
import lib.core.Provenance;
import lib.core.Workspace;

/**
 * The cargo channel: `cargo install <crate>` into the cache, as a user would.
 * cargo itself skips the build when the newest published version is already
 * installed, and rebuilds when a newer one is out (or installs exactly the version
 * --pin names). All crates share one target dir so the common dependencies compile once.
 */
final class Cargo {
    private static final Duration TIMEOUT = Duration.ofMinutes(80);

    private Cargo() {}

    static Tool install(Crate crate, Workspace workspace) {
        var unreachable = Commands.missing("cargo");
        if (unreachable.isPresent()) return Tool.missing(crate.binaries.get(0), Availability.unavailable(unreachable.get()));
        Path root = workspace.cacheDir("cargo");
        Path log = workspace.provisionLog("cargo-install-" + crate.crate + ".log");
        List<String> command = new java.util.ArrayList<>(List.of("cargo", "install", "--root", root.toString(), crate.crate));
        workspace.pins().version(crate.crate).ifPresent(v -> command.addAll(List.of("--version", "=" + v)));
        Proc.Spec spec = new Proc.Spec(command,
                Map.of("CARGO_TARGET_DIR", workspace.cacheDir("cargo-target").toString()), null);
        System.err.println("cargo install " + crate.crate + " (compiles on the first run and when a new version is out; log: " + log + ")");
        PrintStream logStream;
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(log, "$ " + String.join(" ", command) + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            logStream = new PrintStream(Files.newOutputStream(log, StandardOpenOption.APPEND), true, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // One PrintStream for both streams: its println is one locked write, so a line of
        // one stream never lands inside a line of the other (the reason is read back from the log).
        Proc proc = Proc.start("cargo-" + crate.crate, spec, new Progress(logStream), new Progress(logStream), null);
        var code = proc.awaitExit(TIMEOUT);
        if (code.isEmpty()) proc.stop(Duration.ofSeconds(5));
        String output = readQuietly(log);
        if (code.orElse(-1) != 0) {
            return Tool.installFailed(crate, "cargo install " + crate.crate, new Proc.Result(code.orElse(-1), output, code.isEmpty()));
        }
        for (String name : crate.binaries) {
            Path binary = root.resolve("bin").resolve(name);
            if (Files.isExecutable(binary)) return Tool.at(name, binary).withProvenance(List.of(provenance(crate.crate, root)));
        }
        return Tool.missing(crate.binaries.get(0), Availability.broken(
                "cargo install " + crate.crate + " installed no " + String.join(" or ", crate.binaries)));
    }

    /** The version cargo recorded in the install root, and the .crate it fetched for it. */
    static Artifact provenance(String crate, Path root) {
        Optional<String> version = Optional.empty();
        try {
            Path record = root.resolve(".crates2.json");
            if (Files.isRegularFile(record)) version = Provenance.installedCrate(Files.readString(record), crate);
        } catch (IOException e) {
            version = Optional.empty();
        }
        if (version.isEmpty()) return Artifact.unknown(crate, "", Artifact.Source.CRATE, "", "cargo's .crates2.json in " + root + " does not list " + crate);
        return Provenance.crate(Provenance.cargoHome(), crate, version.get());
    }

    private static String readQuietly(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    /** Keeps cargo's whole output in the log and shows its progress lines as they come. */
    private static final class Progress extends LogOutputStream {
        private final PrintStream log;

        Progress(PrintStream log) {
            this.log = log;
            setOutputCharset("UTF-8");
        }

        @Override
        protected void processLine(String line) {
            log.println(line);
            String trimmed = line.strip();
            if (trimmed.startsWith("Compiling") || trimmed.startsWith("Installing") || trimmed.startsWith("Replacing")
                    || trimmed.startsWith("Ignored") || trimmed.startsWith("Finished") || trimmed.startsWith("error")) {
                System.err.println("  cargo: " + trimmed);
            }
        }

        @Override
        public void close() throws IOException {
            super.close();
            log.close();
        }
    }
}
