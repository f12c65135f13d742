package lib.delivery;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import lib.core.Artifact;
import lib.core.Availability;
import lib.core.Commands;
import lib.core.InstallErrors;
import lib.core.Pins;
import lib.core.Proc;
import lib.core.Provenance;
import lib.core.Resources;
import lib.core.UsageError;
import lib.core.Workspace;

/**
 * How the published Rust binaries reach the machine. Each channel is a separate
 * thing under test (the same code, packaged five ways). path takes what is on PATH;
 * cargo, brew and nix install the latest themselves; apt needs the package
 * installed beforehand (as root, by CI or the user); docker wraps the images.
 */
public enum Channel {
    PATH, CARGO, APT, BREW, NIX, DOCKER;

    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(60);
    private static final Duration QUERY_TIMEOUT = Duration.ofMinutes(2);

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Locates or installs crate's binary and checks that it launches. */
    public Tool provide(Crate crate, Workspace workspace) {
        Tool tool = switch (this) {
            case PATH -> fromPath(crate);
            case CARGO -> Cargo.install(crate, workspace);
            case APT -> fromApt(crate);
            case BREW -> fromBrew(crate);
            case NIX -> fromNix(crate);
            case DOCKER -> fromDocker(crate, workspace, dockerRuntime());
        };
        Optional<String> noDigest = switch (this) {
            case PATH -> Optional.of("a binary from PATH or " + crate.envVar + ", not fetched by the harness");
            case APT -> Optional.of("an apt package installed beforehand; the harness reads no digest from dpkg");
            case BREW, NIX -> Optional.of("the harness reads no digest from " + id());
            case CARGO, DOCKER -> Optional.empty();
        };
        if (tool.provenance().isEmpty() && noDigest.isPresent()) {
            tool = tool.withProvenance(List.of(Artifact.unknown(crate.crate, "", Artifact.Source.LOCAL, "", noDigest.get())));
        }
        return tool.launchChecked(this == DOCKER ? Tool.CONTAINER_PROBE_TIMEOUT : Tool.PROBE_TIMEOUT);
    }

    /**
     * The binary of crate an earlier run of this channel installed, not yet checked to be
     * the newest: only the cargo channel keeps one (in the cache). Empty for the other
     * channels and before the first install.
     */
    public Optional<Path> previouslyInstalled(Crate crate, Workspace workspace) {
        if (this != CARGO) return Optional.empty();
        Path bin = workspace.cacheDir("cargo").resolve("bin");
        return crate.binaries.stream().map(bin::resolve).filter(Files::isExecutable).findFirst();
    }

    /** The docker channel driven by runtime (docker, podman) rather than SMOKE_DOCKER, for a script with its own setting. */
    public static Tool docker(Crate crate, Workspace workspace, String runtime) {
        return fromDocker(crate, workspace, runtime).launchChecked(Tool.CONTAINER_PROBE_TIMEOUT);
    }

    /** Why runtime can't run containers here, if it can't. */
    public static Optional<String> dockerUnreachable(String runtime) {
        return Commands.missing(runtime).or(() -> engineDown(runtime));
    }

    /** Why this channel can't work here at all, without installing anything; empty if it can. */
    public Optional<String> unreachableReason() {
        return switch (this) {
            case PATH -> Optional.empty();
            case CARGO -> Commands.missing("cargo");
            case APT -> Commands.missing("dpkg-query").map(r -> r + ": not a Debian-based system");
            case BREW -> Commands.missing("brew");
            case NIX -> Commands.missing("nix");
            case DOCKER -> dockerUnreachable(dockerRuntime());
        };
    }

