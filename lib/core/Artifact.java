package lib.core;

/**
 * One artifact a cell used, as it was fetched: what it is (name, version), where it
 * came from (source), the file the registry served and that file's digest, so a
 * result says not only "moq-relay 0.17.10" but which bytes that was. A digest the
 * harness could not read is never guessed: digest is empty and unknown says why.
 *
 * @param name      as the package tool names it: "moq-relay", "moq-rs", "@moq/net", "moq.dev/moq", "dev.moq:moq"
 * @param version   as installed ("" when the source has none, e.g. a binary from PATH)
 * @param source    the kind of registry or channel it came from
 * @param file      the file fetched ("moq-relay-0.17.10.crate", a wheel's name, an image reference), "" if unknown
 * @param algorithm the digest's form: "sha256" or "sha1" (hex), "sri" (npm's integrity), "h1" (Go's go.sum hash)
 * @param digest    the digest as the tool writes it; "" when unknown
 * @param unknown   why the digest is unknown; "" when it is known
 * @param dependency installed only as another package's dependency (a platform addon): recorded, but held
 *                  by its dependent's pin rather than pinned itself, since a pin on it would reach every
 *                  install that shares the name
 */
public record Artifact(String name, String version, Source source, String file, String algorithm, String digest, String unknown,
        boolean dependency) {
    /** Where an artifact comes from; the pinnable ones are what --pin can fix to a version. */
    public enum Source {
        CRATE(true), WHEEL(true), NPM(true), GO_MODULE(true), MAVEN(true), RELEASE_ASSET(true), IMAGE(true),
        /** Whatever the machine already had (PATH, apt, brew, nix): the harness fetched nothing it can pin. */
        LOCAL(false);

        public final boolean pinnable;

        Source(boolean pinnable) {
            this.pinnable = pinnable;
        }

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    public Artifact {
        version = version == null ? "" : version;
        file = file == null ? "" : file;
        algorithm = algorithm == null ? "" : algorithm;
        digest = digest == null ? "" : digest;
        unknown = unknown == null ? "" : unknown;
        if (digest.isEmpty() && unknown.isEmpty()) unknown = "no digest recorded";
    }

    public static Artifact of(String name, String version, Source source, String file, String algorithm, String digest) {
        return new Artifact(name, version, source, file, algorithm, digest, "", false);
    }

    public static Artifact unknown(String name, String version, Source source, String file, String why) {
        return new Artifact(name, version, source, file, "", "", why, false);
    }

    /** The same, as a package installed only as another's dependency. */
    public Artifact asDependency() {
        return new Artifact(name, version, source, file, algorithm, digest, unknown, true);
    }

    /**
     * A release asset downloaded by a client (a prebuilt library, a plugin): its sha256
     * as computed over the downloaded file, checked against the release's published
     * checksum when it has one. A mismatch is not recorded as a digest: the caller
     * should treat it as a broken install.
     *
     * @param published the release's own sha256 for this asset, if it publishes checksums
     */
    public static Artifact releaseAsset(String name, String version, java.nio.file.Path file, java.util.Optional<String> published) {
        String file256 = Provenance.sha256(file);
        if (published.isPresent() && !published.get().equalsIgnoreCase(file256)) {
            return unknown(name, version, Source.RELEASE_ASSET, file.getFileName().toString(),
                    "downloaded sha256 " + file256 + " does not match the release's published " + published.get());
        }
        return of(name, version, Source.RELEASE_ASSET, file.getFileName().toString(), "sha256", file256);
    }

    public boolean known() {
        return !digest.isEmpty();
    }

    /** "sha256:ab12…", "h1:…", or "unknown (why)". */
    public String digestText() {
        if (!known()) return "unknown (" + unknown + ")";
        return algorithm.equals("sri") || algorithm.equals("h1") ? digest : algorithm + ":" + digest;
    }

    /** The --pin argument that installs exactly this version again, if the harness can pin its source. */
    public java.util.Optional<String> pin() {
        // An image's tag moves; its digest is what was pulled.
        if (source == Source.IMAGE) return known() ? java.util.Optional.of(name + "=" + algorithm + ":" + digest) : java.util.Optional.empty();
        return source.pinnable && !dependency && !version.isEmpty() ? java.util.Optional.of(name + "=" + version) : java.util.Optional.empty();
    }
}
