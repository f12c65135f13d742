package lib.clients;

//FILES clients/c/subscribe.c=../../clients/c/subscribe.c
//FILES clients/c/CMakeLists.txt=../../clients/c/CMakeLists.txt

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import lib.core.Artifact;
import lib.core.Availability;
import lib.core.Commands;
import lib.core.InstallErrors;
import lib.core.Proc;
import lib.core.Resources;
import lib.delivery.GithubRelease;
import lib.media.Launch;
import lib.media.MarkerProbe;
import lib.media.ProcessSide;
import lib.media.Side;
import lib.media.Transport;
import lib.toolchain.CrateBuild;

/**
 * libmoq, the C bindings, subscribing through clients/c/subscribe.c. Each
 * subclass is one way a C user builds against it, its own cell, because each
 * breaks on its own: cc with -I/-L by hand, pkg-config over the shipped moq.pc,
 * or CMake's find_package over the shipped package config. The library comes
 * from one of three sources (--client-source): the platform tarball of the latest
 * libmoq-v* GitHub release (include/, lib/libmoq.a, lib/pkgconfig/moq.pc,
 * lib/cmake/moq/), the crate libmoq built with cargo, or MOQ_C_LIB_DIR, a local
 * build laid out like the tarball. A source provides only what it ships.
 */
public abstract class Libmoq extends ThreeSourceSubscriber {
    static final String CRATE = "libmoq";
    static final String LOCAL_VARIABLE = "MOQ_C_LIB_DIR";
    static final String ARCHIVE = "libmoq.a";
    static final GithubRelease.Component RELEASE = new GithubRelease.Component(CRATE, "libmoq-v", "moq-");
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(5);

    /** How the subscriber is built against the library: one cell each. */
    enum Build {
        DIRECT("cc", "cc -I -L", "cc -I… -L… -lmoq"), PKGCONFIG("pkg-config", "pkg-config", "cc with pkg-config --cflags --libs --static moq"),
        CMAKE("cmake", "CMake find_package", "CMake find_package(moq CONFIG)");

        final String tool;
        final String label;
        final String how;

        Build(String tool, String label, String how) {
            this.tool = tool;
            this.label = label;
            this.how = how;
        }
    }

    abstract Build build();

    @Override
    public String source() {
        return "libmoq: latest libmoq-v* release tarball, crate libmoq, or " + LOCAL_VARIABLE + "; " + build().label;
    }

    @Override
    public String source(ClientContext context) {
        return describe(packageSource(context).orElseThrow()) + "; " + build().label;
    }

    static String describe(PackageSource source) {
        return switch (source) {
            case RELEASE -> "libmoq release tarball";
            case CRATE -> "crate libmoq (cargo)";
            case LOCAL -> "libmoq from " + LOCAL_VARIABLE;
        };
    }

    @Override
    String localVariable() {
        return LOCAL_VARIABLE;
    }

    static Optional<Path> localDir() {
        return localDir(LOCAL_VARIABLE);
    }

    @Override
    public Availability check(ClientContext context) {
        PackageSource source = packageSource(context).orElseThrow();
        Optional<String> missing = Commands.missing("cc").or(() -> build() == Build.DIRECT ? Optional.empty()
                : Commands.missing(build().tool).map(m -> m + " (Debian: " + build().tool + ")"));
        if (missing.isEmpty() && source == PackageSource.CRATE) missing = CrateBuild.unreachableReason();
        if (missing.isPresent()) return Availability.unavailable(missing.get());
        if (source == PackageSource.RELEASE && GithubRelease.target().isEmpty()) {
            return Availability.unsupported("moq publishes no libmoq release tarball for " + System.getProperty("os.name") + "/" + System.getProperty("os.arch"));
        }
        return Availability.ready(build().tool + " found; " + describe(source) + (source == PackageSource.LOCAL ? " " + localDir().orElseThrow()
                : source == PackageSource.RELEASE ? " (latest libmoq-v*) fetched on run" : " built on run"));
    }

