package lib.media;

import lib.core.Text;

/**
 * What a probe saw of a subscriber's output, in one word and its evidence. It is
 * the reason a cell gives, so "no frame" is never all a report says when the
 * probe knows more (an init segment only, text where fMP4 was promised).
 */
public record Diagnosis(Kind kind, String evidence) {
    public enum Kind { NOTHING, INIT_ONLY, NOT_THE_FORMAT, FRAME }

    public static Diagnosis nothing(String evidence) {
        return new Diagnosis(Kind.NOTHING, evidence);
    }

    public boolean frame() {
        return kind == Kind.FRAME;
    }

    /** The words a report shows. */
    public String describe() {
        return switch (kind) {
            case NOTHING -> evidence.isEmpty() ? "received nothing" : evidence;
            case INIT_ONLY -> "init segment only, no media fragment (" + evidence + ")";
            case NOT_THE_FORMAT -> evidence;
            case FRAME -> evidence;
        };
    }

    /** The first bytes of a stream, printable-escaped, for evidence. */
    public static String escape(byte[] bytes, int length) {
        return Text.printable(bytes, length);
    }
}
