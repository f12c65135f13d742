package lib.clients;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import lib.core.Artifact;
import lib.core.Availability;
import lib.core.Commands;
import lib.core.Proc;
import lib.core.RuntimeErrors;
import lib.delivery.GithubRelease;
import lib.media.ByteProbe;
import lib.media.Launch;
import lib.media.ProcessSide;
import lib.media.Side;
import lib.toolchain.CrateBuild;

/**
 * GStreamer's moqsrc element (crate moq-gst) against the system GStreamer, as a
 * .deb or brew user runs it: `gst-launch-1.0 moqsrc url=… broadcast=… ! filesink`,
 * passing on the first media bytes out. The plugin comes from one of three
 * sources (--client-source): the platform tarball of the latest moq-gst-v* GitHub
 * release (lib/gstreamer-1.0/libgstmoq.so or .dylib), the crate built with cargo,
 * or MOQ_GST_PLUGIN_DIR, a local build. GStreamer gets a private plugin registry
 * per run and keeps its system plugin path, where filesink lives.
 */
public final class GstClient extends ThreeSourceSubscriber {
    static final String CRATE = "moq-gst";
    static final String LOCAL_VARIABLE = "MOQ_GST_PLUGIN_DIR";
    static final GithubRelease.Component RELEASE = new GithubRelease.Component(CRATE, "moq-gst-v", "moq-gst-");
    private static final Duration INSPECT_TIMEOUT = Duration.ofSeconds(60);

    @Override
    public String name() {
        return "gst";
    }

    @Override
    public int order() {
        return 70;
    }

    @Override
    public String source() {
        return "moq-gst (moqsrc): latest moq-gst-v* release tarball, crate moq-gst, or " + LOCAL_VARIABLE;
    }

    @Override
    public String source(ClientContext context) {
        return switch (packageSource(context).orElseThrow()) {
            case RELEASE -> "moq-gst release tarball; moqsrc";
            case CRATE -> "crate moq-gst (cargo); moqsrc";
            case LOCAL -> "moq-gst plugin from " + LOCAL_VARIABLE + "; moqsrc";
        };
    }

    /** The plugin's file name on this platform. */
    static String plugin() {
        return Platform.current() == Platform.MACOS ? "libgstmoq.dylib" : "libgstmoq.so";
    }

    @Override
    public Availability check(ClientContext context) {
        PackageSource source = packageSource(context).orElseThrow();
        Optional<String> missing = Commands.missing("gst-launch-1.0").map(m -> m + " (Debian: gstreamer1.0-tools)")
                .or(() -> source == PackageSource.CRATE ? CrateBuild.unreachableReason() : Optional.empty());
        if (missing.isPresent()) return Availability.unavailable(missing.get());
        if (source == PackageSource.RELEASE && GithubRelease.target().isEmpty()) {
            return Availability.unsupported("moq publishes no moq-gst release tarball for " + System.getProperty("os.name") + "/" + System.getProperty("os.arch"));
        }
        return Availability.ready("gst-launch-1.0 found; " + switch (source) {
            case RELEASE -> "moq-gst release tarball (latest moq-gst-v*) fetched on run";
            case CRATE -> "crate moq-gst built on run";
            case LOCAL -> "plugin from " + LOCAL_VARIABLE + "=" + localDir().orElseThrow();
        });
    }

    @Override
    String localVariable() {
        return LOCAL_VARIABLE;
    }

    static Optional<Path> localDir() {
        return localDir(LOCAL_VARIABLE);
    }

