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
import java.util.Set;

import lib.core.Artifact;
import lib.core.Availability;
import lib.core.Commands;
import lib.core.Proc;
import lib.core.RuntimeErrors;
import lib.media.ByteProbe;
import lib.media.Launch;
import lib.media.ProcessSide;
import lib.media.Side;
import lib.media.Transport;
import lib.toolchain.CrateBuild;

/**
 * GStreamer's moqsrc element (crate moq-gst) against the system GStreamer, as a
 * .deb or brew user runs it: `gst-launch-1.0 moqsrc url=… broadcast=… ! filesink`,
 * passing on the first media bytes out. The plugin comes from the crate, built
 * with cargo (or from MOQ_GST_PLUGIN_DIR, a local build). GStreamer gets a private
 * plugin registry per run and keeps its system plugin path, where filesink lives.
 */
public final class GstClient implements Client {
    static final String CRATE = "moq-gst";
    static final String PLUGIN = "libgstmoq.so";
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
    public Set<Role> roles() {
        return Set.of(Role.SUBSCRIBE);
    }

    @Override
    public Set<Platform> platforms() {
        return Set.of(Platform.LINUX, Platform.MACOS);
    }

    @Override
    public String source() {
        return localDir().map(d -> "moq-gst plugin from MOQ_GST_PLUGIN_DIR").orElse("crate moq-gst (moqsrc), built with cargo");
    }

    @Override
    public Availability check(ClientContext context) {
        Optional<String> missing = Commands.missing("gst-launch-1.0").map(m -> m + " (Debian: gstreamer1.0-tools)")
                .or(() -> localDir().isPresent() ? Optional.empty() : CrateBuild.unreachableReason());
        return missing.map(Availability::unavailable).orElse(Availability.ready("gst-launch-1.0 found; " + source()));
    }

    static Optional<Path> localDir() {
        String dir = System.getenv("MOQ_GST_PLUGIN_DIR");
        return dir == null || dir.isBlank() ? Optional.empty() : Optional.of(Path.of(dir));
    }

    @Override
    public Installed install(ClientContext context) {
        Availability here = check(context);
        if (!here.ready()) return Client.notInstalled(here);
        Path pluginDir;
        String version;
        Artifact fetched;
        if (localDir().isPresent()) {
            pluginDir = localDir().get();
            version = "local " + pluginDir;
            fetched = Artifact.unknown(CRATE, version, Artifact.Source.LOCAL, PLUGIN, "a local build (MOQ_GST_PLUGIN_DIR), not fetched");
            if (!Files.isRegularFile(pluginDir.resolve(PLUGIN))) {
                return Client.notInstalled(Availability.broken("MOQ_GST_PLUGIN_DIR=" + pluginDir + " has no " + PLUGIN));
            }
        } else {
            CrateBuild.Built built = CrateBuild.build(CRATE, context.workspace());
            if (!built.availability().ready()) return Client.notInstalled(built.availability());
            Optional<Path> so = built.artifact(".so");
            if (so.isEmpty()) return Client.notInstalled(Availability.broken("cargo build of " + CRATE + " " + built.version() + " produced no plugin .so"));
            // Only the plugin in its own dir: GStreamer would try to load every .so beside it.
            pluginDir = context.workspace().cacheDir("gst-plugin/" + built.version());
            try {
                Files.copy(so.get(), pluginDir.resolve(PLUGIN), StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            version = built.version();
            fetched = built.fetched();
        }
        Map<String, String> env = Map.of("GST_PLUGIN_PATH_1_0", pluginDir.toString(),
                "GST_REGISTRY_1_0", context.workspace().scratchDir("gst").resolve("registry.bin").toString());
        Proc.Result inspect = Proc.run(new Proc.Spec(List.of("gst-inspect-1.0", "moqsrc"), env, null), INSPECT_TIMEOUT);
        if (!inspect.ok()) {
            return Client.notInstalled(Availability.broken("GStreamer does not load moqsrc from " + PLUGIN + ": "
                    + RuntimeErrors.first(inspect.output()).orElse(inspect.lastLine())));
        }
        return new Element(env, Map.of(CRATE, version), Availability.ready(CRATE + " " + version), List.of(fetched));
    }

    /** The plugin's environment, fixed at install. */
    private record Element(Map<String, String> env, Map<String, String> versions, Availability availability, List<Artifact> artifacts) implements Installed {
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
