package lib.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scrubs keys and tokens from anything that is printed or written to a report.
 * A JWT is shown only as its header and a hash, so two report lines can still be
 * matched to each other; key material is replaced outright.
 */
public final class Secrets {
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*");
    private static final Pattern BASE64_JSON = Pattern.compile("eyJ[A-Za-z0-9_-]{16,}={0,2}");
    private static final Pattern JWK_PRIVATE = Pattern.compile("(\"(?:k|d|p|q|dp|dq|qi)\"\\s*:\\s*)\"[^\"]*\"");

    private Secrets() {}

    public static String redact(String text) {
        if (text == null || text.isEmpty()) return text;
        Matcher jwt = JWT.matcher(text);
        StringBuilder out = new StringBuilder();
        while (jwt.find()) jwt.appendReplacement(out, Matcher.quoteReplacement(describeJwt(jwt.group())));
        jwt.appendTail(out);
        String scrubbed = BASE64_JSON.matcher(out).replaceAll(m -> Matcher.quoteReplacement("<base64 key material, sha256 " + hash(m.group()) + ">"));
        return JWK_PRIVATE.matcher(scrubbed).replaceAll("$1\"<redacted>\"");
    }

    /** "<jwt {"alg":"HS256","typ":"JWT"} sha256 1a2b3c4d>" */
    public static String describeJwt(String token) {
        String header = token.substring(0, Math.max(0, token.indexOf('.')));
        String decoded;
        try {
            decoded = new String(Base64.getUrlDecoder().decode(header), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            decoded = "undecodable header";
        }
        return "<jwt " + JWK_PRIVATE.matcher(decoded).replaceAll("$1\"<redacted>\"") + " sha256 " + hash(token) + ">";
    }

    public static String hash(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
