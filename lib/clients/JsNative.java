package lib.clients;

//FILES clients/js-native/package.json=../../clients/js-native/package.json
//FILES clients/js-native/subscribe.ts=../../clients/js-native/subscribe.ts

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import lib.core.Artifact;
import lib.core.Availability;
import lib.core.Proc;
import lib.core.Resources;
import lib.core.Workspace;
import lib.media.Launch;
import lib.media.MarkerProbe;
import lib.media.ProcessSide;
import lib.media.Side;
import lib.media.Transport;
import lib.toolchain.JsRuntime;
import lib.toolchain.Latest;
import lib.toolchain.Npm;

/**
 * The moq JS packages outside a browser (npm @moq/net + @moq/hang + @moq/json, and
 * moq's own @moq/web-transport polyfill, a prebuilt NAPI QUIC addon), run by
 * clients/js-native/subscribe.ts under one runtime. Subscribe only: publishing
 * media needs a WebCodecs encoder, which a native runtime lacks. node and bun
 * share one npm install per run; each is its own client, to catch runtime-specific
 * breakage.
 */
abstract class JsNative implements Client {
    static final List<String> PACKAGES = List.of("@moq/net", "@moq/hang", "@moq/json", "@moq/web-transport");

    /** The runtime under test, provisioned once per run. */
    abstract JsRuntime runtime(ClientContext context);

    /** How the runtime runs a TypeScript program. */
    abstract List<String> run(JsRuntime runtime, Path program);

    @Override
    public Set<Role> roles() {
        return Set.of(Role.SUBSCRIBE);
    }

    @Override
    public String source() {
        return "npm @moq/net, @moq/hang, @moq/web-transport";
    }

    @Override
    public Availability check(ClientContext context) {
        return Npm.unreachableReason().map(Availability::unavailable)
                .orElse(Availability.ready("npm found; packages and runtime installed on run"));
    }

    @Override
    public Installed install(ClientContext context) {
        Packages packages = context.shared("js-native-npm", () -> Packages.install(context.workspace()));
        if (!packages.availability().ready()) return Client.notInstalled(packages.availability());
        JsRuntime runtime = runtime(context);
        if (!runtime.availability().ready()) return Client.notInstalled(runtime.availability());
        Map<String, String> versions = new LinkedHashMap<>(packages.versions());
        versions.put(name() + " runtime", runtime.name() + " " + runtime.version());
        List<Artifact> artifacts = new ArrayList<>(packages.artifacts());
        artifacts.addAll(runtime.provenance());
        return new Program(run(runtime, packages.program()), packages.dir(), versions, runtime.availability(), artifacts);
    }

    /**
     * The one npm install both runtimes share: the packages at latest, checked
     * against the registry's newest; program sits below dir, so its imports resolve
     * to dir/node_modules.
     */
    record Packages(Path dir, Path program, Map<String, String> versions, Availability availability, List<Artifact> artifacts) {
        static Packages install(Workspace workspace) {
            Path dir = workspace.scratchDir("js-native");
            Availability installed = Npm.install(dir, Resources.bytes("clients/js-native/package.json"), workspace, "npm-js-native");
            if (!installed.ready()) return new Packages(dir, null, Map.of(), installed, List.of());
            Path program = Resources.extract("clients/js-native/subscribe.ts", dir, false);
            Map<String, String> versions = Npm.installed(dir, PACKAGES);
            List<String> problems = new ArrayList<>();
            versions.forEach((name, version) -> {
                if (version.isEmpty()) problems.add("npm installed no " + name);
                else Latest.check(workspace.pins(), "npm", name, version, () -> Npm.latest(name)).ifPresent(problems::add);
            });
            if (!Files.isDirectory(dir.resolve("node_modules"))) problems.add("npm install left no node_modules");
            List<Artifact> artifacts = new ArrayList<>(Npm.artifacts(dir, PACKAGES));
            artifacts.addAll(Npm.dependencies(dir, "@moq/", PACKAGES));
            return new Packages(dir, program, versions, problems.isEmpty() ? Availability.ready("") : Availability.broken(String.join("; ", problems)),
                    artifacts);
        }
    }

    /** The command that runs subscribe.ts, from the install dir so its packages resolve. */
    private record Program(List<String> command, Path dir, Map<String, String> versions, Availability availability, List<Artifact> artifacts)
            implements Installed {
        public Side publish(Target target, SideIO io) {
            throw new UnsupportedOperationException("native JS subscribes only");
        }

        /**
         * Under quic the program refuses the WebSocket fallback, so a polyfill that
         * can't load fails the cell with the loader's own error; under websocket it
         * skips the polyfill and uses the fallback alone.
         */
        public Side subscribe(Target target, SideIO io) {
            List<String> args = new ArrayList<>(command);
            args.addAll(List.of("subscribe", "--broadcast", target.broadcast(), "--timeout", Long.toString(target.timeout().toSeconds() + 5),
                    "--transport", target.transport().id()));
            Map<String, String> env = new java.util.HashMap<>(Map.of("MOQ_CONNECT", target.relay().toString()));
            if (target.transport() == Transport.QUIC) env.put("SMOKE_WEBSOCKET_DELAY_MS", Long.toString(Transport.QUIC_HEAD_START.toMillis()));
            Launch launch = Launch.subscriber(new Proc.Spec(args, env, dir),
                    MarkerProbe.factory(), false, Transport.Reader.DECLARED_LINE);
            return ProcessSide.start(io.label(), launch, io.dir().resolve("subscriber.log"), null, null);
        }
    }
}