    /**
     * The library as one source provides it: include dir and libmoq.a always;
     * pcDir (lib/pkgconfig) and cmakePrefix (above lib/cmake/moq) when the source
     * ships them. origin names the package in errors, detail in the availability text.
     */
    record Library(PackageSource source, String version, Path include, Path archive, Optional<Path> pcDir, Optional<Path> cmakePrefix,
            String origin, String detail, Map<String, String> versions, Artifact fetched, Optional<Path> crateSource, Availability availability) {
        static Library not(PackageSource source, Availability why, Artifact fetched) {
            return new Library(source, "", null, null, Optional.empty(), Optional.empty(), "", "", Map.of(), fetched, Optional.empty(), why);
        }
    }

    @Override
    public Installed install(ClientContext context) {
        PackageSource source = packageSource(context).orElseThrow();
        Availability here = check(context);
        if (!here.ready()) return Client.notInstalled(here, source, List.of());
        Library library = context.shared("libmoq-" + source.id(), () -> obtain(source, context));
        if (!library.availability().ready()) return Client.notInstalled(library.availability(), source, List.of(library.fetched()));
        Path dir = context.workspace().scratchDir(name());
        Path program = Resources.extract("clients/c/subscribe.c", dir, false);
        Path binary;
        try {
            binary = switch (build()) {
                case DIRECT -> direct(library, program, dir, context);
                case PKGCONFIG -> pkgConfig(library, program, dir, context);
                case CMAKE -> cmake(library, dir, context);
            };
        } catch (NotBuilt e) {
            return Client.notInstalled(e.why, source, List.of(library.fetched()));
        }
        return new Program(binary, library.versions(), List.of(library.fetched()), source,
                Availability.ready(CRATE + " " + library.version() + " from " + library.detail() + ", built with " + build().how));
    }

    /** Why the subscriber could not be built this way from this library. */
    private static final class NotBuilt extends Exception {
        private static final long serialVersionUID = 1L;
        final transient Availability why;

        NotBuilt(Availability why) {
            super(why.toString(), null, false, false);
            this.why = why;
        }
    }

    private static Library obtain(PackageSource source, ClientContext context) {
        return switch (source) {
            case RELEASE -> {
                String target = GithubRelease.target().orElseThrow();
                GithubRelease.Fetched fetched = GithubRelease.fetch(GithubRelease.api(), RELEASE, target, context.workspace(),
                        context.workspace().provisionLog("release-libmoq.log"));
                if (!fetched.availability().ready()) yield Library.not(source, fetched.availability(), fetched.artifact(CRATE));
                Path root = fetched.root();
                yield checked(new Library(source, fetched.version(), root.resolve("include"), root.resolve("lib").resolve(ARCHIVE),
                        Optional.of(root.resolve("lib/pkgconfig")), Optional.of(root), "the release tarball " + fetched.asset(),
                        "the release " + fetched.describe(), Map.of(CRATE, fetched.version()), fetched.artifact(CRATE), Optional.empty(),
                        Availability.ready(fetched.tag())));
            }
            case CRATE -> {
                CrateBuild.Built built = CrateBuild.build(CRATE, context.workspace());
                if (!built.availability().ready()) yield Library.not(source, built.availability(), built.fetched());
                Optional<Path> archive = built.artifact(".a");
                if (built.outDir().isEmpty() || archive.isEmpty()) {
                    yield Library.not(source, Availability.broken("cargo build of " + CRATE + " " + built.version() + " left no header dir or libmoq.a"),
                            built.fetched());
                }
                // The crate ships moq.pc.in and its CMake templates, rendered only when packaging
                // releases; a crate whose build renders moq.pc into the profile dir gets it used.
                Path rendered = archive.get().getParent().resolve("lib/pkgconfig");
                boolean pc = rendersPc(rendered.resolve("moq.pc"), built.version());
                yield checked(new Library(source, built.version(), built.outDir().get().resolve("include"), archive.get(),
                        pc ? Optional.of(rendered) : Optional.empty(), Optional.empty(), "crate " + CRATE + " " + built.version(), "the crate",
                        Map.of(CRATE, built.version()), built.fetched(), Optional.ofNullable(built.source()), Availability.ready(built.version())));
            }
            case LOCAL -> {
                Path dir = localDir().orElseThrow();
                String version = "local " + dir;
                yield checked(new Library(source, version, dir.resolve("include"), dir.resolve("lib").resolve(ARCHIVE),
                        Optional.of(dir.resolve("lib/pkgconfig")), Optional.of(dir), LOCAL_VARIABLE + "=" + dir, LOCAL_VARIABLE + "=" + dir,
                        Map.of(CRATE, version), Artifact.unknown(CRATE, version, Artifact.Source.LOCAL, dir.toString(),
                                "a local build (" + LOCAL_VARIABLE + "), not fetched"), Optional.empty(), Availability.ready(dir.toString())));
            }
        };
    }

