package lib.clients;

//FILES clients/swift/Package.swift=../../clients/swift/Package.swift
//FILES clients/swift/Sources/moq-smoke/main.swift=../../clients/swift/Sources/moq-smoke/main.swift

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
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
import lib.toolchain.SwiftPackage;

/**
 * The SwiftPM package moq-dev/moq-swift (product Moq, over the MoqFFI XCFramework that
 * moq-dev/moq-swift-ffi ships), built from: its latest release with
 * clients/swift/Package.swift and main.swift. The XCFramework is Apple-only, so the
 * client runs on macOS and its cells are unsupported elsewhere. Subscribe only, like
 * upstream's own smoke client.
 */
public final class SwiftClient implements Client {
    static final String URL = "https://github.com/moq-dev/moq-swift";
    static final String IDENTITY = "moq-swift";
    static final String PRODUCT = "moq-smoke";

    @Override
    public String name() {
        return "swift";
    }

    @Override
    public int order() {
        return 50;
    }

    @Override
    public Set<Role> roles() {
        return Set.of(Role.SUBSCRIBE);
    }

    @Override
    public Set<Platform> platforms() {
        return EnumSet.of(Platform.MACOS);
    }

    @Override
    public String source() {
        return "SwiftPM moq-dev/moq-swift (+ MoqFFI), macOS";
    }

    @Override
    public Availability check(ClientContext context) {
        return SwiftPackage.unreachableReason().map(Availability::unavailable)
                .orElse(Availability.ready("swift found; moq-swift resolved and built on run"));
    }

    @Override
    public Installed install(ClientContext context) {
        SwiftPackage built = context.shared("swift-package", () -> {
            Path scratch = context.workspace().scratchDir("swift");
            Resources.extract("clients/swift/Sources/moq-smoke/main.swift", scratch, false);
            Path manifest = Resources.extract("clients/swift/Package.swift", scratch, false);
            return SwiftPackage.build(manifest.getParent(), PRODUCT, URL, IDENTITY, context.workspace(), "swift-moq");
        });
        if (!built.availability().ready()) return Client.notInstalled(built.availability());
        return new Program(built.binary(), built.versions(), built.availability());
    }

    /**
     * How the built subscriber is run for target: the relay URL travels in MOQ_CONNECT.
     * Under quic the program still races WebSocket (the wrapper can neither turn the fallback
     * off nor delay it, so QUIC races with the bindings' own head start, not QUIC_HEAD_START), so the harness sees and names a fallback.
     */
    public static Proc.Spec subscribeCommand(Path binary, Target target) {
        List<String> command = new ArrayList<>(List.of(binary.toString(), "subscribe", "--broadcast", target.broadcast(),
                "--timeout", Long.toString(target.timeout().toSeconds() + 5),
                "--transport", target.transport() == Transport.WEBSOCKET ? "websocket" : "any"));
        return new Proc.Spec(command, Map.of("MOQ_CONNECT", target.relay().toString()), null);
    }

    /** The built program, fixed at install. */
    private record Program(Path binary, Map<String, String> versions, Availability availability) implements Installed {
        public Side publish(Target target, SideIO io) {
            throw new UnsupportedOperationException("the swift client subscribes only");
        }

        public Side subscribe(Target target, SideIO io) {
            Launch launch = Launch.subscriber(subscribeCommand(binary, target), MarkerProbe.factory(), false, Transport.Reader.DECLARED_LINE);
            return ProcessSide.start(io.label(), launch, io.dir().resolve("subscriber.log"), null, null);
        }
    }
}
