package dev.parley.signaling.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import org.junit.jupiter.api.Test;

/** Turns per key, on an executor the test runs by hand. */
class FairQueueTest {
    private final Queue<Runnable> pool = new ArrayDeque<>();
    private final List<String> ran = new ArrayList<>();

    private void runOne() {
        pool.remove().run();
    }

    @Test
    void aKeyWithABacklogHoldsOneThreadAndOthersGoNext() {
        FairQueue queue = new FairQueue(pool::add, 2, 8, 100);
        for (int i = 0; i < 5; i++) {
            int n = i;
            assertEquals(FairQueue.Refusal.NONE, queue.submit("mallory", () -> ran.add("m" + n)));
        }
        assertEquals(1, pool.size(), "one key, one thread: the other stays free");
        queue.submit("alice", () -> ran.add("a"));
        assertEquals(2, pool.size(), "alice runs at once on the free thread");
        runOne();
        runOne();
        assertEquals(List.of("m0", "a"), ran);
    }

    @Test
    void aKeyMayHaveOnlySoManyWaitingAndAllOnlySoManyInAll() {
        FairQueue queue = new FairQueue(pool::add, 1, 2, 3);
        queue.submit("k", () -> {}); // running
        queue.submit("k", () -> {});
        queue.submit("k", () -> {});
        assertEquals(FairQueue.Refusal.KEY_FULL, queue.submit("k", () -> {}));
        queue.submit("j", () -> {});
        assertEquals(FairQueue.Refusal.QUEUE_FULL, queue.submit("i", () -> {}));
        while (!pool.isEmpty()) {
            runOne();
        }
        assertEquals(0, queue.waiting());
    }
}