    @Override
    public Installed install(ClientContext context) {
        PackageSource source = packageSource(context).orElseThrow();
        Availability here = check(context);
        if (!here.ready()) return Client.notInstalled(here, source, List.of());
        Path pluginDir;
        String version;
        String from;
        Artifact fetched;
        switch (source) {
            case LOCAL -> {
                pluginDir = localDir().get();
                version = "local " + pluginDir;
                from = LOCAL_VARIABLE + "=" + pluginDir;
                fetched = Artifact.unknown(CRATE, version, Artifact.Source.LOCAL, plugin(), "a local build (" + LOCAL_VARIABLE + "), not fetched");
                if (!Files.isRegularFile(pluginDir.resolve(plugin()))) {
                    return Client.notInstalled(Availability.broken(LOCAL_VARIABLE + "=" + pluginDir + " has no " + plugin()), source, List.of(fetched));
                }
            }
            case RELEASE -> {
                GithubRelease.Fetched release = GithubRelease.fetch(GithubRelease.api(), RELEASE, GithubRelease.target().orElseThrow(),
                        context.workspace(), context.workspace().provisionLog("release-moq-gst.log"));
                fetched = release.artifact(CRATE);
                if (!release.availability().ready()) return Client.notInstalled(release.availability(), source, List.of(fetched));
                pluginDir = release.root().resolve("lib/gstreamer-1.0");
                version = release.version();
                from = "the release " + release.describe();
                if (!Files.isRegularFile(pluginDir.resolve(plugin()))) {
                    return Client.notInstalled(Availability.broken("the release tarball " + release.asset() + " has no lib/gstreamer-1.0/" + plugin()),
                            source, List.of(fetched));
                }
            }
            case CRATE -> {
                CrateBuild.Built built = CrateBuild.build(CRATE, context.workspace());
                fetched = built.fetched();
                if (!built.availability().ready()) return Client.notInstalled(built.availability(), source, List.of(fetched));
                Optional<Path> so = built.artifact(".so").or(() -> built.artifact(".dylib"));
                if (so.isEmpty()) {
                    return Client.notInstalled(Availability.broken("cargo build of " + CRATE + " " + built.version() + " produced no plugin library"),
                            source, List.of(fetched));
                }
                // Only the plugin in its own dir: GStreamer would try to load every library beside it.
                pluginDir = context.workspace().cacheDir("gst-plugin/" + built.version());
                try {
                    Files.copy(so.get(), pluginDir.resolve(plugin()), StandardCopyOption.REPLACE_EXISTING);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                version = built.version();
                from = "the crate";
            }
            default -> throw new IllegalStateException("unknown source " + source);
        }
        Map<String, String> env = Map.of("GST_PLUGIN_PATH_1_0", pluginDir.toString(),
                "GST_REGISTRY_1_0", context.workspace().scratchDir("gst").resolve("registry.bin").toString());
        Proc.Result inspect = Proc.run(new Proc.Spec(List.of("gst-inspect-1.0", "moqsrc"), env, null), INSPECT_TIMEOUT);
        if (!inspect.ok()) {
            return Client.notInstalled(Availability.broken("GStreamer does not load moqsrc from " + pluginDir.resolve(plugin()) + ": "
                    + RuntimeErrors.first(inspect.output()).orElse(inspect.lastLine())), source, List.of(fetched));
        }
        return new Element(env, Map.of(CRATE, version), List.of(fetched), source, Availability.ready(CRATE + " " + version + " from " + from));
    }

    /** The plugin's environment, fixed at install. */
    private record Element(Map<String, String> env, Map<String, String> versions, List<Artifact> artifacts, PackageSource from, Availability availability)
            implements Installed {
        public Optional<PackageSource> source() {
            return Optional.of(from);
        }

        public Side publish(Target target, SideIO io) {
            throw new UnsupportedOperationException("the gst cell subscribes only (moqsink needs an encoder and muxing)");
        }

        /**
         * moqsrc takes its URL as a property: ws:// forces the WebSocket path. It has no
         * setting for the fallback's head start, and its 200 ms race was lost on an idle
         * machine here, so under quic it dials raw QUIC (moql://, which cannot fall back)
         * without certificate checks, the only way the element offers to reach the
         * relay's self-signed QUIC listener that way.
         */
        public Side subscribe(Target target, SideIO io) {
            String relay = target.relay().toString();
            List<String> element = switch (target.transport()) {
                case WEBSOCKET -> List.of("url=" + relay.replaceFirst("^http", "ws"));
                case QUIC -> List.of("url=" + relay.replaceFirst("^https?", "moql"), "tls-disable-verify=true");
                case ANY -> List.of("url=" + relay);
            };
            Map<String, String> all = new java.util.HashMap<>(env);
            all.put("RUST_LOG", "info");
            List<String> command = new java.util.ArrayList<>(List.of("gst-launch-1.0", "-q", "moqsrc"));
            command.addAll(element);
            command.addAll(List.of("broadcast=" + target.broadcast(), "!", "filesink", "location=/dev/stdout", "buffer-mode=2"));
            Proc.Spec spec = new Proc.Spec(command, all, null);
            Launch launch = Launch.subscriber(spec, ByteProbe.factory(), true, lib.delivery.MoqCli.TRANSPORT);
            return ProcessSide.start(io.label(), launch, io.dir().resolve("subscriber.log"), io.dir().resolve("subscriber.out"), null);
        }
    }
}
