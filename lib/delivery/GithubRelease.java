package lib.delivery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import lib.core.Artifact;
import lib.core.Availability;
import lib.core.Proc;
import lib.core.Provenance;
import lib.core.Reaper;
import lib.core.Secrets;
import lib.core.Workspace;

/**
 * A prebuilt package from the latest moq-dev/moq GitHub release of one component
 * (libmoq-v*, moq-gst-v*): the release list from the GitHub API, the platform's
 * tarball named in it, its sha256 checked against the SHA256SUMS the release
 * publishes, unpacked into the run cache. Asset names come from the release
 * itself, not from a guess at the naming scheme (upstream has renamed them).
 * SMOKE_GITHUB_API points the API at a stand-in (tests serve a fake release);
 * GITHUB_TOKEN, when set, is sent to the real API only (its rate limit is
 * 60 requests an hour without one).
 */
public final class GithubRelease {
    public static final String REPO = "moq-dev/moq";
    public static final String CHECKSUMS = "SHA256SUMS";
    static final String API = "https://api.github.com";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration DOWNLOAD_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration UNPACK_TIMEOUT = Duration.ofMinutes(2);

    /**
     * What to take from a release: the newest release whose tag starts with
     * tagPrefix ("libmoq-v"), and in it the tarball whose name starts with
     * assetPrefix ("moq-") and ends with "-<target>.tar.gz". name is the package's
     * name in provenance and for --pin ("libmoq").
     */
    public record Component(String name, String tagPrefix, String assetPrefix) {}

    /**
     * A fetched release asset: root is the unpacked tarball's top directory; sha256
     * the tarball's digest (hex), equal to what the release publishes. Fields other
     * than availability may be empty when it is not ready.
     */
    public record Fetched(String tag, String version, String asset, String sha256, Path root, Availability availability) {
        static Fetched not(String tag, Availability why) {
            return new Fetched(tag, "", "", "", null, why);
        }

        /** "libmoq-v0.6.20: moq-0.6.20-x86_64-unknown-linux-gnu.tar.gz, sha256 ab12…" */
        public String describe() {
            return tag + ": " + asset + ", sha256 " + sha256;
        }

        /** The tarball as fetched, for a cell's provenance: its digest, or why there is none. */
        public Artifact artifact(String name) {
            return availability.ready() ? Artifact.of(name, version, Artifact.Source.RELEASE_ASSET, asset, "sha256", sha256)
                    : Artifact.unknown(name, version, Artifact.Source.RELEASE_ASSET, asset, "not fetched: " + availability.detail());
        }
    }

    private GithubRelease() {}

    /** The API base: SMOKE_GITHUB_API, else GitHub's. */
    public static URI api() {
        String override = System.getenv("SMOKE_GITHUB_API");
        return URI.create(override == null || override.isBlank() ? API : override.replaceAll("/+$", ""));
    }

