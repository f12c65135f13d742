import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import lib.token.JwkFile;
import lib.token.TokenForgery.Forged;
import lib.token.TokenForgery;

/** Each negative really is what its check name says, and nothing else changed. */
class TokenForgeryTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    @Test
    void tamperedPayloadChangesOnlyTheRootAndKeepsTheSignature() {
        String token = hs256("{\"typ\":\"JWT\",\"alg\":\"HS256\",\"kid\":\"k1\"}", "{\"root\":\"demo\",\"put\":[\"a\"],\"get\":[\"b\"]}");
        String forged = TokenForgery.tamperPayload(token);
        assertEquals(part(token, 0), part(forged, 0));
        assertEquals(part(token, 2), part(forged, 2));
        assertEquals("demox", TokenForgery.payload(forged).get("root").asText());
        ObjectNode rest = TokenForgery.payload(forged).deepCopy();
        rest.put("root", "demo");
        assertEquals(TokenForgery.payload(token), rest);
    }

    @Test
    void tamperedSignatureDiffersInItsFirstCharacterOnly() {
        String token = hs256("{\"alg\":\"HS256\"}", "{\"root\":\"demo\",\"put\":[\"a\"]}");
        String forged = TokenForgery.tamperSignature(token);
        String before = part(token, 2);
        String after = part(forged, 2);
        assertNotEquals(before.charAt(0), after.charAt(0));
        assertEquals(before.substring(1), after.substring(1));
        assertFalse(Arrays.equals(Base64.getUrlDecoder().decode(before), Base64.getUrlDecoder().decode(after)), "the signature bytes change");
        assertEquals(token.substring(0, token.lastIndexOf('.')), forged.substring(0, forged.lastIndexOf('.')));
    }

    @Test
    void signatureFlipHandlesASignatureStartingWithA() {
        String forged = TokenForgery.tamperSignature("eyJhbGciOiJIUzI1NiJ9.e30.AAAA");
        assertEquals("BAAA", part(forged, 2));
        assertThrows(IllegalArgumentException.class, () -> TokenForgery.tamperSignature("eyJhbGciOiJub25lIn0.e30."));
    }

    @Test
    void unsignedTokenKeepsTheClaimsAndDropsTheSignature() {
        String token = hs256("{\"alg\":\"HS256\",\"kid\":\"k1\"}", "{\"root\":\"demo\",\"get\":[\"b\"]}");
        String forged = TokenForgery.unsigned(token);
        assertEquals("none", TokenForgery.header(forged).get("alg").asText());
        assertEquals(part(token, 1), part(forged, 1));
        assertTrue(forged.endsWith("."), forged);
        assertEquals("", part(forged, 2));
    }

    @Test
    void symmetricKeyConfusionUsesTheSameSecretUnderAnotherHmac() throws Exception {
        String token = hs256("{\"alg\":\"HS256\",\"kid\":\"k1\"}", "{\"root\":\"demo\",\"put\":[\"a\"]}");
        JwkFile key = JwkFile.parse(("{\"kty\":\"oct\",\"alg\":\"HS256\",\"k\":\"" + B64.encodeToString(SECRET) + "\"}").getBytes(StandardCharsets.UTF_8));
        List<Forged> forged = TokenForgery.algorithmConfusion(token, key);
        assertEquals(1, forged.size());
        String bad = forged.get(0).token();
        assertEquals("HS512", TokenForgery.header(bad).get("alg").asText());
        assertEquals("k1", TokenForgery.header(bad).get("kid").asText());
        assertEquals(part(token, 1), part(bad, 1));
        assertEquals(B64.encodeToString(mac("HmacSHA512", SECRET, signingInput(bad))), part(bad, 2));
    }

    @Test
    void ed25519ConfusionIsHs256KeyedWithEachPublicForm() throws Exception {
        var pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] spki = pair.getPublic().getEncoded();
        byte[] x = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
        String jwk = "{\"alg\":\"EdDSA\",\"key_ops\":[\"verify\"],\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" + B64.encodeToString(x) + "\",\"kid\":\"k2\"}";
        assertConfusion(jwk, pair.getPublic(), x);
    }

    @Test
    void ecConfusionRebuildsTheSameSpkiJavaWrote() throws Exception {
        var generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        var pair = generator.generateKeyPair();
        ECPublicKey pub = (ECPublicKey) pair.getPublic();
        String jwk = "{\"kty\":\"EC\",\"alg\":\"ES256\",\"crv\":\"P-256\",\"x\":\"" + b64(pub.getW().getAffineX(), 32) + "\",\"y\":\""
                + b64(pub.getW().getAffineY(), 32) + "\",\"kid\":\"k3\",\"key_ops\":[\"verify\"]}";
        assertConfusion(jwk, pub, fixed(pub.getW().getAffineX(), 32));
    }

    @Test
    void rsaConfusionRebuildsTheSameSpkiJavaWrote() throws Exception {
        var generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        RSAPublicKey pub = (RSAPublicKey) generator.generateKeyPair().getPublic();
        String jwk = "{\"kty\":\"RSA\",\"alg\":\"RS256\",\"n\":\"" + b64(pub.getModulus(), 256) + "\",\"e\":\"AQAB\",\"kid\":\"k4\"}";
        assertConfusion(jwk, pub, fixed(pub.getModulus(), 256));
    }

    /** Every variant: header HS256 (kid kept), same payload, and an HMAC only that exact secret produces. */
    private void assertConfusion(String jwkJson, PublicKey javaKey, byte[] rawField) throws Exception {
        byte[] file = B64.encodeToString(jwkJson.getBytes(StandardCharsets.UTF_8)).getBytes(StandardCharsets.US_ASCII);
        JwkFile key = JwkFile.parse(file);
        String token = hs256("{\"typ\":\"JWT\",\"alg\":\"" + key.alg() + "\",\"kid\":\"kid-1\"}", "{\"root\":\"demo\",\"put\":[\"a\"]}");
        List<Forged> forged = TokenForgery.algorithmConfusion(token, key);
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(javaKey.getEncoded()) + "\n-----END PUBLIC KEY-----\n";
        ObjectNode publicJwk = (ObjectNode) JSON.readTree(jwkJson);
        publicJwk.putArray("key_ops").add("verify");
        List<byte[]> expectedSecrets = List.of(file, publicJwk.toString().getBytes(StandardCharsets.UTF_8),
                pem.getBytes(StandardCharsets.US_ASCII), rawField);
        assertEquals(expectedSecrets.size(), forged.size(), "the trimmed file equals the file here, so it is tried once: " + forged);
        for (int i = 0; i < forged.size(); i++) {
            String bad = forged.get(i).token();
            JsonNode header = TokenForgery.header(bad);
            assertEquals("HS256", header.get("alg").asText(), forged.get(i).how());
            assertEquals("kid-1", header.get("kid").asText());
            assertEquals(part(token, 1), part(bad, 1));
            assertEquals(B64.encodeToString(mac("HmacSHA256", expectedSecrets.get(i), signingInput(bad))), part(bad, 2), forged.get(i).how());
        }
    }

    static String hs256(String header, String payload) {
        String input = B64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "." + B64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        try {
            return input + "." + B64.encodeToString(mac("HmacSHA256", SECRET, input));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] mac(String name, byte[] secret, String input) throws Exception {
        Mac mac = Mac.getInstance(name);
        mac.init(new SecretKeySpec(secret, name));
        return mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
    }

    static String signingInput(String token) {
        return token.substring(0, token.lastIndexOf('.'));
    }

    static String part(String token, int index) {
        return token.split("\\.", -1)[index];
    }

    static byte[] fixed(BigInteger value, int length) {
        byte[] bytes = value.toByteArray();
        byte[] out = new byte[length];
        int copy = Math.min(bytes.length, length);
        System.arraycopy(bytes, bytes.length - copy, out, length - copy, copy);
        return out;
    }

    static String b64(BigInteger value, int length) {
        return B64.encodeToString(fixed(value, length));
    }
}
