package lib.token;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import lib.core.Proc;

/**
 * npm @moq/token's moq-token CLI (cli.js) under a JavaScript runtime, node or
 * bun. It is called by path: its bin name collides with the Rust binary's.
 * It prints claims as JSON (put/get) and writes keys as pretty JSON.
 */
public record JsTokenTool(String name, List<String> runtime, Path cli) implements TokenTool {
    /** The algorithms its generate accepts (cli.ts, the jose algorithm list). */
    static final Set<String> ALGORITHMS = Set.of("HS256", "HS384", "HS512", "ES256", "ES384",
            "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "EdDSA");

    public JsTokenTool {
        runtime = List.copyOf(runtime);
    }

    @Override
    public Set<String> algorithms() {
        return ALGORITHMS;
    }

    @Override
    public Proc.Spec generate(String algorithm, Path signKey, Path verifyKey) {
        List<String> args = new ArrayList<>(List.of("generate", "--algorithm", algorithm, "--key", signKey.toString()));
        if (verifyKey != null) args.addAll(List.of("--public", verifyKey.toString()));
        return spec(args);
    }

    /** --publish and --subscribe are variadic here, so nothing positional may follow them. */
    @Override
    public Proc.Spec sign(Path key, Claims claims) {
        List<String> args = new ArrayList<>(List.of("sign", "--key", key.toString(), "--root", claims.root()));
        if (claims.expires() != null) args.add("--expires=" + claims.expires());
        if (claims.publish() != null) args.addAll(List.of("--publish", claims.publish()));
        if (claims.subscribe() != null) args.addAll(List.of("--subscribe", claims.subscribe()));
        return spec(args);
    }

    /** --root must equal the token's root exactly: 0.2.x compares, it does not authorize a prefix. */
    @Override
    public Proc.Spec verify(Path key, String root) {
        return spec(List.of("verify", "--key", key.toString(), "--root", root));
    }

    private Proc.Spec spec(List<String> args) {
        List<String> full = new ArrayList<>(runtime);
        full.add(cli.toString());
        full.addAll(args);
        return new Proc.Spec(full, Map.of(), null);
    }
}
