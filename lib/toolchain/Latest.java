package lib.toolchain;

import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import lib.core.Pins;

/**
 * The always-latest rule for installers: a package tool that silently settles for
 * an older release than the newest the registry lists (pip or uv taking the
 * previous wheel because the newest has none for this platform, cargo picking an
 * older crate for an older rustc) is a packaging break a user on this platform
 * would never notice, so the cell is red, naming both versions.
 */
public final class Latest {
    private static final Pattern NUMBERS = Pattern.compile("(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?");

    private Latest() {}

    /**
     * Why installed is not good enough, if newest (what the registry lists) is a
     * newer release; empty when they match, when newest is unknown, or when the
     * versions can't be compared.
     */
    public static Optional<String> settledForOlder(String tool, String artifact, String installed, Optional<String> newest) {
        if (newest.isEmpty() || installed == null || installed.isBlank()) return Optional.empty();
        int order = compare(installed, newest.get());
        if (order >= 0) return Optional.empty();
        return Optional.of(tool + " installed " + artifact + " " + installed + ", but the registry's newest is " + newest.get()
                + ": a user here silently gets the older release");
    }

    /**
     * The same rule under --pin: a pinned artifact must be exactly its pin and is
     * never held against the registry's newest (which is then not even asked for).
     */
    public static Optional<String> check(Pins pins, String tool, String artifact, String installed, Supplier<Optional<String>> newest) {
        Optional<String> pin = pins.version(artifact);
        if (pin.isEmpty()) return settledForOlder(tool, artifact, installed, newest.get());
        return pin.get().equals(installed) ? Optional.empty()
                : Optional.of(tool + " installed " + artifact + " " + installed + ", but --pin asked for " + pin.get());
    }

    /** Numeric comparison of the first three dotted numbers; pre-release and build suffixes are ignored. */
    static int compare(String a, String b) {
        int[] x = parts(a);
        int[] y = parts(b);
        for (int i = 0; i < 3; i++) if (x[i] != y[i]) return Integer.compare(x[i], y[i]);
        return 0;
    }

    private static int[] parts(String version) {
        Matcher m = NUMBERS.matcher(version);
        if (!m.find()) return new int[] {0, 0, 0};
        return new int[] {num(m.group(1)), num(m.group(2)), num(m.group(3))};
    }

    private static int num(String group) {
        return group == null ? 0 : Integer.parseInt(group);
    }
}
