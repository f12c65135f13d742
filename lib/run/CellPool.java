package lib.run;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;

import lib.report.CellResult;

/**
 * Runs a matrix's cells on at most jobs threads (these machines have two cores),
 * reporting each result the moment it is known and returning all of them in plan
 * order. A cell that throws is a harness bug, not a verdict, and ends the run.
 */
public final class CellPool {
    private CellPool() {}

    public static <C> Map<C, CellResult> run(List<C> cells, int jobs, Function<C, CellResult> runner, Consumer<CellResult> onResult) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, jobs));
        try {
            Map<C, Future<CellResult>> pending = new LinkedHashMap<>();
            for (C cell : cells) {
                pending.put(cell, pool.submit(() -> {
                    CellResult result = runner.apply(cell);
                    onResult.accept(result);
                    return result;
                }));
            }
            Map<C, CellResult> results = new LinkedHashMap<>();
            for (var entry : pending.entrySet()) results.put(entry.getKey(), join(entry.getValue()));
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static CellResult join(Future<CellResult> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cell crashed: " + e.getCause(), e.getCause());
        }
    }
}