    /** The header and static library every build needs, or broken naming the one missing. */
    private static Library checked(Library library) {
        for (Path needed : List.of(library.include().resolve("moq.h"), library.archive())) {
            if (!Files.isRegularFile(needed)) {
                return Library.not(library.source(), Availability.broken("libmoq from " + library.origin() + " has no " + needed), library.fetched());
            }
        }
        return library;
    }

    private static boolean rendersPc(Path pc, String version) {
        try {
            return Files.isRegularFile(pc) && Files.readAllLines(pc).stream().anyMatch(l -> l.strip().equals("Version: " + version));
        } catch (IOException e) {
            return false;
        }
    }

    /** What a static libmoq needs from the system, spelled out by hand (upstream's native-libs lists). */
    static List<String> systemLibs() {
        if (Platform.current() == Platform.MACOS) {
            List<String> flags = new ArrayList<>();
            for (String framework : List.of("CoreFoundation", "Security", "CoreServices", "Foundation", "AVFoundation", "CoreMedia",
                    "CoreVideo", "VideoToolbox", "ScreenCaptureKit", "CoreGraphics")) {
                flags.addAll(List.of("-framework", framework));
            }
            flags.add("-lc++");
            return flags;
        }
        return List.of("-ldl", "-lm", "-lpthread", "-lstdc++");
    }

    private Path direct(Library library, Path program, Path dir, ClientContext context) throws NotBuilt {
        Path binary = dir.resolve("subscribe");
        List<String> compile = new ArrayList<>(List.of("cc", "-O1", "-o", binary.toString(), program.toString(),
                "-I" + library.include(), "-L" + library.archive().getParent(), "-lmoq"));
        compile.addAll(systemLibs());
        step(compile, Map.of(), context, InstallErrors.Tool.CC, "cc against libmoq " + library.version());
        return binary;
    }

    private Path pkgConfig(Library library, Path program, Path dir, ClientContext context) throws NotBuilt {
        if (library.pcDir().isEmpty()) {
            throw new NotBuilt(Availability.unsupported(library.origin() + " renders no moq.pc: its build leaves only the moq.pc.in template"
                    + " (filled in when upstream packages the release tarballs), so there is nothing for pkg-config to read"));
        }
        if (!Files.isRegularFile(library.pcDir().get().resolve("moq.pc"))) {
            throw new NotBuilt(Availability.broken(library.origin() + " ships no lib/pkgconfig/moq.pc"));
        }
        Map<String, String> env = Map.of("PKG_CONFIG_PATH", library.pcDir().get().toString());
        // --static: libmoq is a static library, and the system libraries it needs are its Libs.private.
        String flags = step(List.of("pkg-config", "--cflags", "--libs", "--static", "moq"), env, context, InstallErrors.Tool.GENERIC,
                "pkg-config over " + library.pcDir().get().resolve("moq.pc"));
        Path binary = dir.resolve("subscribe");
        List<String> compile = new ArrayList<>(List.of("cc", "-O1", "-o", binary.toString(), program.toString()));
        compile.addAll(Arrays.stream(flags.strip().split("\\s+")).filter(f -> !f.isEmpty()).toList());
        step(compile, Map.of(), context, InstallErrors.Tool.CC, "cc with the flags moq.pc gives");
        return binary;
    }

    private Path cmake(Library library, Path dir, ClientContext context) throws NotBuilt {
        Path prefix = library.cmakePrefix().isPresent() ? library.cmakePrefix().get() : installCrateConfig(library, dir, context);
        if (!Files.isRegularFile(prefix.resolve("lib/cmake/moq/moq-config.cmake"))) {
            throw new NotBuilt(Availability.broken(library.origin() + " ships no lib/cmake/moq/moq-config.cmake"));
        }
        Path source = Resources.extract("clients/c/CMakeLists.txt", dir, false).getParent();
        Path build = dir.resolve("cmake-build");
        step(List.of("cmake", "-S", source.toString(), "-B", build.toString(), "-DCMAKE_PREFIX_PATH=" + prefix, "-DCMAKE_BUILD_TYPE=Release"),
                Map.of(), context, InstallErrors.Tool.CMAKE, "cmake configure with find_package(moq) from " + prefix);
        step(List.of("cmake", "--build", build.toString()), Map.of(), context, InstallErrors.Tool.CMAKE, "cmake --build against moq::moq");
        return build.resolve("subscribe");
    }

