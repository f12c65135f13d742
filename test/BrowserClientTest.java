import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lib.browser.Bundles;
import lib.clients.Browser;
import lib.clients.Clients;
import lib.core.Availability;

/**
 * The browser clients against stand-ins: the CDN variant tells "unreachable from
 * here" from "answered, and the page failed", the three variants are registered
 * once each, and a bundle's duplicated @moq packages are found.
 */
class BrowserClientTest {
    @TempDir Path dir;

    /** A stand-in CDN: status and body for every path. */
    static HttpServer cdn(int status, String body) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.createContext("/", exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/javascript");
            exchange.getResponseHeaders().set("Access-Control-Allow-Origin", "*");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        return server;
    }

    static String base(HttpServer server) {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void anUnreachableCdnIsUnavailableNamingTheRequest() throws Exception {
        HttpServer closed = cdn(200, "");
        String base = base(closed);
        closed.stop(0);
        Availability probe = Browser.probeCdn(base).orElseThrow();
        assertEquals(Availability.State.UNAVAILABLE, probe.state());
        assertTrue(probe.detail().startsWith("the CDN is unreachable from this machine: GET " + base + "/npm/@moq/watch/element/+esm"), probe.detail());
    }

    @Test
    void aCdnThatAnswersWithoutTheModuleIsBroken() throws Exception {
        HttpServer server = cdn(404, "Couldn't find the requested file.");
        try {
            Availability probe = Browser.probeCdn(base(server)).orElseThrow();
            assertEquals(Availability.State.BROKEN, probe.state());
            assertTrue(probe.detail().startsWith("the CDN answered 404 for GET "), probe.detail());
        } finally {
            server.stop(0);
        }
    }

    /** The CDN answers, but what it serves does not load: the page says so, and the cell is red, not unavailable. */
    @Test
    @Tag("toolchain") // loads the page in Debian's Chromium
    void aCdnWhoseModulesFailMakesTheCellRedWithThePagesError() throws Exception {
        HttpServer server = cdn(200, "export const broken = ;");
        try {
            Fakes.Outcome outcome = Fakes.smoke(dir.resolve("out"), Map.of("SMOKE_JSDELIVR", base(server)),
                    "--publishers", "rust", "--subscribers", "js-jsdelivr", "--timeout", "15");
            JsonNode cell = outcome.results().get("cells").get(0);
            assertEquals("fail", cell.get("status").asText(), cell.toString());
            assertTrue(cell.get("reason").asText().startsWith("subscriber exited (code 1) before a frame arrived: SyntaxError"), cell.toString());
            assertTrue(outcome.out().resolve("cells/rust-js-jsdelivr/subscriber-console.log").toFile().isFile(), "the page's console is kept");
            assertTrue(outcome.out().resolve("cells/rust-js-jsdelivr/subscriber-screenshot.png").toFile().isFile(), "a red page leaves a screenshot");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void eachWayOfDeliveringThePageIsItsOwnClient() {
        List<String> browsers = Clients.registered().stream().filter(c -> c instanceof Browser).map(c -> c.name()).toList();
        assertEquals(List.of("js-vite", "js-esbuild", "js-jsdelivr"), browsers);
    }

    @Test
    void aBundleCarryingTwoVersionsOfAPackageIsNamed() {
        var bundle = new Bundles.Bundle(dir, Map.of("@moq/net", List.of("0.1.9", "0.2.8", "0.3.4"), "@moq/watch", List.of("0.4.6")),
                Availability.ready(""));
        assertEquals(List.of("@moq/net 0.1.9, 0.2.8, 0.3.4"), bundle.duplicates());
    }
}
