package lib.delivery;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import lib.core.Artifact;
import lib.core.Availability;
import lib.core.InstallErrors;
import lib.core.Proc;

/**
 * A Rust binary under test as a channel delivered it: the command that runs it
 * (a path, or a wrapper script for the container channel), whether it can run, and
 * what the channel fetched for it (provenance: the crate and its checksum, the image digest).
 */
public record Tool(String name, List<String> command, Availability availability, List<Artifact> provenance) {
    public Tool {
        command = List.copyOf(command);
        provenance = List.copyOf(provenance);
    }

    public Tool(String name, List<String> command, Availability availability) {
        this(name, command, availability, List.of());
    }

    public Tool withProvenance(List<Artifact> fetched) {
        return new Tool(name, command, availability, fetched);
    }

    public static Tool at(String name, Path binary) {
        return new Tool(name, List.of(binary.toString()), Availability.ready(""));
    }

    public static Tool missing(String name, Availability why) {
        return new Tool(name, List.of(), why);
    }

    public List<String> with(String... args) {
        List<String> full = new ArrayList<>(command);
        full.addAll(List.of(args));
        return full;
    }

    /** How long a binary may take to print its version: it only has to start and print. */
    public static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);
    /** The same for a containerised binary, which starts a container first (the image is already pulled). */
    public static final Duration CONTAINER_PROBE_TIMEOUT = Duration.ofSeconds(30);

    /** {@link #launchChecked(Duration)} within {@link #PROBE_TIMEOUT}. */
    public Tool launchChecked() {
        return launchChecked(PROBE_TIMEOUT);
    }

    /**
     * Runs the binary once with --version. A binary that will not start (a missing
     * shared library, a wrong architecture) is a packaging break: BROKEN, with the
     * loader's own words. So is one that does not answer within probe: its process
     * tree is killed, so a hung binary costs the run seconds, not its whole budget.
     */
    public Tool launchChecked(Duration probe) {
        if (!availability.ready()) return this;
        Proc.Result result = Proc.run(Proc.Spec.of(with("--version")), probe);
        if (result.timedOut()) {
            return new Tool(name, command, Availability.broken(name + " --version did not answer within "
                    + (probe.toMillis() % 1000 == 0 ? probe.toSeconds() + "s" : probe.toMillis() + "ms")), provenance);
        }
        if (!result.ok()) {
            String why = result.output().isBlank() ? "exit code " + result.exitCode() : result.lastLine();
            return new Tool(name, command, Availability.broken(name + " does not launch: " + why), provenance);
        }
        return new Tool(name, command, Availability.ready(result.answer()), provenance);
    }

    /**
     * A failed install: unavailable when the output says the source could not be
     * reached, broken otherwise (the package was reached, or the registry said it
     * does not exist). The reason is the tool's first real error line.
     */
    static Tool installFailed(Crate crate, String what, Proc.Result result) {
        InstallErrors.Tool tool = InstallErrors.Tool.of(what.split(" ")[0]);
        String why = what + " failed: " + (result.timedOut() ? "timed out" : InstallErrors.firstError(tool, result.output()).orElse("exit code " + result.exitCode()));
        return missing(crate.binaries.get(0), InstallErrors.unreachable(result.output()) ? Availability.unavailable(why) : Availability.broken(why));
    }

    /** The version line the binary printed, once launchChecked. */
    public String version() {
        return availability.ready() ? availability.detail() : "";
    }
}
