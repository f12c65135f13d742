package lib.core;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The harness could not write its own artifacts (logs, results): a failure of the
 * harness (exit 3), never a cell's verdict. The message names the path and the
 * cause, e.g. "no space left on device: out/run/cells/rust-rust/subscriber.out".
 */
public final class ArtifactFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ArtifactFailure(Path path, IOException cause) {
        super(describe(cause) + ": " + path, cause);
    }

    public ArtifactFailure(String what, IOException cause) {
        super(describe(cause) + ": " + what, cause);
    }

    private static String describe(IOException cause) {
        String message = String.valueOf(cause.getMessage());
        if (message.toLowerCase(java.util.Locale.ROOT).contains("no space left")) return "no space left on device";
        return message.replaceFirst("^.*: ", "");
    }

    /** The ArtifactFailure somewhere in error's causes, if any. */
    public static java.util.Optional<ArtifactFailure> in(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ArtifactFailure failure) return java.util.Optional.of(failure);
        }
        return java.util.Optional.empty();
    }
}
