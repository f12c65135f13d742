package lib.token;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import lib.core.Proc;

/**
 * One published token CLI, as commands: generate a key, sign claims, verify a
 * token read from stdin. The tools differ in flag spelling and key encoding;
 * the matrix only ever sees these three commands.
 */
public interface TokenTool {
    /** The order algorithms are listed and run in. */
    List<String> ALGORITHM_ORDER = List.of("HS256", "HS384", "HS512", "EdDSA", "ES256", "ES384",
            "RS256", "RS384", "RS512", "PS256", "PS384", "PS512");

    /** What a token grants: publish and subscribe paths under root (null: that permission left out), and an expiry (unix seconds) or null. */
    record Claims(String root, String publish, String subscribe, Long expires) {
        public Claims expiringAt(long unixSeconds) {
            return new Claims(root, publish, subscribe, unixSeconds);
        }
    }

    String name();

    /** The algorithms this tool declares it generates, signs and verifies. */
    Set<String> algorithms();

    /** Writes a signing key to signKey and, when verifyKey is not null, its public half there. */
    Proc.Spec generate(String algorithm, Path signKey, Path verifyKey);

    /** Prints the signed token on stdout. */
    Proc.Spec sign(Path key, Claims claims);

    /** Verifies the token given on stdin; exit 0 and the claims on stdout when it is accepted. */
    Proc.Spec verify(Path key, String root);

    static boolean symmetric(String algorithm) {
        return algorithm.startsWith("HS");
    }
}
