package lib.clients;

//FILES clients/go/main.go=../../clients/go/main.go

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import lib.core.Artifact;
import lib.core.Availability;
import lib.core.Proc;
import lib.core.Resources;
import lib.media.Launch;
import lib.media.MarkerProbe;
import lib.media.ProcessSide;
import lib.media.Side;
import lib.media.Transport;
import lib.toolchain.GoModule;

/**
 * The Go wrapper moq.dev/moq (over the cgo bindings moq.dev/moq-ffi, which carry a
 * prebuilt static library), fetched at @latest through the Go module proxy and built
 * with clients/go/main.go in a scratch module. Upstream renamed it from
 * github.com/moq-dev/moq-go (bindings github.com/moq-dev/moq-go-ffi, package in a moq/
 * subdirectory); the old path is tried when the new one does not resolve, and a build
 * against it carries a warning saying so.
 */
public final class GoClient implements Client {
    static final List<GoModule.Candidate> MODULES = List.of(
            new GoModule.Candidate("moq.dev/moq", "moq.dev/moq", "moq.dev/moq-ffi"),
            new GoModule.Candidate("github.com/moq-dev/moq-go", "github.com/moq-dev/moq-go/moq", "github.com/moq-dev/moq-go-ffi"));

    private final Map<String, String> goEnv;

    public GoClient() {
        this(Map.of());
    }

    /** goEnv: extra go command environment, e.g. a test's own GOPROXY; the user's own GOPROXY applies otherwise. */
    public GoClient(Map<String, String> goEnv) {
        this.goEnv = Map.copyOf(goEnv);
    }

    @Override
    public String name() {
        return "go";
    }

    @Override
    public int order() {
        return 20;
    }

    @Override
    public Set<Role> roles() {
        return Set.of(Role.PUBLISH, Role.SUBSCRIBE);
    }

    @Override
    public String source() {
        return "Go module moq.dev/moq (+ moq.dev/moq-ffi) @latest, cgo";
    }

    @Override
    public Availability check(ClientContext context) {
        return GoModule.unreachableReason().map(Availability::unavailable)
                .orElse(Availability.ready("go found; moq.dev/moq fetched and built on run"));
    }

    @Override
    public Installed install(ClientContext context) {
        GoModule module = context.shared("go-module", () -> GoModule.build(context.workspace().scratchDir("go"), MODULES,
                Resources.bytes("clients/go/main.go"), goEnv, context.workspace(), "go-moq"));
        if (!module.availability().ready()) return Client.notInstalled(module.availability());
        return new Program(module.binary(), module.versions(), module.warnings(), module.availability(), module.provenance());
    }

    /** The built client program, fixed at install. */
    private record Program(Path binary, Map<String, String> versions, List<String> warnings, Availability availability, List<Artifact> artifacts)
            implements Installed {
        public Side publish(Target target, SideIO io) {
            Launch launch = Launch.publisher(command(target, "publish", List.of()), true, Transport.Reader.DECLARED_LINE);
            return ProcessSide.start(io.label(), launch, io.dir().resolve("publisher.log"), null, io.h264().get());
        }

        public Side subscribe(Target target, SideIO io) {
            List<String> args = List.of("--timeout", Long.toString(target.timeout().toSeconds() + 5));
            Launch launch = Launch.subscriber(command(target, "subscribe", args), MarkerProbe.factory(), false, Transport.Reader.DECLARED_LINE);
            return ProcessSide.start(io.label(), launch, io.dir().resolve("subscriber.log"), null, null);
        }

        /**
         * The relay URL travels in MOQ_CONNECT, not argv. Under quic the program still
         * races WebSocket (the wrapper can neither turn the fallback off nor delay it, so QUIC
         * races with the bindings' own head start, not QUIC_HEAD_START), so a fallback is
         * seen and named by the harness rather than hidden.
         */
        private Proc.Spec command(Target target, String role, List<String> extra) {
            List<String> command = new ArrayList<>(List.of(binary.toString(), role, "--broadcast", target.broadcast(),
                    "--transport", target.transport() == Transport.WEBSOCKET ? "websocket" : "any"));
            command.addAll(extra);
            return new Proc.Spec(command, Map.of("MOQ_CONNECT", target.relay().toString()), null);
        }
    }
}
