package lib.core;

import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Which install logs belong to which install. A client that fails to install
 * shows the logs its own install wrote (its npm or jbang log, say), not every
 * install log of the run: those bury its cause under other clients' output.
 * Each install runs on one thread, so the logs it opens are collected there.
 */
public final class InstallLogs {
    private static final ThreadLocal<Set<Path>> COLLECTING = new ThreadLocal<>();

    private InstallLogs() {}

    /** The work's result with the install logs it opened (through {@link Workspace#provisionLog}) or was given with {@link #add}. */
    public record Collected<T>(T value, List<Path> logs) {}

    /** Runs work, collecting its logs; an enclosing collection gets them too. */
    public static <T> Collected<T> collect(Supplier<T> work) {
        Set<Path> outer = COLLECTING.get();
        Set<Path> mine = new LinkedHashSet<>();
        COLLECTING.set(mine);
        try {
            return new Collected<>(work.get(), List.copyOf(mine));
        } finally {
            COLLECTING.set(outer);
            if (outer != null) outer.addAll(mine);
        }
    }

    /** Counts logs to the collection under way on this thread, if any: a shared toolchain's logs, for each client that uses it. */
    public static void add(Collection<Path> logs) {
        Set<Path> current = COLLECTING.get();
        if (current != null) current.addAll(logs);
    }

    static void opened(Path log) {
        add(List.of(log));
    }
}
