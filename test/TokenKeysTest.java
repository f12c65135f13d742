import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import lib.token.JwkFile.Encoding;
import lib.token.JwkFile;

/** Key-encoding detection: each tool's own file format, told apart without key material in the description. */
class TokenKeysTest {
    static final String JWK = "{\"alg\":\"EdDSA\",\"key_ops\":[\"verify\"],\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\",\"kid\":\"a1\"}";

    @Test
    void prettyJsonAsTheJsToolWritesIt() {
        JwkFile file = JwkFile.parse("{\n  \"kty\": \"oct\",\n  \"alg\": \"HS256\",\n  \"k\": \"c2VjcmV0\"\n}".getBytes(StandardCharsets.UTF_8));
        assertEquals(Encoding.JSON, file.encoding());
        assertTrue(file.hasPrivatePart());
        assertEquals("HS256 oct private key, plain JSON", file.describe());
    }

    @Test
    void unpaddedBase64urlAsTheRustToolWritesIt() {
        String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(JWK.getBytes(StandardCharsets.UTF_8));
        JwkFile file = JwkFile.parse(encoded.getBytes(StandardCharsets.US_ASCII));
        assertEquals(Encoding.BASE64URL, file.encoding());
        assertFalse(file.hasPrivatePart());
        assertEquals("EdDSA OKP public key, base64url JSON, unpadded", file.describe());
        assertFalse(file.describe().contains("11qY"), "no key material");
    }

    @Test
    void paddedBase64urlIsToldApartBecauseTheRustReaderRefusesIt() {
        String padded = Base64.getUrlEncoder().encodeToString((JWK + "  ").getBytes(StandardCharsets.UTF_8));
        assertTrue(padded.endsWith("="), padded);
        assertEquals(Encoding.BASE64URL_PADDED, JwkFile.parse((padded + "\n").getBytes(StandardCharsets.US_ASCII)).encoding());
    }

    @Test
    void anythingElseIsNoKey() {
        assertThrows(IllegalArgumentException.class, () -> JwkFile.parse("not a key!".getBytes(StandardCharsets.US_ASCII)));
        assertThrows(IllegalArgumentException.class, () -> JwkFile.parse("{\"alg\":\"HS256\"}".getBytes(StandardCharsets.US_ASCII)));
        String noKty = Base64.getUrlEncoder().withoutPadding().encodeToString("[1,2]".getBytes(StandardCharsets.US_ASCII));
        assertThrows(IllegalArgumentException.class, () -> JwkFile.parse(noKty.getBytes(StandardCharsets.US_ASCII)));
    }
}
