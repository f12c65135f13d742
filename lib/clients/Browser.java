package lib.clients;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import lib.browser.Bundles;
import lib.browser.Chromium;
import lib.browser.PageServer;
import lib.browser.PageSide;
import lib.core.Artifact;
import lib.core.Availability;
import lib.core.Resources;
import lib.media.Side;
import lib.toolchain.JsRuntime;
import lib.toolchain.Npm;

/**
 * The browser client: one page (clients/js) using npm @moq/watch to subscribe and
 * @moq/publish to publish from the fake camera, in the run's one headless
 * Chromium, a fresh context per side. Each subclass is one way of delivering the
 * page, its own matrix cell, because each breaks on its own.
 */
public abstract class Browser implements Client {
    /** Where the CDN variant takes its packages; SMOKE_JSDELIVR points it at a stand-in (tests). */
    static final String CDN = "https://cdn.jsdelivr.net";
    private static final Duration CDN_PROBE = Duration.ofSeconds(8);

    /** "vite", "esbuild" or "jsdelivr". */
    abstract String variant();

    @Override
    public Set<Role> roles() {
        return Set.of(Role.PUBLISH, Role.SUBSCRIBE);
    }

    boolean bundled() {
        return !variant().equals("jsdelivr");
    }

    @Override
    public String source() {
        return bundled() ? "npm @moq/watch + @moq/publish, bundled by " + variant() : "@moq/watch + @moq/publish from the jsDelivr CDN";
    }

    @Override
    public Availability check(ClientContext context) {
        Optional<String> missing = Chromium.unreachableReason().or(() -> bundled() ? Npm.unreachableReason() : Optional.empty());
        return missing.map(Availability::unavailable).orElse(Availability.ready("Chromium found; the page is built on run"));
    }

    @Override
    public Installed install(ClientContext context) {
        Chromium chromium = context.shared("chromium", Chromium::launch);
        if (!chromium.availability().ready()) return Client.notInstalled(chromium.availability());
        Map<String, String> versions = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        List<Artifact> artifacts = new ArrayList<>();
        PageServer server;
        if (bundled()) {
            JsRuntime node = context.shared("node", () -> JsRuntime.node(context.workspace()));
            Bundles bundles = context.shared("browser-bundles", () -> Bundles.install(context.workspace(), node));
            if (!bundles.availability().ready()) return Client.notInstalled(bundles.availability());
            Bundles.Bundle bundle = bundles.bundle(variant());
            if (!bundle.availability().ready()) return Client.notInstalled(bundle.availability());
            versions.putAll(bundles.versions());
            artifacts.addAll(bundles.artifacts());
            artifacts.addAll(node.provenance());
            bundle.moqVersions().forEach((name, list) -> versions.put(name() + " bundle " + name, String.join(", ", list)));
            if (!bundle.duplicates().isEmpty()) {
                warnings.add("the " + variant() + " bundle carries more than one version of @moq packages: " + String.join("; ", bundle.duplicates()));
            }
            server = context.shared("page-server-" + variant(), () -> PageServer.serve(bundle.dist(), html -> html));
        } else {
            String base = cdnBase();
            Optional<Availability> unreachable = probeCdn(base);
            if (unreachable.isPresent()) return Client.notInstalled(unreachable.get());
            Path dir = context.workspace().scratchDir("browser-cdn");
            try {
                Files.write(dir.resolve("cdn.html"), Resources.bytes("clients/js/cdn.html"));
                Files.write(dir.resolve("smoke.js"), Resources.bytes("clients/js/smoke.js"));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            server = context.shared("page-server-" + variant(), () -> PageServer.serve(dir, html -> html.replace(CDN, base)));
            artifacts.add(Artifact.unknown("@moq/watch", "latest", Artifact.Source.LOCAL, base,
                    "the page imports the CDN's current build at load time; the harness fetches nothing it can check"));
        }
        versions.put(name() + " browser", chromium.availability().detail());
        artifacts.add(Artifact.unknown(name() + " browser", chromium.availability().detail(), Artifact.Source.LOCAL, "",
                "the machine's Chromium, not fetched by the harness"));
        return new Page(chromium, server, bundled() ? "index.html" : "cdn.html", Map.copyOf(versions), List.copyOf(warnings), List.copyOf(artifacts));
    }

    static String cdnBase() {
        String override = System.getenv("SMOKE_JSDELIVR");
        return override == null || override.isBlank() ? CDN : override.replaceAll("/+$", "");
    }

    /**
     * Unavailable when the CDN cannot be reached from this machine (naming the
     * request that failed); broken when it answers but not with the module.
     */
    public static Optional<Availability> probeCdn(String base) {
        URI uri = URI.create(base + "/npm/@moq/watch/element/+esm");
        HttpClient http = HttpClient.newBuilder().connectTimeout(CDN_PROBE).followRedirects(HttpClient.Redirect.NORMAL).build();
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(uri).timeout(CDN_PROBE).GET().build(), HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() == 200) return Optional.empty();
            return Optional.of(Availability.broken("the CDN answered " + response.statusCode() + " for GET " + uri));
        } catch (IOException e) {
            String why = e instanceof java.net.http.HttpConnectTimeoutException || e instanceof java.net.http.HttpTimeoutException
                    ? "timed out after " + CDN_PROBE.toSeconds() + " s"
                    : e instanceof java.net.ConnectException ? "could not connect" : String.valueOf(e.getMessage());
            return Optional.of(Availability.unavailable("the CDN is unreachable from this machine: GET " + uri + ": " + why));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of(Availability.unavailable("interrupted while reaching the CDN"));
        }
    }

    /** The page as served, and the browser that opens it. */
    private record Page(Chromium chromium, PageServer server, String page, Map<String, String> versions, List<String> warnings,
            List<Artifact> artifacts) implements Installed {
        public Availability availability() {
            return chromium.availability();
        }

        public Side publish(Target target, SideIO io) {
            return PageSide.open(io.label(), false, chromium, server.url(page, query("publish", target)), io.dir());
        }

        public Side subscribe(Target target, SideIO io) {
            return PageSide.open(io.label(), true, chromium, server.url(page, query("subscribe", target)), io.dir());
        }

        private static String query(String role, Target target) {
            return "role=" + role + "&url=" + URLEncoder.encode(target.relay().toString(), StandardCharsets.UTF_8)
                    + "&broadcast=" + URLEncoder.encode(target.broadcast(), StandardCharsets.UTF_8) + "&transport=" + target.transport().id()
                    + "&wsdelay=" + lib.media.Transport.QUIC_HEAD_START.toMillis();
        }
    }
}
