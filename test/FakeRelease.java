import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import lib.core.Proc;
import lib.delivery.GithubRelease;

/**
 * A stand-in for GitHub on 127.0.0.1: the moq-dev/moq release list as the API
 * returns it (newest first, each release with its assets and their
 * browser_download_url) and the downloads those URLs name. Every release gets a
 * SHA256SUMS of its assets unless it brings its own; an asset with a status other
 * than 200 is listed but answers that status.
 */
final class FakeRelease implements AutoCloseable {
    record Asset(String name, byte[] body, int status) {
        static Asset of(String name, byte[] body) {
            return new Asset(name, body, 200);
        }
    }

    record Release(String tag, List<Asset> assets) {}

    private final HttpServer server;
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private volatile int listStatus = 200;

    FakeRelease(List<Release> releases) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        Map<String, Asset> downloads = new LinkedHashMap<>();
        List<Map<String, Object>> listed = new ArrayList<>();
        for (Release release : releases) {
            List<Asset> assets = new ArrayList<>(release.assets());
            if (assets.stream().noneMatch(a -> a.name().equals(GithubRelease.CHECKSUMS))) assets.add(Asset.of(GithubRelease.CHECKSUMS, sums(assets)));
            List<Map<String, Object>> entries = new ArrayList<>();
            for (Asset asset : assets) {
                String path = "/moq-dev/moq/releases/download/" + release.tag() + "/" + asset.name();
                downloads.put(path, asset);
                entries.add(Map.of("name", asset.name(), "size", asset.body().length, "browser_download_url", base() + path));
            }
            listed.add(Map.of("tag_name", release.tag(), "name", release.tag(), "draft", false, "prerelease", false, "assets", entries));
        }
        byte[] list = new ObjectMapper().writeValueAsBytes(listed);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            if (path.equals("/repos/moq-dev/moq/releases")) {
                answer(exchange, listStatus, listStatus == 200 ? list : "{\"message\":\"API rate limit exceeded for 127.0.0.1.\"}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            Asset asset = downloads.get(path);
            if (asset == null || asset.status() != 200) {
                answer(exchange, asset == null ? 404 : asset.status(), "Not Found".getBytes(StandardCharsets.UTF_8));
                return;
            }
            answer(exchange, 200, asset.body());
        });
        server.start();
    }

    /** Every later release-list request answers status (e.g. 403, as GitHub's rate limit does). */
    void listAnswers(int status) {
        listStatus = status;
    }

    /** The API base to give SMOKE_GITHUB_API. */
    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    URI api() {
        return URI.create(base());
    }

    /** How many requests path got. */
    int hits(String path) {
        AtomicInteger count = hits.get(path);
        return count == null ? 0 : count.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static void answer(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** sha256sum's format, as upstream's release script writes SHA256SUMS. */
    static byte[] sums(List<Asset> assets) {
        StringBuilder text = new StringBuilder();
        for (Asset asset : assets) {
            try {
                Path file = Files.createTempFile("asset", "");
                Files.write(file, asset.body());
                text.append(lib.core.Provenance.sha256(file)).append("  ").append(asset.name()).append('\n');
                Files.delete(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A .tar.gz of dir's one directory top, as the release tarballs are packed (tar -czf NAME.tar.gz NAME). */
    static byte[] tarball(Path dir, String top) throws IOException {
        Path file = dir.resolve(top + ".tar.gz");
        Proc.Result tar = Proc.run(Proc.Spec.of(List.of("tar", "-czf", file.toString(), "-C", dir.toString(), top)), java.time.Duration.ofMinutes(2));
        if (!tar.ok()) throw new IOException("tar failed: " + tar.output());
        return Files.readAllBytes(file);
    }

    /**
     * libmoq's release layout under dir/moq-VERSION-TARGET: include/moq.h and
     * lib/libmoq.a (copied from header and archive, or stand-ins), lib/pkgconfig/moq.pc
     * and lib/cmake/moq/moq-config.cmake rendered from the crate's templates the way
     * upstream's packaging renders them. pcIncludes and cmakeLevels let a test ship
     * them wrong: the .pc's includedir relative to its dir, and how many directories
     * up from itself the config finds its prefix (4 is right).
     */
    static String libmoqLayout(Path dir, String version, String target, Path header, Path archive, String pcIncludes, int cmakeLevels)
            throws IOException {
        String top = "moq-" + version + "-" + target;
        Path root = dir.resolve(top);
        Files.createDirectories(root.resolve("include"));
        Files.createDirectories(root.resolve("lib/pkgconfig"));
        Files.createDirectories(root.resolve("lib/cmake/moq"));
        if (header == null) Files.writeString(root.resolve("include/moq.h"), "int moq_log_level(const char *level, unsigned long len);\n");
        else Files.copy(header, root.resolve("include/moq.h"));
        if (archive == null) Files.write(root.resolve("lib/libmoq.a"), "!<arch>\n".getBytes(StandardCharsets.US_ASCII));
        else Files.createSymbolicLink(root.resolve("lib/libmoq.a"), archive);
        boolean mac = System.getProperty("os.name").toLowerCase().contains("mac");
        String libs = mac ? "-framework CoreFoundation -framework Security -lc++" : "-ldl -lm -lpthread -lstdc++";
        String quoted = mac ? "\"-framework CoreFoundation\" \"-framework Security\" \"c++\"" : "\"dl\" \"m\" \"pthread\" \"stdc++\"";
        Files.writeString(root.resolve("lib/pkgconfig/moq.pc"), "libdir=${pcfiledir}/..\nincludedir=${pcfiledir}/" + pcIncludes + "\n\n"
                + "Name: moq\nDescription: Media over QUIC C Interface\nVersion: " + version + "\nLibs: -L${libdir} -lmoq\n"
                + "Libs.private: " + libs + "\nCflags: -I${includedir}\n");
        StringBuilder config = new StringBuilder("get_filename_component(_moq_prefix \"${CMAKE_CURRENT_LIST_FILE}\" PATH)\n");
        for (int i = 1; i < cmakeLevels; i++) config.append("get_filename_component(_moq_prefix \"${_moq_prefix}\" PATH)\n");
        config.append("if(NOT TARGET moq::moq)\n  add_library(moq::moq STATIC IMPORTED)\n  set_target_properties(moq::moq PROPERTIES\n"
                + "    IMPORTED_LOCATION \"${_moq_prefix}/lib/libmoq.a\"\n    INTERFACE_INCLUDE_DIRECTORIES \"${_moq_prefix}/include\")\n"
                + "  set_property(TARGET moq::moq APPEND PROPERTY INTERFACE_LINK_LIBRARIES " + quoted + ")\nendif()\n"
                + "set(moq_FOUND TRUE)\nset(moq_VERSION \"" + version + "\")\n");
        Files.writeString(root.resolve("lib/cmake/moq/moq-config.cmake"), config.toString());
        Files.writeString(root.resolve("lib/cmake/moq/moq-config-version.cmake"), "set(PACKAGE_VERSION \"" + version + "\")\n"
                + "set(PACKAGE_VERSION_COMPATIBLE TRUE)\n");
        return top;
    }
}
