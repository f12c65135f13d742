package lib;

/**
 * Whether a client (or the relay) can take part in a run. UNAVAILABLE means its
 * channel or toolchain can't be reached on this machine: a third state, neither pass
 * nor fail. BROKEN means it was reachable but failed to install or launch: a
 * packaging break, so its cells fail.
 */
public record Availability(State state, String detail) {
    public enum State { READY, UNAVAILABLE, BROKEN }

    /** detail: what was found, e.g. the version. */
    public static Availability ready(String detail) {
        return new Availability(State.READY, detail);
    }

    public static Availability unavailable(String reason) {
        return new Availability(State.UNAVAILABLE, reason);
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
            case BROKEN -> "broken: " + detail;
        };
    }
}
