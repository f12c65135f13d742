package lib.core;

/**
 * Whether a client (or the relay) can take part in a run. UNAVAILABLE means its
 * registry, channel or toolchain can't be reached from this machine: neither pass nor
 * fail. UNSUPPORTED means the client does not run on this platform at all (swift on
 * Linux). BROKEN means it was reached but failed to install or launch, or the
 * registry said the package does not exist: a packaging break, so its cells fail.
 */
public record Availability(State state, String detail) {
    public enum State { READY, UNAVAILABLE, UNSUPPORTED, BROKEN }

    /** detail: what was found, e.g. the version. */
    public static Availability ready(String detail) {
        return new Availability(State.READY, detail);
    }

    public static Availability unavailable(String reason) {
        return new Availability(State.UNAVAILABLE, reason);
    }

    public static Availability unsupported(String reason) {
        return new Availability(State.UNSUPPORTED, reason);
    }

    public static Availability broken(String reason) {
        return new Availability(State.BROKEN, reason);
    }

    public boolean ready() {
        return state == State.READY;
    }

    @Override
    public String toString() {
        return switch (state) {
            case READY -> "available" + (detail.isEmpty() ? "" : " (" + detail + ")");
            case UNAVAILABLE -> "unavailable: " + detail;
            case UNSUPPORTED -> "unsupported here: " + detail;
            case BROKEN -> "broken: " + detail;
        };
    }
}
