package lib.browser;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Serves one variant's page (a bundle's dist dir, or the CDN page) at
 * http://localhost:<free port>/, on loopback only. localhost is a secure context,
 * which WebTransport and WebCodecs require (about:blank and file: are not).
 * rewrite may change an HTML file on its way out (the CDN page's import map).
 */
public final class PageServer implements AutoCloseable {
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8", "js", "text/javascript",
            "mjs", "text/javascript", "json", "application/json", "css", "text/css", "wasm", "application/wasm",
            "svg", "image/svg+xml", "map", "application/json");

    private final HttpServer server;

    private PageServer(HttpServer server) {
        this.server = server;
    }

    public static PageServer serve(Path root, UnaryOperator<String> rewrite) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            Path base = root.toAbsolutePath().normalize();
            server.createContext("/", exchange -> answer(exchange, base, rewrite));
            server.start();
            return new PageServer(server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The page's URL with its query. */
    public URI url(String page, String query) {
        return URI.create("http://localhost:" + server.getAddress().getPort() + "/" + page + "?" + query);
    }

    private static void answer(HttpExchange exchange, Path base, UnaryOperator<String> rewrite) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            Path file = base.resolve(path.substring(1).isEmpty() ? "index.html" : path.substring(1)).normalize();
            if (!file.startsWith(base) || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            String name = file.getFileName().toString();
            String extension = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
            byte[] body = Files.readAllBytes(file);
            if (extension.equals("html")) body = rewrite.apply(new String(body, java.nio.charset.StandardCharsets.UTF_8))
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", TYPES.getOrDefault(extension, "application/octet-stream"));
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