    static Tool fromPath(Crate crate) {
        String override = System.getenv(crate.envVar);
        if (override != null && !override.isBlank()) {
            Path path = Path.of(override);
            if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
                throw new UsageError(crate.envVar + "=" + override + " is not an executable file");
            }
            return Tool.at(crate.binaries.get(0), path);
        }
        for (String name : crate.binaries) {
            Optional<Path> found = Commands.which(name);
            if (found.isPresent()) return Tool.at(name, found.get());
        }
        throw new UsageError(String.join(" or ", crate.binaries) + " not found on PATH: install " + crate.crate
                + ", set " + crate.envVar + ", or pick another --channel (cargo installs it)");
    }

    private static Tool fromApt(Crate crate) {
        Optional<String> unreachable = APT.unreachableReason();
        if (unreachable.isPresent()) return Tool.missing(crate.binaries.get(0), Availability.unavailable(unreachable.get()));
        Proc.Result status = Proc.run(Proc.Spec.of(List.of("dpkg-query", "-W", "-f=${db:Status-Status}", crate.crate)), QUERY_TIMEOUT);
        if (!status.stdout().strip().equals("installed")) {
            Proc.Result policy = Proc.run(Proc.Spec.of(List.of("apt-cache", "policy", crate.crate)), QUERY_TIMEOUT);
            boolean offered = policy.output().lines().anyMatch(l -> l.strip().startsWith("Candidate:") && !l.contains("(none)"));
            return Tool.missing(crate.binaries.get(0), Availability.unavailable(offered
                    ? "package " + crate.crate + " is not installed (apt install " + crate.crate + ")"
                    : "no apt source offers " + crate.crate + " (add the moq apt repository, then apt install " + crate.crate + ")"));
        }
        Proc.Result files = Proc.run(Proc.Spec.of(List.of("dpkg-query", "-L", crate.crate)), QUERY_TIMEOUT);
        for (String name : crate.binaries) {
            Optional<Path> binary = files.stdout().lines().filter(l -> l.endsWith("/bin/" + name)).map(Path::of).findFirst();
            if (binary.isPresent()) return Tool.at(name, binary.get());
        }
        return Tool.missing(crate.binaries.get(0), Availability.broken(
                "apt package " + crate.crate + " installs no " + String.join(" or ", crate.binaries)));
    }

    private static Tool fromBrew(Crate crate) {
        Optional<String> unreachable = BREW.unreachableReason();
        if (unreachable.isPresent()) return Tool.missing(crate.binaries.get(0), Availability.unavailable(unreachable.get()));
        Proc.Result install = Proc.run(Proc.Spec.of(List.of("brew", "install", crate.tapFormula())), INSTALL_TIMEOUT);
        if (!install.ok()) return Tool.installFailed(crate, "brew install " + crate.tapFormula(), install);
        Proc.Result prefix = Proc.run(Proc.Spec.of(List.of("brew", "--prefix", crate.tapFormula())), QUERY_TIMEOUT);
        return inBinDir(crate, Path.of(prefix.answer()), "brew formula " + crate.tapFormula());
    }

    private static Tool fromNix(Crate crate) {
        Optional<String> unreachable = NIX.unreachableReason();
        if (unreachable.isPresent()) return Tool.missing(crate.binaries.get(0), Availability.unavailable(unreachable.get()));
        // --refresh: the moq flake is always taken at its latest default-branch build, never locked.
        List<String> build = List.of("nix", "--extra-experimental-features", "nix-command flakes", "build",
                "--refresh", "--no-link", "--print-out-paths", crate.flakeOutput());
        Proc.Result result = Proc.run(Proc.Spec.of(build), INSTALL_TIMEOUT);
        if (!result.ok()) return Tool.installFailed(crate, "nix build " + crate.flakeOutput(), result);
        return inBinDir(crate, Path.of(result.answer()), "nix output " + crate.flakeOutput());
    }

    private static Tool fromDocker(Crate crate, Workspace workspace, String runtime) {
        Optional<String> unreachable = dockerUnreachable(runtime);
        if (unreachable.isPresent()) return Tool.missing(crate.binaries.get(0), Availability.unavailable(unreachable.get()));
        String image = image(crate, workspace.pins());
        Proc.Result pull = Proc.run(Proc.Spec.of(List.of(runtime, "pull", image)), INSTALL_TIMEOUT);
        if (!pull.ok()) return Tool.installFailed(crate, runtime + " pull " + image, pull);
        Proc.Result inspect = Proc.run(Proc.Spec.of(List.of(runtime, "image", "inspect", "--format", "{{json .RepoDigests}}", image)), QUERY_TIMEOUT);
        Artifact pulled = inspect.ok() ? Provenance.image(image, inspect.stdout())
                : Artifact.unknown(crate.image().replaceFirst(":latest$", ""), "", Artifact.Source.IMAGE, image, runtime + " image inspect failed: " + inspect.lastLine());
        Path wrapper = Resources.extract("clients/docker/run", workspace.scratch(), true);
        // env: the wrapper reads its runtime from SMOKE_DOCKER, and a Tool is a bare command. bash reads
        // the wrapper rather than the kernel exec'ing it: the relay's and a client's install write it
        // while other threads start processes, and a child started in that moment holds it open for
        // writing until its own exec ("Text file busy" for whoever runs it then).
        return new Tool(crate.binaries.get(0),
                List.of("env", "SMOKE_DOCKER=" + runtime, "bash", wrapper.toString(), "--mount", workspace.scratch().toString(), image),
                Availability.ready(""), List.of(pulled));
    }

    /** The image reference to pull: :latest, or the pinned tag, or the pinned digest (sha256:…) by digest. */
    static String image(Crate crate, Pins pins) {
        String repository = crate.image().replaceFirst(":latest$", "");
        return pins.version(repository).map(v -> v.contains(":") ? repository + "@" + v : repository + ":" + v).orElse(crate.image());
    }

    private static Tool inBinDir(Crate crate, Path prefix, String source) {
        for (String name : crate.binaries) {
            Path binary = prefix.resolve("bin").resolve(name);
            if (Files.isExecutable(binary)) return Tool.at(name, binary);
        }
        return Tool.missing(crate.binaries.get(0), Availability.broken(
                source + " has no bin/" + String.join(" or bin/", crate.binaries)));
    }

    static String dockerRuntime() {
        String runtime = System.getenv("SMOKE_DOCKER");
        return runtime == null || runtime.isBlank() ? "docker" : runtime;
    }

    private static Optional<String> engineDown(String runtime) {
        Proc.Result info = Proc.run(Proc.Spec.of(List.of(runtime, "info")), Duration.ofSeconds(30));
        if (info.ok()) return Optional.empty();
        return Optional.of("no container engine answers (" + runtime + " info: " + InstallErrors.firstError(InstallErrors.Tool.DOCKER, info.output()).orElse("no output") + ")");
    }

}
