package lib.clients;

//FILES clients/kotlin/Subscribe.java=../../clients/kotlin/Subscribe.java
//FILES clients/kotlin/jbang=../../jbang

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import lib.core.Availability;
import lib.core.Proc;
import lib.core.Resources;
import lib.media.Launch;
import lib.media.MarkerProbe;
import lib.media.ProcessSide;
import lib.media.Side;
import lib.media.Transport;
import lib.toolchain.JbangProgram;
import lib.toolchain.MavenArtifact;

/**
 * Maven Central dev.moq:moq (the Kotlin wrapper, whose POM brings its JVM variant and
 * the uniffi bindings dev.moq:moq-ffi with their native libraries) at RELEASE, as a
 * JBang user gets it, driven by clients/kotlin/Subscribe.java. Subscribe only:
 * publishing from the JVM needs per-frame calls the wrapper leaves to the caller. The
 * program is Java rather than a Kotlin script because JBang fetches kotlinc from GitHub
 * releases, which machines that reach only the package registries cannot download.
 */
public final class KotlinClient implements Client {
    static final String ARTIFACT = "dev.moq:moq";

    private final URI repository;

    public KotlinClient() {
        this(MavenArtifact.CENTRAL);
    }

    /** repository: where the artifacts come from (a test lays out its own). */
    public KotlinClient(URI repository) {
        this.repository = repository;
    }

    @Override
    public String name() {
        return "kotlin";
    }

    @Override
    public int order() {
        return 30;
    }

    @Override
    public Set<Role> roles() {
        return Set.of(Role.SUBSCRIBE);
    }

    @Override
    public String source() {
        return "Maven Central dev.moq:moq (+ dev.moq:moq-ffi) via JBang";
    }

    @Override
    public Availability check(ClientContext context) {
        return JbangProgram.unreachableReason().map(Availability::unavailable)
                .orElse(Availability.ready("jbang (or java and mvn) found; dev.moq:moq resolved on run"));
    }

    @Override
    public Installed install(ClientContext context) {
        JbangProgram program = context.shared("kotlin-jbang", () -> {
            Path dir = context.workspace().scratchDir("kotlin");
            Path launcher = Resources.extract("clients/kotlin/jbang", dir, true);
            Path script = Resources.extract("clients/kotlin/Subscribe.java", dir, false);
            return JbangProgram.build(launcher, script, repository, ARTIFACT, context.workspace(), "jbang-kotlin");
        });
        if (!program.availability().ready()) return Client.notInstalled(program.availability());
        return new Program(program.command(), program.env(), program.versions(), program.availability(), program.provenance());
    }

    /** The JBang command that runs the built program, fixed at install. */
    private record Program(List<String> command, Map<String, String> env, Map<String, String> versions, Availability availability,
            List<lib.core.Artifact> artifacts)
            implements Installed {
        public Side publish(Target target, SideIO io) {
            throw new UnsupportedOperationException("the kotlin client subscribes only");
        }

        /**
         * The relay URL travels in MOQ_CONNECT. Under quic the program still races
         * WebSocket (the bindings can neither turn the fallback off nor delay it, so QUIC
         * races with the bindings' own head start, not QUIC_HEAD_START), so the harness sees and
         * names a fallback.
         */
        public Side subscribe(Target target, SideIO io) {
            List<String> args = new ArrayList<>(command);
            args.addAll(List.of("subscribe", "--broadcast", target.broadcast(), "--timeout", Long.toString(target.timeout().toSeconds() + 5),
                    "--transport", target.transport() == Transport.WEBSOCKET ? "websocket" : "any"));
            Map<String, String> all = new java.util.HashMap<>(env);
            all.put("MOQ_CONNECT", target.relay().toString());
            Launch launch = Launch.subscriber(new Proc.Spec(args, all, null), MarkerProbe.factory(), false, Transport.Reader.DECLARED_LINE);
            return ProcessSide.start(io.label(), launch, io.dir().resolve("subscriber.log"), null, null);
        }
    }
}
