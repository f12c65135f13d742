package lib.core;

/** Bad input from the user (options, config, a missing binary): one line, exit 2. */
public final class UsageError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsageError(String message) {
        super(message);
    }
}
