package lib.core;

import java.nio.charset.StandardCharsets;

/** Showing bytes someone else wrote, safely, in reports and reasons. */
public final class Text {
    private Text() {}

    /** The first length bytes, printable ASCII kept, everything else escaped (\n, \x1b, ...). */
    public static String printable(byte[] bytes, int length) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.min(length, bytes.length); i++) {
            int b = bytes[i] & 0xff;
            if (b == '\\') out.append("\\\\");
            else if (b == '"') out.append("\\\"");
            else if (b == '\n') out.append("\\n");
            else if (b == '\r') out.append("\\r");
            else if (b == '\t') out.append("\\t");
            else if (b >= 0x20 && b < 0x7f) out.append((char) b);
            else out.append(String.format("\\x%02x", b));
        }
        return out.toString();
    }

    /** A string's first max characters, escaped as printable, with an ellipsis when cut. */
    public static String printable(String text, int max) {
        String cut = text.length() > max ? text.substring(0, max) : text;
        byte[] bytes = cut.getBytes(StandardCharsets.UTF_8);
        return printable(bytes, bytes.length) + (text.length() > max ? "…" : "");
    }
}
