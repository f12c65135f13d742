package lib.token;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A key file as a token tool wrote it. The tools agree on the JWK but not on the
 * file: moq-token writes unpadded base64url of compact JSON, @moq/token plain
 * pretty JSON. Which one a file holds is part of what a cell reports, since each
 * verifier has to load the other's.
 */
public record JwkFile(byte[] raw, Encoding encoding, JsonNode jwk) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public enum Encoding {
        JSON("plain JSON"), BASE64URL("base64url JSON, unpadded"), BASE64URL_PADDED("base64url JSON, padded");

        public final String label;

        Encoding(String label) {
            this.label = label;
        }
    }

    public static JwkFile read(Path file) {
        try {
            return parse(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Throws IllegalArgumentException when the bytes are no JWK in either encoding. */
    public static JwkFile parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.UTF_8).strip();
        if (text.startsWith("{")) return new JwkFile(raw, Encoding.JSON, json(text));
        Encoding encoding = text.endsWith("=") ? Encoding.BASE64URL_PADDED : Encoding.BASE64URL;
        byte[] decoded;
        try {
            decoded = Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("neither JSON nor base64url: " + e.getMessage());
        }
        return new JwkFile(raw, encoding, json(new String(decoded, StandardCharsets.UTF_8)));
    }

    public String kty() {
        return jwk.path("kty").asText();
    }

    public String alg() {
        return jwk.path("alg").asText();
    }

    public boolean hasPrivatePart() {
        return jwk.has("d") || jwk.has("k");
    }

    /** e.g. "EdDSA OKP key, base64url JSON, unpadded": no key material. */
    public String describe() {
        return alg() + " " + kty() + (hasPrivatePart() ? " private" : " public") + " key, " + encoding.label;
    }

    private static JsonNode json(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null || !node.isObject() || !node.has("kty")) throw new IllegalArgumentException("not a JWK (no kty)");
            return node;
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }
}
