package lib;

/** Bad input from the user (options, config, a missing binary): one line, exit 2. */
public final class UsageError extends RuntimeException {
    public UsageError(String message) {
        super(message);
    }
}
