package lib.token;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The bad tokens a verifier must refuse, built here rather than by the tools
 * under test, so a tool can't hide a weakness by refusing to make them.
 */
public final class TokenForgery {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64URL_DECODE = Base64.getUrlDecoder();
    private static final Set<String> PRIVATE_FIELDS = Set.of("d", "p", "q", "dp", "dq", "qi", "k");
    /** The fixed SPKI prefix of an Ed25519 public key; the 32 key bytes follow it. */
    private static final byte[] ED25519_SPKI = HexFormat.of().parseHex("302a300506032b6570032100");

    /** One forged token and how it was made (no key material in the label). */
    public record Forged(String how, String token) {}

    private TokenForgery() {}

    /** The same signature over a payload whose root gained a character. */
    public static String tamperPayload(String token) {
        String[] parts = split(token);
        ObjectNode payload = (ObjectNode) decode(parts[1]);
        payload.put("root", payload.path("root").asText() + "x");
        return parts[0] + "." + encode(payload) + "." + parts[2];
    }

    /**
     * Flips the first signature character, A to B or anything else to A. The last
     * character would not do: in an HS256 signature its low bits are padding that
     * lenient base64 decoders ignore, so the "tampered" token is the same token.
     */
    public static String tamperSignature(String token) {
        String[] parts = split(token);
        if (parts[2].isEmpty()) throw new IllegalArgumentException("token has no signature to tamper with");
        char first = parts[2].charAt(0) == 'A' ? 'B' : 'A';
        return parts[0] + "." + parts[1] + "." + first + parts[2].substring(1);
    }

    /** The same claims, header alg "none", no signature. */
    public static String unsigned(String token) {
        String[] parts = split(token);
        ObjectNode header = JSON.createObjectNode().put("alg", "none").put("typ", "JWT");
        return encode(header) + "." + parts[1] + ".";
    }

    /**
     * Tokens whose header names another algorithm than the verify key, each signed
     * the way a confused verifier would check it. For an asymmetric key: HS256 with
     * the public key's bytes as the HMAC secret, in every form a verifier might use
     * (the file as written, trimmed, compact JWK JSON, SPKI PEM, the raw x or n).
     * For a symmetric key: the same secret under another HMAC size.
     */
    public static List<Forged> algorithmConfusion(String token, JwkFile verifyKey) {
        String[] parts = split(token);
        ObjectNode header = (ObjectNode) decode(parts[0]);
        List<Forged> forged = new ArrayList<>();
        if (verifyKey.kty().equals("oct")) {
            String alg = header.path("alg").asText().equals("HS256") ? "HS512" : "HS256";
            header.put("alg", alg);
            byte[] secret = B64URL_DECODE.decode(verifyKey.jwk().path("k").asText());
            forged.add(new Forged(alg + " header, same secret", hmacSigned(header, parts[1], alg, secret)));
            return forged;
        }
        header.put("alg", "HS256");
        Map<String, byte[]> secrets = new LinkedHashMap<>();
        secrets.put("the key file's bytes", verifyKey.raw());
        secrets.put("the key file trimmed", new String(verifyKey.raw(), StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8));
        secrets.put("the compact public JWK", publicJwk(verifyKey.jwk()).toString().getBytes(StandardCharsets.UTF_8));
        secrets.put("the SPKI PEM", pem(spki(verifyKey.jwk())).getBytes(StandardCharsets.UTF_8));
        String rawField = verifyKey.kty().equals("RSA") ? "n" : "x";
        secrets.put("the raw " + rawField, B64URL_DECODE.decode(verifyKey.jwk().path(rawField).asText()));
        List<byte[]> seen = new ArrayList<>();
        secrets.forEach((how, secret) -> {
            if (seen.stream().anyMatch(s -> Arrays.equals(s, secret))) return;
            seen.add(secret);
            forged.add(new Forged("HS256 keyed with " + how, hmacSigned(header, parts[1], "HS256", secret)));
        });
        return forged;
    }

    public static JsonNode header(String token) {
        return decode(split(token)[0]);
    }

    public static JsonNode payload(String token) {
        return decode(split(token)[1]);
    }

    static String hmacSigned(JsonNode header, String payloadPart, String alg, byte[] secret) {
        String signingInput = encode(header) + "." + payloadPart;
        return signingInput + "." + B64URL.encodeToString(hmac(alg, secret, signingInput));
    }

    static byte[] hmac(String alg, byte[] secret, String signingInput) {
        String javaName = "HmacSHA" + alg.substring(2);
        try {
            Mac mac = Mac.getInstance(javaName);
            mac.init(new SecretKeySpec(secret, javaName));
            return mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(javaName + ": " + e.getMessage(), e);
        }
    }

    static JsonNode publicJwk(JsonNode jwk) {
        ObjectNode copy = jwk.deepCopy();
        PRIVATE_FIELDS.forEach(copy::remove);
        copy.putArray("key_ops").add("verify");
        return copy;
    }

    /** The DER SubjectPublicKeyInfo of an asymmetric JWK. */
    static byte[] spki(JsonNode jwk) {
        try {
            return switch (jwk.path("kty").asText()) {
                case "RSA" -> KeyFactory.getInstance("RSA").generatePublic(
                        new RSAPublicKeySpec(unsigned(jwk, "n"), unsigned(jwk, "e"))).getEncoded();
                case "EC" -> {
                    AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
                    parameters.init(new ECGenParameterSpec(jwk.path("crv").asText().equals("P-384") ? "secp384r1" : "secp256r1"));
                    ECPoint point = new ECPoint(unsigned(jwk, "x"), unsigned(jwk, "y"));
                    yield KeyFactory.getInstance("EC").generatePublic(
                            new ECPublicKeySpec(point, parameters.getParameterSpec(ECParameterSpec.class))).getEncoded();
                }
                case "OKP" -> {
                    byte[] x = B64URL_DECODE.decode(jwk.path("x").asText());
                    byte[] der = Arrays.copyOf(ED25519_SPKI, ED25519_SPKI.length + x.length);
                    System.arraycopy(x, 0, der, ED25519_SPKI.length, x.length);
                    yield der;
                }
                default -> throw new IllegalArgumentException("no public key form for kty " + jwk.path("kty").asText());
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot rebuild the public key: " + e.getMessage(), e);
        }
    }

    static String pem(byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n";
    }

    private static BigInteger unsigned(JsonNode jwk, String field) {
        return new BigInteger(1, B64URL_DECODE.decode(jwk.path(field).asText()));
    }

    private static String[] split(String token) {
        String[] parts = token.strip().split("\\.", -1);
        if (parts.length != 3) throw new IllegalArgumentException("not a compact JWS: " + parts.length + " parts");
        return parts;
    }

    private static JsonNode decode(String part) {
        try {
            return JSON.readTree(B64URL_DECODE.decode(part));
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("undecodable JWT segment: " + e.getMessage(), e);
        }
    }

    private static String encode(JsonNode json) {
        return B64URL.encodeToString(json.toString().getBytes(StandardCharsets.UTF_8));
    }
}
