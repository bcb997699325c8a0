package dev.parley.signaling.server;

import dev.parley.signaling.client.ConnectionState;
import dev.parley.signaling.client.SignalingClient;
import dev.parley.signaling.protocol.Message;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Records what a {@link SignalingClient} delivers, for assertions. */
final class Recorder implements SignalingClient.Listener {
    final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
    final BlockingQueue<ConnectionState> states = new LinkedBlockingQueue<>();
    volatile String lastDetail;

    @Override
    public void onMessage(Message message) {
        messages.add(message);
    }

    @Override
    public void onStateChanged(ConnectionState state, String detail) {
        lastDetail = detail;
        states.add(state);
    }

    /** The next message of this type within 10 s, skipping others. */
    <T extends Message> T next(Class<T> type) throws InterruptedException {
        return next(type, 10_000);
    }

    <T extends Message> T next(Class<T> type, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (true) {
            long left = deadline - System.nanoTime();
            Message m = left > 0 ? messages.poll(left, TimeUnit.NANOSECONDS) : null;
            if (m == null) {
                throw new AssertionError("no " + type.getSimpleName() + " within " + millis + " ms");
            }
            if (type.isInstance(m)) {
                return type.cast(m);
            }
        }
    }

    /** Asserts no message of this type arrives within the time. */
    void assertNone(Class<? extends Message> type, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            Message m = messages.poll(left, TimeUnit.NANOSECONDS);
            if (type.isInstance(m)) {
                throw new AssertionError("unexpected " + m);
            }
        }
    }

    void awaitState(ConnectionState wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            ConnectionState s = states.poll(100, TimeUnit.MILLISECONDS);
            if (s == wanted) {
                return;
            }
        }
        throw new AssertionError("state " + wanted + " not reached; last detail: " + lastDetail);
    }
}
