package lib.core;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Independent, blocking steps of a run (installs, checks, stops), each on a thread of
 * its own so that their waits on children and the network overlap. A step's failure
 * reaches whoever joins it as the very exception it threw, so an error is reported as
 * it would have been had the step run inline.
 */
public final class Concurrently {
    private Concurrently() {}

    /** A step running on its own daemon thread (a step left behind never keeps the JVM up). */
    public static final class Task<T> {
        private final Thread thread;
        private volatile T value;
        private volatile Throwable failure;

        private Task(String name, Supplier<T> step) {
            thread = new Thread(() -> {
                try {
                    value = step.get();
                } catch (Throwable e) {
                    failure = e;
                }
            }, name);
            thread.setDaemon(true);
            thread.start();
        }

        /**
         * Waits for the step to end and returns its value.
         *
         * @throws RuntimeException or Error: the one the step threw, unwrapped
         */
        public T join() {
            await();
            if (failure instanceof RuntimeException e) throw e;
            if (failure instanceof Error e) throw e;
            return value;
        }

        /** Waits for the step to end, whatever its outcome. */
        public void await() {
            boolean interrupted = false;
            while (true) {
                try {
                    thread.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /** Starts step now, on a thread named name. */
    public static <T> Task<T> start(String name, Supplier<T> step) {
        return new Task<>(name, step);
    }

    /** step on its own thread, with no value: a check that passes or throws. */
    public static Task<Void> run(String name, Runnable step) {
        return new Task<>(name, () -> {
            step.run();
            return null;
        });
    }

    /**
     * Runs every step at once and waits for all of them, even when one fails, so none is
     * left running unobserved; returns their values in the order given.
     *
     * @throws RuntimeException or Error: the first failure in the order given, as thrown
     */
    public static <T> List<T> all(String name, List<Supplier<T>> steps) {
        List<Task<T>> tasks = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) tasks.add(start(name + "-" + i, steps.get(i)));
        tasks.forEach(Task::await);
        List<T> values = new ArrayList<>();
        for (Task<T> task : tasks) values.add(task.join());
        return values;
    }

    /** Runs every step at once and waits for all; the first failure in the order given is rethrown. */
    public static void runAll(String name, List<Runnable> steps) {
        all(name, steps.stream().<Supplier<Void>>map(step -> () -> {
            step.run();
            return null;
        }).toList());
    }
}
