package dev.parley.signaling.server;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs tasks on a pool of worker threads in turns per key (the client's address): a free thread takes the oldest
 * task of the next key in the rotation, one key never has more than one task running, and each key may have only
 * so many tasks waiting. So one address, however many sign-ins it sends, holds at most one worker, and every other
 * address's sign-in waits at most for the tasks already running. Thread-safe.
 *
 * <p>Password hashing is the server's scarcest resource: without the turns, one address flooding sign-ins queued
 * hundreds of hashes ahead of everyone else.
 */
final class FairQueue {
    private final Executor executor;
    private final int threads;
    private final int waitingPerKey;
    private final int waitingInAll;
    /** Keys with waiting tasks, in turn order; each key appears once. */
    private final ArrayDeque<String> turns = new ArrayDeque<>();

    private final Map<String, ArrayDeque<Runnable>> waiting = new HashMap<>();
    private final Map<String, Boolean> running = new HashMap<>();
    private int waitingCount;

    /**
     * @param executor      runs the tasks, at most {@code threads} at a time
     * @param threads       the executor's worker threads
     * @param waitingPerKey tasks one key may have waiting
     * @param waitingInAll  tasks all keys together may have waiting
     */
    FairQueue(Executor executor, int threads, int waitingPerKey, int waitingInAll) {
        this.executor = executor;
        this.threads = threads;
        this.waitingPerKey = waitingPerKey;
        this.waitingInAll = waitingInAll;
    }

    /** Why a task was not taken. */
    enum Refusal {
        NONE,
        KEY_FULL,
        QUEUE_FULL
    }

    /** Queues the task under the key; {@link Refusal#NONE} if it will run. */
    Refusal submit(String key, Runnable task) {
        synchronized (this) {
            ArrayDeque<Runnable> mine = waiting.get(key);
            if (mine != null && mine.size() >= waitingPerKey) {
                return Refusal.KEY_FULL;
            }
            if (waitingCount >= waitingInAll) {
                return Refusal.QUEUE_FULL;
            }
            if (mine == null) {
                mine = new ArrayDeque<>();
                waiting.put(key, mine);
                turns.addLast(key);
            }
            mine.addLast(task);
            waitingCount++;
        }
        dispatch();
        return Refusal.NONE;
    }

    /** Hands tasks to free threads: the next key in turn that has none running. */
    private void dispatch() {
        while (true) {
            String key;
            Runnable task;
            synchronized (this) {
                if (running.size() >= threads) {
                    return;
                }
                key = null;
                for (Iterator<String> it = turns.iterator(); it.hasNext(); ) {
                    String candidate = it.next();
                    if (!running.containsKey(candidate)) {
                        key = candidate;
                        it.remove();
                        break;
                    }
                }
                if (key == null) {
                    return;
                }
                ArrayDeque<Runnable> mine = waiting.get(key);
                task = mine.pollFirst();
                waitingCount--;
                if (mine.isEmpty()) {
                    waiting.remove(key);
                } else {
                    turns.addLast(key); // its next task waits for every other key's turn
                }
                running.put(key, Boolean.TRUE);
            }
            String done = key;
            try {
                executor.execute(() -> {
                    try {
                        task.run();
                    } finally {
                        finished(done);
                    }
                });
            } catch (RejectedExecutionException shuttingDown) {
                synchronized (this) {
                    running.remove(done);
                }
                return;
            }
        }
    }

    private void finished(String key) {
        synchronized (this) {
            running.remove(key);
        }
        dispatch();
    }

    synchronized int waiting() {
        return waitingCount;
    }
}
