import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lib.clients.Client;
import lib.clients.ClientContext;
import lib.clients.GoClient;
import lib.core.Availability;
import lib.core.Workspace;
import lib.media.Side;
import lib.media.Transport;

/**
 * The go client against fake module proxies, with the real go command: a file
 * GOPROXY laid out like the real one serves stand-in modules, and a local HTTP proxy
 * answers 403 or 404 the way the Go module proxy does. Needs go (and a C compiler
 * for the cgo case) on PATH.
 */
@Tag("toolchain")
class GoClientTest {
    /** The build cache is content-addressed, so every test (and run) shares one and only the first compiles the standard library. */
    static final Path GO_BUILD_CACHE = Path.of(System.getProperty("java.io.tmpdir"), "moq-smoke-test-gocache");
    static final Path STUB = Path.of("test/fakes/go-moq/moq.go").toAbsolutePath();

    @TempDir Path dir;

    @Test
    void buildsTheProgramAgainstTheNewModulePathAndItSubscribes() throws Exception {
        Path proxy = dir.resolve("proxy");
        serve(proxy, "moq.dev/moq", "v0.6.0", Map.of("moq.go", Files.readString(STUB)));
        Client.Installed installed = install(Map.of("GOPROXY", proxy.toUri().toString()));

        assertTrue(installed.availability().ready(), installed.availability().toString());
        assertEquals("v0.6.0", installed.versions().get("moq.dev/moq"), installed.versions().toString());
        assertTrue(installed.versions().containsKey("moq.dev/moq-ffi"), "the bindings are under test too: " + installed.versions());
        assertEquals(java.util.List.of(), installed.warnings());

        Side subscriber = installed.subscribe(new Client.Target(URI.create("http://127.0.0.1:1"), "smoke-go.hang", Duration.ofSeconds(5), Transport.QUIC),
                new Client.SideIO("subscribe-go", Files.createDirectories(dir.resolve("cell")), InputStream::nullInputStream));
        try {
            assertEquals("received 4 bytes from smoke-go.hang", subscriber.frame().get(30, TimeUnit.SECONDS));
            assertEquals(0, subscriber.exit().get(30, TimeUnit.SECONDS));
        } finally {
            subscriber.stop();
        }
        assertEquals(Transport.QUIC, subscriber.transport().orElseThrow());
    }

    @Test
    void fallsBackToTheOldModulePathAndSaysSo() throws Exception {
        Path proxy = dir.resolve("proxy");
        serve(proxy, "github.com/moq-dev/moq-go", "v0.5.3", Map.of("moq/moq.go", Files.readString(STUB)));
        Client.Installed installed = install(Map.of("GOPROXY", proxy.toUri().toString()));

        assertTrue(installed.availability().ready(), installed.availability().toString());
        assertEquals("v0.5.3", installed.versions().get("github.com/moq-dev/moq-go"), installed.versions().toString());
        assertTrue(installed.warnings().get(0).startsWith("moq.dev/moq did not resolve"), installed.warnings().toString());
        assertTrue(installed.warnings().get(0).endsWith("built against github.com/moq-dev/moq-go instead"), installed.warnings().toString());
    }

    /** The seed's break: a published module whose cgo code includes a moq.h it does not ship. */
    @Test
    void aModuleMissingItsHeaderIsRedNamingTheHeader() throws Exception {
        Path proxy = dir.resolve("proxy");
        serve(proxy, "moq.dev/moq", "v0.6.1", Map.of("moq.go", "package moq\n\n// #include \"moq.h\"\nimport \"C\"\n"));
        Client.Installed installed = install(Map.of("GOPROXY", proxy.toUri().toString()));

        assertEquals(Availability.State.BROKEN, installed.availability().state(), installed.availability().toString());
        assertTrue(installed.availability().detail().matches("go build against moq.dev/moq v0.6.1 failed: .*moq\\.h: No such file or directory.*"),
                installed.availability().detail());
    }

    /** What the Go module proxy answers this project's machines for every moq module path. */
    @Test
    void aProxyThatRefusesThisMachineMakesItUnavailableQuotingTheProxy() throws Exception {
        HttpServer proxy = proxy(403, "This module version is not available.");
        try {
            Client.Installed installed = install(Map.of("GOPROXY", "http://127.0.0.1:" + proxy.getAddress().getPort()));
            Availability why = installed.availability();
            assertEquals(Availability.State.UNAVAILABLE, why.state(), why.toString());
            assertTrue(why.detail().contains("moq.dev/moq: go: moq.dev/moq@latest: module moq.dev/moq: reading http://127.0.0.1:"), why.detail());
            assertTrue(why.detail().contains("403 Forbidden (server response: This module version is not available.)"), why.detail());
            assertTrue(why.detail().contains("; github.com/moq-dev/moq-go: "), "both paths tried: " + why.detail());
        } finally {
            proxy.stop(0);
        }
    }

    @Test
    void aProxyThatSaysNoSuchModuleMakesItRed() throws Exception {
        HttpServer proxy = proxy(404, "not found: module moq.dev/moq: no matching versions for query \"latest\"");
        try {
            Client.Installed installed = install(Map.of("GOPROXY", "http://127.0.0.1:" + proxy.getAddress().getPort()));
            Availability why = installed.availability();
            assertEquals(Availability.State.BROKEN, why.state(), why.toString());
            assertTrue(why.detail().contains("404 Not Found (server response: not found: module moq.dev/moq"), why.detail());
        } finally {
            proxy.stop(0);
        }
    }

    private Client.Installed install(Map<String, String> env) {
        Map<String, String> goEnv = new LinkedHashMap<>(env);
        goEnv.put("GOSUMDB", "off");
        goEnv.put("GOCACHE", GO_BUILD_CACHE.toString());
        Workspace workspace = new Workspace(dir.resolve("cache"), dir.resolve("scratch"), dir.resolve("out"));
        try (ClientContext context = new ClientContext(workspace, null)) {
            return new GoClient(goEnv).install(context);
        }
    }

    /** Lays out module@version in a file GOPROXY the way the proxy protocol names its files. */
    static void serve(Path proxy, String module, String version, Map<String, String> files) throws IOException {
        Path v = Files.createDirectories(proxy.resolve(module).resolve("@v"));
        String goMod = "module " + module + "\n\ngo 1.21\n";
        Files.writeString(v.resolve("list"), version + "\n");
        Files.writeString(v.resolve(version + ".info"), "{\"Version\":\"" + version + "\",\"Time\":\"2026-11-01T00:00:00Z\"}\n");
        Files.writeString(v.resolve(version + ".mod"), goMod);
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(v.resolve(version + ".zip")))) {
            Map<String, String> all = new LinkedHashMap<>(files);
            all.put("go.mod", goMod);
            for (Map.Entry<String, String> file : all.entrySet()) {
                zip.putNextEntry(new ZipEntry(module + "@" + version + "/" + file.getKey()));
                zip.write(file.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
    }

    /** A module proxy that answers every request with status and body. */
    static HttpServer proxy(int status, String body) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            // go quotes a body only when it is plain text, as the real proxy's is.
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=UTF-8");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        return server;
    }
}
