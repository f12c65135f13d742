package lib.clients;

//FILES clients/c/subscribe.c=../../clients/c/subscribe.c

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import lib.core.Artifact;
import lib.core.Availability;
import lib.core.Commands;
import lib.core.InstallErrors;
import lib.core.Proc;
import lib.core.Resources;
import lib.media.Launch;
import lib.media.MarkerProbe;
import lib.media.ProcessSide;
import lib.media.Side;
import lib.media.Transport;
import lib.toolchain.CrateBuild;

/**
 * libmoq, the C bindings, subscribing through clients/c/subscribe.c compiled with
 * cc against the library's header and static library, as a C user links it. The
 * library comes from the crate libmoq, built with cargo (header from its build
 * script, libmoq.a from the release build), or from MOQ_C_LIB_DIR, a local build
 * laid out as include/moq.h and lib/libmoq.a.
 */
public final class CClient implements Client {
    static final String CRATE = "libmoq";
    /** What libmoq.a needs from the system (the crate's moq.pc.in Libs.private). */
    static final List<String> SYSTEM_LIBS = List.of("-ldl", "-lm", "-lpthread", "-lstdc++");
    private static final Duration COMPILE_TIMEOUT = Duration.ofMinutes(5);

    @Override
    public String name() {
        return "c";
    }

    @Override
    public int order() {
        return 60;
    }

    @Override
    public Set<Role> roles() {
        return Set.of(Role.SUBSCRIBE);
    }

    @Override
    public Set<Platform> platforms() {
        return Set.of(Platform.LINUX, Platform.MACOS);
    }

    @Override
    public String source() {
        return localDir().map(d -> "libmoq from MOQ_C_LIB_DIR").orElse("crate libmoq, built with cargo; cc");
    }

    static Optional<Path> localDir() {
        String dir = System.getenv("MOQ_C_LIB_DIR");
        return dir == null || dir.isBlank() ? Optional.empty() : Optional.of(Path.of(dir));
    }

    @Override
    public Availability check(ClientContext context) {
        Optional<String> missing = Commands.missing("cc").or(() -> localDir().isPresent() ? Optional.empty() : CrateBuild.unreachableReason());
        return missing.map(Availability::unavailable).orElse(Availability.ready("cc found; " + source()));
    }

    @Override
    public Installed install(ClientContext context) {
        Availability here = check(context);
        if (!here.ready()) return Client.notInstalled(here);
        Path include;
        Path library;
        String version;
        Artifact fetched;
        if (localDir().isPresent()) {
            include = localDir().get().resolve("include");
            library = localDir().get().resolve("lib").resolve("libmoq.a");
            version = "local " + localDir().get();
            fetched = Artifact.unknown(CRATE, version, Artifact.Source.LOCAL, library.toString(), "a local build (MOQ_C_LIB_DIR), not fetched");
        } else {
            CrateBuild.Built built = CrateBuild.build(CRATE, context.workspace());
            if (!built.availability().ready()) return Client.notInstalled(built.availability());
            Optional<Path> archive = built.artifact(".a");
            if (built.outDir().isEmpty() || archive.isEmpty()) {
                return Client.notInstalled(Availability.broken("cargo build of " + CRATE + " " + built.version() + " left no header dir or libmoq.a"));
            }
            include = built.outDir().get().resolve("include");
            library = archive.get();
            version = built.version();
            fetched = built.fetched();
        }
        if (!Files.isRegularFile(include.resolve("moq.h")) || !Files.isRegularFile(library)) {
            return Client.notInstalled(Availability.broken("libmoq " + version + " has no " + include.resolve("moq.h") + " or " + library));
        }
        Path dir = context.workspace().scratchDir("c");
        Path program = Resources.extract("clients/c/subscribe.c", dir, false);
        Path binary = dir.resolve("subscribe");
        List<String> compile = new ArrayList<>(List.of("cc", "-O1", "-o", binary.toString(), program.toString(), "-I" + include, library.toString()));
        compile.addAll(SYSTEM_LIBS);
        Proc.Result built = Proc.run(Proc.Spec.of(compile), COMPILE_TIMEOUT);
        try {
            Files.writeString(context.workspace().logDir("provision").resolve("c-compile.log"), "$ " + String.join(" ", compile) + "\n" + built.output());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        if (!built.ok()) {
            return Client.notInstalled(Availability.broken("cc against libmoq " + version + " failed: "
                    + InstallErrors.firstError(InstallErrors.Tool.GENERIC, built.output()).orElse("exit code " + built.exitCode())));
        }
        return new Program(binary, Map.of(CRATE, version), Availability.ready(CRATE + " " + version), List.of(fetched));
    }

    /** The compiled subscriber, fixed at install. */
    private record Program(Path binary, Map<String, String> versions, Availability availability, List<Artifact> artifacts) implements Installed {
        public Side publish(Target target, SideIO io) {
            throw new UnsupportedOperationException("the C cell subscribes only (libmoq has no raw-stream importer)");
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