    /**
     * The crate's own packaging of its CMake config: its CMakeLists.txt in prebuilt
     * mode over the library cargo built (the crate's default mode runs cargo itself,
     * against the monorepo's target dir), installed into a scratch prefix.
     */
    private Path installCrateConfig(Library library, Path dir, ClientContext context) throws NotBuilt {
        Path stage = dir.resolve("crate-stage");
        Path prefix = dir.resolve("crate-prefix");
        try {
            Files.createDirectories(stage.resolve("include"));
            Files.copy(library.include().resolve("moq.h"), stage.resolve("include/moq.h"), StandardCopyOption.REPLACE_EXISTING);
            Files.deleteIfExists(stage.resolve(ARCHIVE));
            try {
                Files.createLink(stage.resolve(ARCHIVE), library.archive());
            } catch (IOException | UnsupportedOperationException e) {
                Files.copy(library.archive(), stage.resolve(ARCHIVE));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path crate = library.crateSource().orElseThrow();
        Path build = dir.resolve("crate-cmake");
        step(List.of("cmake", "-S", crate.toString(), "-B", build.toString(), "-DBUILD_RUST_LIB=OFF", "-DRUST_DIR=" + stage,
                "-DCMAKE_INSTALL_PREFIX=" + prefix), Map.of(), context, InstallErrors.Tool.CMAKE, "the crate's CMakeLists.txt (prebuilt mode)");
        step(List.of("cmake", "--install", build.toString()), Map.of(), context, InstallErrors.Tool.CMAKE, "cmake --install of the crate's package config");
        return prefix;
    }

    /** Runs one build step, logged to provision/<name>-build.log; its stdout, or NotBuilt with the tool's first error. */
    private String step(List<String> command, Map<String, String> env, ClientContext context, InstallErrors.Tool tool, String what) throws NotBuilt {
        Proc.Result result = Proc.run(new Proc.Spec(command, env, null), BUILD_TIMEOUT);
        try {
            Files.writeString(context.workspace().provisionLog(name() + "-build.log"),
                    (env.isEmpty() ? "" : env + " ") + "$ " + String.join(" ", command) + "\n" + result.output() + "\n",
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (result.ok()) return result.stdout();
        throw new NotBuilt(Availability.broken(what + " failed: " + (result.timedOut() ? "timed out after " + BUILD_TIMEOUT.toMinutes() + " min"
                : InstallErrors.firstError(tool, result.output()).orElse("exit code " + result.exitCode()))));
    }

    /** The compiled subscriber, fixed at install. */
    private record Program(Path binary, Map<String, String> versions, List<Artifact> artifacts, PackageSource from, Availability availability)
            implements Installed {
        public Optional<PackageSource> source() {
            return Optional.of(from);
        }

        public Side publish(Target target, SideIO io) {
            throw new UnsupportedOperationException("the C cells subscribe only (libmoq has no raw-stream importer)");
        }

        /** The URL travels in MOQ_CONNECT; under quic the program races with QUIC's head start and reports what won. */
        public Side subscribe(Target target, SideIO io) {
            List<String> command = List.of(binary.toString(), "subscribe", "--broadcast", target.broadcast(),
                    "--timeout", Long.toString(target.timeout().toSeconds() + 5),
                    "--transport", target.transport() == Transport.WEBSOCKET ? "websocket" : "any");
            Map<String, String> env = new java.util.HashMap<>(Map.of("MOQ_CONNECT", target.relay().toString()));
            if (target.transport() == Transport.QUIC) env.put("SMOKE_WEBSOCKET_DELAY_MS", Long.toString(Transport.QUIC_HEAD_START.toMillis()));
            Launch launch = Launch.subscriber(new Proc.Spec(command, env, null),
                    MarkerProbe.factory(), false, Transport.Reader.DECLARED_LINE);
            return ProcessSide.start(io.label(), launch, io.dir().resolve("subscriber.log"), null, null);
        }
    }
}
