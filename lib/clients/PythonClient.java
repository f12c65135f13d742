package lib.clients;

//FILES clients/python/smoke.py=../../clients/python/smoke.py

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import lib.core.Artifact;
import lib.core.Availability;
import lib.core.Pins;
import lib.core.Proc;
import lib.core.Resources;
import lib.media.Launch;
import lib.media.MarkerProbe;
import lib.media.ProcessSide;
import lib.media.Side;
import lib.media.Transport;
import lib.toolchain.Latest;
import lib.toolchain.PythonEnv;

/**
 * PyPI moq-rs (import moq, native dependency moq-ffi), installed at latest with uv
 * into a fresh venv, driven by clients/python/smoke.py: it publishes H.264 from
 * stdin through the package's streaming video API and subscribes by announcement,
 * catalog and video track.
 */
public final class PythonClient implements Client {
    static final List<String> PACKAGES = List.of("moq-rs");
    /** The distributions whose versions are under test: the package and its native bindings. */
    static final List<String> UNDER_TEST = List.of("moq-rs", "moq-ffi");

    @Override
    public String name() {
        return "python";
    }

    @Override
    public int order() {
        return 10;
    }

    @Override
    public Set<Role> roles() {
        return Set.of(Role.PUBLISH, Role.SUBSCRIBE);
    }

    @Override
    public String source() {
        return "PyPI moq-rs (+ moq-ffi) via uv";
    }

    @Override
    public Availability check(ClientContext context) {
        return PythonEnv.unreachableReason().map(Availability::unavailable)
                .orElse(Availability.ready("python3 found; moq-rs installed on run"));
    }

    @Override
    public Installed install(ClientContext context) {
        PythonEnv env = context.shared("python-venv",
                () -> PythonEnv.create(context.workspace().scratchDir("python-venv"), PACKAGES, UNDER_TEST, context.workspace()));
        if (!env.availability().ready()) return Client.notInstalled(env.availability());
        Map<String, String> installed = env.versions();
        Map<String, String> versions = new LinkedHashMap<>();
        UNDER_TEST.forEach(name -> versions.put(name, installed.getOrDefault(name, "")));
        Pins pins = context.workspace().pins();
        Map<String, String> newest = UNDER_TEST.stream().allMatch(pins::has) ? Map.of() : env.newest(PACKAGES);
        List<String> older = new ArrayList<>();
        for (String name : UNDER_TEST) {
            Latest.check(pins, "uv", name, versions.get(name), () -> Optional.ofNullable(newest.get(name))).ifPresent(older::add);
        }
        if (!older.isEmpty()) return Client.notInstalled(Availability.broken(String.join("; ", older)));
        Path program = Resources.extract("clients/python/smoke.py", context.workspace().scratchDir("python"), false);
        List<Artifact> artifacts = env.artifacts(UNDER_TEST, context.workspace().provisionLog("uv-provenance.log"));
        // Named as the other clients are: the package under test, then what runs it.
        Availability ready = Availability.ready(UNDER_TEST.stream().map(n -> n + " " + versions.get(n)).collect(java.util.stream.Collectors.joining(", "))
                + " under " + env.availability().detail());
        return new Program(env.python(), program, versions, ready, artifacts);
    }

    /** The venv's interpreter and the client program, fixed at install. */
    private record Program(Path python, Path program, Map<String, String> versions, Availability availability, List<Artifact> artifacts)
            implements Installed {
        public Side publish(Target target, SideIO io) {
            Launch launch = Launch.publisher(command(target, "publish"), true, Transport.Reader.DECLARED_LINE);
            return ProcessSide.start(io.label(), launch, io.dir().resolve("publisher.log"), null, io.h264().get());
        }

        public Side subscribe(Target target, SideIO io) {
            List<String> args = List.of("--timeout", Long.toString(target.timeout().toSeconds() + 5));
            Launch launch = Launch.subscriber(command(target, "subscribe", args), MarkerProbe.factory(), false, Transport.Reader.DECLARED_LINE);
            return ProcessSide.start(io.label(), launch, io.dir().resolve("subscriber.log"), null, null);
        }

        /**
         * The relay URL travels in MOQ_CONNECT, not argv. Under quic the program still
         * races WebSocket, with QUIC's head start, so a fallback is seen and named
         * rather than hidden.
         */
        private Proc.Spec command(Target target, String role, List<String> extra) {
            List<String> command = new ArrayList<>(List.of(python.toString(), program.toString(), role, "--broadcast", target.broadcast(),
                    "--transport", target.transport() == Transport.WEBSOCKET ? "websocket" : "any"));
            command.addAll(extra);
            Map<String, String> env = new java.util.HashMap<>(Map.of("MOQ_CONNECT", target.relay().toString(), "PYTHONUNBUFFERED", "1"));
            if (target.transport() == Transport.QUIC) env.put("SMOKE_WEBSOCKET_DELAY_MS", Long.toString(Transport.QUIC_HEAD_START.toMillis()));
            return new Proc.Spec(command, env, null);
        }

        private Proc.Spec command(Target target, String role) {
            return command(target, role, List.of());
        }
    }
}
