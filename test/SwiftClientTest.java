import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lib.clients.Client;
import lib.clients.ClientContext;
import lib.clients.Clients;
import lib.clients.Platform;
import lib.clients.SwiftClient;
import lib.core.Availability;
import lib.core.Proc;
import lib.core.Resources;
import lib.core.Workspace;
import lib.media.Transport;
import lib.toolchain.SwiftPackage;

/**
 * The swift client runs only where MoqFFI's XCFramework does: on Linux its cells are
 * unsupported without a toolchain being asked anything; the macOS build and run are
 * checked here by the command lines and the parsing of SwiftPM's answers.
 */
class SwiftClientTest {
    @TempDir Path dir;

    @Test
    void onLinuxTheClientIsUnsupportedWithoutAskingSwift() {
        assumeTrue(Platform.current() == Platform.LINUX, "this machine is not Linux");
        SwiftClient swift = new SwiftClient();
        assertEquals(java.util.Set.of(Platform.MACOS), swift.platforms());

        Availability listed = Clients.check(swift, ClientContext.checkOnly(null));
        assertEquals(Availability.State.UNSUPPORTED, listed.state());
        assertEquals("swift runs on macos, not linux", listed.detail());

        Workspace workspace = new Workspace(dir.resolve("cache"), dir.resolve("scratch"), dir.resolve("out"));
        try (ClientContext context = new ClientContext(workspace, null)) {
            Client.Installed installed = Clients.install(List.of(swift), context).get(swift);
            assertEquals(Availability.State.UNSUPPORTED, installed.availability().state());
        }
    }

    @Test
    void theMacosBuildAndRunCommandLines() {
        Path pkg = Path.of("/scratch/swift/clients/swift");
        assertEquals(List.of("swift", "build", "--package-path", "/scratch/swift/clients/swift", "-c", "release", "--product", "moq-smoke"),
                SwiftPackage.buildCommand(pkg, "moq-smoke"));
        assertEquals(List.of("swift", "package", "--package-path", "/scratch/swift/clients/swift", "show-dependencies", "--format", "json"),
                SwiftPackage.dependenciesCommand(pkg));
        Path binary = SwiftPackage.binary(pkg, "moq-smoke");
        assertEquals(Path.of("/scratch/swift/clients/swift/.build/release/moq-smoke"), binary);

        Client.Target target = new Client.Target(URI.create("http://127.0.0.1:4443"), "smoke-x.hang", Duration.ofSeconds(30), Transport.QUIC);
        Proc.Spec run = SwiftClient.subscribeCommand(binary, target);
        assertEquals(List.of(binary.toString(), "subscribe", "--broadcast", "smoke-x.hang", "--timeout", "35", "--transport", "any"), run.command());
        assertEquals(Map.of("MOQ_CONNECT", "http://127.0.0.1:4443"), run.env());
        Client.Target ws = new Client.Target(target.relay(), target.broadcast(), target.timeout(), Transport.WEBSOCKET);
        assertEquals("websocket", SwiftClient.subscribeCommand(binary, ws).command().get(7));
    }

    @Test
    void thePackageItBuildsDependsOnMoqSwiftAndPrintsTheContractLine() {
        String manifest = new String(Resources.bytes("clients/swift/Package.swift"), StandardCharsets.UTF_8);
        assertTrue(manifest.contains(".package(url: \"https://github.com/moq-dev/moq-swift\", from: "), manifest);
        assertTrue(manifest.contains(".executableTarget(name: \"moq-smoke\""), manifest);
        String main = new String(Resources.bytes("clients/swift/Sources/moq-smoke/main.swift"), StandardCharsets.UTF_8);
        assertTrue(main.contains("print(\"received \\(frame.payload.count) bytes from \\(name)\")"), main);
        assertTrue(main.contains("\"transport: \\(used)\\n\""), main);
    }

    @Test
    void readsResolvedVersionsAndTheNewestTag() {
        String json = "warning: some noise\n{\"identity\":\"moq-smoke\",\"name\":\"moq-smoke\",\"version\":\"unspecified\",\"dependencies\":["
                + "{\"identity\":\"moq-swift\",\"name\":\"Moq\",\"url\":\"https://github.com/moq-dev/moq-swift\",\"version\":\"0.4.4\",\"dependencies\":["
                + "{\"identity\":\"moq-swift-ffi\",\"name\":\"MoqFFI\",\"url\":\"https://github.com/moq-dev/moq-swift-ffi\",\"version\":\"0.3.12\",\"dependencies\":[]}]}]}";
        assertEquals(Map.of("moq-swift", "0.4.4", "moq-swift-ffi", "0.3.12"), SwiftPackage.versions(json));
        String tags = "a1\trefs/tags/0.4.3\nb2\trefs/tags/0.4.4\nc3\trefs/tags/1.0.0\nd4\trefs/tags/1.0.0^{}\ne5\trefs/tags/v0.9.1\n";
        assertEquals(Optional.of("1.0.0"), SwiftPackage.newestTag(tags));
    }
}