    /**
     * The Rust target triple release assets are named after, for this machine; empty
     * where moq's release workflows build none (they build x86_64 and aarch64 Linux,
     * and aarch64 macOS only), so a tarball missing for a triple given here is a
     * publishing break.
     */
    public static Optional<String> target() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> "";
        };
        if (arch.isEmpty()) return Optional.empty();
        if (os.contains("linux")) return Optional.of(arch + "-unknown-linux-gnu");
        if ((os.contains("mac") || os.contains("darwin")) && arch.equals("aarch64")) return Optional.of("aarch64-apple-darwin");
        return Optional.empty();
    }

    /**
     * Fetches component's newest release asset for target (the release of the version
     * --pin names for component's name, if one does) from the API at api into the
     * workspace cache (a tarball already there with the published digest is
     * used again). Logs each request to log. Unavailable when GitHub cannot be
     * reached (with the connection error) or refuses to answer (rate limit, 5xx);
     * broken when it answers that the release, asset or checksum is not there, or
     * the download's sha256 differs from the published one.
     */
    public static Fetched fetch(URI api, Component component, String target, Workspace workspace, Path log) {
        Optional<String> pinned = workspace.pins().version(component.name());
        HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NORMAL).build();
        URI list = URI.create(api + "/repos/" + REPO + "/releases?per_page=100");
        Answer releases = get(http, list, api, QUERY_TIMEOUT, log);
        if (releases.failure().isPresent()) return Fetched.not(component.tagPrefix() + "*", releases.failure().get());
        JsonNode all;
        try {
            all = new ObjectMapper().readTree(releases.body());
        } catch (IOException e) {
            return Fetched.not(component.tagPrefix() + "*", Availability.broken("GET " + list + " answered something that is not JSON: " + e.getMessage()));
        }
        Optional<JsonNode> release = stream(all).filter(r -> pinned.isPresent() ? r.path("tag_name").asText().equals(component.tagPrefix() + pinned.get())
                : r.path("tag_name").asText().startsWith(component.tagPrefix()) && !r.path("draft").asBoolean() && !r.path("prerelease").asBoolean()).findFirst();
        if (release.isEmpty()) {
            return Fetched.not(component.tagPrefix() + "*", Availability.broken("no " + component.tagPrefix() + pinned.orElse("*") + " release among the "
                    + all.size() + " newest releases of " + REPO));
        }
        String tag = release.get().path("tag_name").asText();
        List<JsonNode> assets = stream(release.get().path("assets")).toList();
        String suffix = "-" + target + ".tar.gz";
        Optional<JsonNode> tarball = assets.stream().filter(a -> a.path("name").asText().startsWith(component.assetPrefix())
                && a.path("name").asText().endsWith(suffix)).findFirst();
        if (tarball.isEmpty()) {
            return Fetched.not(tag, Availability.broken("release " + tag + " has no " + component.assetPrefix() + "*" + suffix + " asset (it has: "
                    + String.join(", ", assets.stream().map(a -> a.path("name").asText()).toList()) + ")"));
        }
        String asset = tarball.get().path("name").asText();
        Optional<JsonNode> sums = assets.stream().filter(a -> a.path("name").asText().equals(CHECKSUMS)).findFirst();
        if (sums.isEmpty()) return Fetched.not(tag, Availability.broken("release " + tag + " publishes no " + CHECKSUMS + " to check " + asset + " against"));
        Answer checksums = get(http, URI.create(sums.get().path("browser_download_url").asText()), api, QUERY_TIMEOUT, log);
        if (checksums.failure().isPresent()) return Fetched.not(tag, checksums.failure().get());
        Optional<String> published = checksumOf(new String(checksums.body(), java.nio.charset.StandardCharsets.UTF_8), asset);
        if (published.isEmpty()) return Fetched.not(tag, Availability.broken("release " + tag + "'s " + CHECKSUMS + " has no line for " + asset));
        String version = tag.substring(component.tagPrefix().length());

        Path dir = workspace.cacheDir("releases/" + tag);
        Path file = dir.resolve(asset);
        if (!Files.isRegularFile(file) || !Provenance.sha256(file).equals(published.get())) {
            Path partial = dir.resolve(asset + ".partial");
            Optional<Availability> failed = download(http, URI.create(tarball.get().path("browser_download_url").asText()), api, partial, log);
            if (failed.isPresent()) return Fetched.not(tag, failed.get());
            String actual = Provenance.sha256(partial);
            if (!actual.equals(published.get())) {
                delete(partial);
                return Fetched.not(tag, Availability.broken("sha256 mismatch for " + asset + " of release " + tag + ": " + CHECKSUMS
                        + " says " + published.get() + ", the download is " + actual));
            }
            move(partial, file);
        }
        // Named by digest too: an asset re-uploaded under the same name is unpacked afresh.
        Path unpacked = dir.resolve(asset.replaceFirst("\\.tar\\.gz$", "") + "-" + published.get().substring(0, 12));
        return unpack(file, unpacked, log).map(why -> Fetched.not(tag, why))
                .orElseGet(() -> new Fetched(tag, version, asset, published.get(), root(unpacked), Availability.ready(tag + " " + asset)));
    }

    /** The digest sha256sum-format text (`<hex>  <name>`, or ` *<name>` in binary mode) gives name. */
    public static Optional<String> checksumOf(String sums, String name) {
        return sums.lines().map(String::strip).map(l -> l.split("\\s+\\*?", 2))
                .filter(parts -> parts.length == 2 && parts[1].equals(name) && parts[0].matches("[0-9a-fA-F]{64}"))
                .map(parts -> parts[0].toLowerCase(Locale.ROOT)).findFirst();
    }

    /** A response's body, or why there is none. */
    private record Answer(byte[] body, Optional<Availability> failure) {}

    private static Answer get(HttpClient http, URI uri, URI api, Duration timeout, Path log) {
        try {
            HttpResponse<byte[]> response = http.send(request(uri, api, timeout), HttpResponse.BodyHandlers.ofByteArray());
            note(log, "GET " + uri + " -> " + response.statusCode() + " (" + response.body().length + " bytes)");
            if (response.statusCode() == 200) return new Answer(response.body(), Optional.empty());
            return new Answer(null, Optional.of(refused(uri, response.statusCode(), new String(response.body(), java.nio.charset.StandardCharsets.UTF_8))));
        } catch (IOException e) {
            note(log, "GET " + uri + " -> " + describe(e, uri, timeout));
            return new Answer(null, Optional.of(unreachable(uri, e, timeout)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(null, Optional.of(Availability.unavailable("interrupted while fetching " + uri)));
        }
    }

    private static Optional<Availability> download(HttpClient http, URI uri, URI api, Path to, Path log) {
        try {
            HttpResponse<Path> response = http.send(request(uri, api, DOWNLOAD_TIMEOUT), HttpResponse.BodyHandlers.ofFile(to,
                    StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE));
            note(log, "GET " + uri + " -> " + response.statusCode() + " (" + Files.size(to) + " bytes)");
            if (response.statusCode() == 200) return Optional.empty();
            String body = Files.size(to) < 4096 ? Files.readString(to) : "";
            delete(to);
            return Optional.of(refused(uri, response.statusCode(), body));
        } catch (IOException e) {
            note(log, "GET " + uri + " -> " + describe(e, uri, DOWNLOAD_TIMEOUT));
            delete(to);
            return Optional.of(unreachable(uri, e, DOWNLOAD_TIMEOUT));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of(Availability.unavailable("interrupted while downloading " + uri));
        }
    }

    private static HttpRequest request(URI uri, URI api, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/vnd.github+json")
                .header("User-Agent", "moq-smoke");
        String token = System.getenv("GITHUB_TOKEN");
        if (token != null && !token.isBlank() && api.toString().equals(API) && uri.getHost().endsWith("api.github.com")) {
            request.header("Authorization", "Bearer " + token);
        }
        return request.GET().build();
    }

    /**
     * GitHub answered but not with the file: 404 or 410 says it does not exist (a
     * publishing break); anything else (403/429 rate limits, 5xx) means it would not
     * answer now, which is no verdict on the package.
     */
    private static Availability refused(URI uri, int status, String body) {
        String message = "";
        try {
            message = new ObjectMapper().readTree(body).path("message").asText("");
        } catch (IOException e) {
            message = body.lines().findFirst().orElse("").strip();
        }
        String why = "GET " + uri + " answered " + status + (message.isBlank() ? "" : ": " + Secrets.redact(message));
        return status == 404 || status == 410 ? Availability.broken(why) : Availability.unavailable(why);
    }

    private static Availability unreachable(URI uri, IOException e, Duration timeout) {
        return Availability.unavailable("GitHub releases are unreachable from this machine: GET " + uri + ": " + describe(e, uri, timeout));
    }

    /** java.net.http's exceptions often carry no message: name what failed from the cause chain. */
    static String describe(IOException e, URI uri, Duration timeout) {
        String where = uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
        if (e instanceof HttpConnectTimeoutException) return "connect to " + where + " timed out after " + CONNECT_TIMEOUT.toSeconds() + " s";
        if (e instanceof HttpTimeoutException) return "no answer within " + timeout.toSeconds() + " s";
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof UnresolvedAddressException || cause instanceof UnknownHostException) return "cannot resolve host " + uri.getHost();
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
                return (e instanceof ConnectException ? "cannot connect to " + where + ": " : "") + cause.getMessage();
            }
        }
        return e instanceof ConnectException ? "cannot connect to " + where + " (connection refused)" : e.getClass().getSimpleName();
    }

    /** Unpacks the tarball once (a finished unpack is kept in the cache); tar's own error when it fails. */
    private static Optional<Availability> unpack(Path tarball, Path into, Path log) {
        if (Files.isDirectory(into)) return Optional.empty();
        Path partial = into.resolveSibling(into.getFileName() + ".partial");
        // A partial unpack is what an earlier run left when it was cut short.
        if (Files.exists(partial)) Reaper.deleteTree(partial);
        try {
            Files.createDirectories(partial);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Proc.Result tar = Proc.run(Proc.Spec.of(List.of("tar", "-xzf", tarball.toString(), "-C", partial.toString())), UNPACK_TIMEOUT);
        note(log, "$ tar -xzf " + tarball + " -C " + partial + "\n" + tar.output());
        if (!tar.ok()) return Optional.of(Availability.broken(tarball.getFileName() + " does not unpack: " + tar.lastLine()));
        move(partial, into);
        return Optional.empty();
    }

    /** A tarball with one top-level directory (as moq's are) is rooted there; otherwise at the unpack dir. */
    private static Path root(Path unpacked) {
        try (Stream<Path> top = Files.list(unpacked)) {
            List<Path> entries = top.toList();
            return entries.size() == 1 && Files.isDirectory(entries.get(0)) ? entries.get(0) : unpacked;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false);
    }

    private static void note(Path log, String line) {
        try {
            Files.writeString(log, Secrets.redact(line) + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void move(Path from, Path to) {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
