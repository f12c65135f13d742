package lib.token;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import lib.core.Proc;

/**
 * The moq-token binary (crate moq-token-cli), run directly or through the
 * container wrapper. It prints claims as a multi-line Debug struct and writes
 * keys as unpadded base64url of compact JSON.
 */
public record RustTokenTool(String name, List<String> command) implements TokenTool {
    /** The values its --algorithm parser accepts (moq-token's Algorithm enum). */
    static final Set<String> ALGORITHMS = Set.of("HS256", "HS384", "HS512", "ES256", "ES384",
            "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "EdDSA");

    /**
     * The environment every Rust child of the token stages gets, whatever the
     * caller's: no backtraces (every rejection would carry one), and RUST_LOG at
     * info, since at debug the relay, the auth server and moq log whole tokens.
     */
    static final Map<String, String> QUIET = Map.of("RUST_BACKTRACE", "0", "RUST_LIB_BACKTRACE", "0", "RUST_LOG", "info");

    public RustTokenTool {
        command = List.copyOf(command);
    }

    @Override
    public Set<String> algorithms() {
        return ALGORITHMS;
    }

    /** It refuses --public for HS* (an oct key has no public half) and then writes nothing at all. */
    @Override
    public Proc.Spec generate(String algorithm, Path signKey, Path verifyKey) {
        List<String> args = new ArrayList<>(List.of("generate", "--algorithm", algorithm, "--out", signKey.toString()));
        if (verifyKey != null) args.addAll(List.of("--public", verifyKey.toString()));
        return spec(args);
    }

    @Override
    public Proc.Spec sign(Path key, Claims claims) {
        List<String> args = new ArrayList<>(List.of("sign", "--key", key.toString(), "--root", claims.root()));
        if (claims.publish() != null) args.addAll(List.of("--publish", claims.publish()));
        if (claims.subscribe() != null) args.addAll(List.of("--subscribe", claims.subscribe()));
        if (claims.expires() != null) args.add("--expires=" + claims.expires());
        return spec(args);
    }

    /** No --root: it verifies the token alone. */
    @Override
    public Proc.Spec verify(Path key, String root) {
        return spec(List.of("verify", "--key", key.toString()));
    }

    private Proc.Spec spec(List<String> args) {
        List<String> full = new ArrayList<>(command);
        full.addAll(args);
        return new Proc.Spec(full, QUIET, null);
    }
}
