import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import lib.core.Concurrently;
import lib.core.UsageError;

/** Steps side by side; each test would hang (until its latch gives up) if they ran one after the other. */
class ConcurrentlyTest {
    /** Waits for latch; the limit only keeps a broken build from hanging the suite. */
    static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(60, TimeUnit.SECONDS), "the other step never ran: the steps did not run side by side");
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void stepsRunSideBySideAndTheirValuesComeInTheOrderGiven() {
        CountDownLatch first = new CountDownLatch(1);
        CountDownLatch second = new CountDownLatch(1);
        List<Supplier<String>> steps = List.of(
                () -> { first.countDown(); await(second); return "relay"; },
                () -> { second.countDown(); await(first); return "cli"; });
        assertEquals(List.of("relay", "cli"), Concurrently.all("test", steps));
    }

    @Test
    void theFirstFailureInTheOrderGivenIsRethrownAsThrownOnceAllHaveEnded() {
        UsageError relays = new UsageError("moq-relay not found on PATH");
        CountDownLatch laterFailed = new CountDownLatch(1);
        AtomicBoolean lastEnded = new AtomicBoolean();
        List<Supplier<String>> steps = List.of(
                () -> { await(laterFailed); throw relays; },
                () -> { laterFailed.countDown(); throw new IllegalStateException("cli exploded"); },
                () -> { await(laterFailed); lastEnded.set(true); return "python"; });
        UsageError thrown = assertThrows(UsageError.class, () -> Concurrently.all("test", steps));
        assertSame(relays, thrown, "the step's own exception, not a wrapper");
        assertTrue(lastEnded.get(), "no step is left running when all() gives up");
    }

    @Test
    void aTaskGivesItsValueOrItsOwnException() {
        assertEquals("ready", Concurrently.start("test", () -> "ready").join());
        UsageError refused = new UsageError("the always-latest policy is broken");
        Concurrently.Task<Void> policy = Concurrently.run("test", () -> { throw refused; });
        policy.await();
        assertSame(refused, assertThrows(UsageError.class, policy::join));
    }
}
