package dev.parley.call;

import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * Buffers of one size for the pieces of a file coming in, used again once the disk has written them.
 *
 * <p>A piece arrives on libwebrtc's network thread and lives only during the callback, so it is copied. A fresh array
 * per piece made 35 MB/s of garbage at the receiver: a young collection every 0.7 s (4 per 512 MiB with these), each
 * holding the network thread at the safepoint when it called into Java for the next piece, and 14–16 MB more
 * memory while a file moved (docs/decisions/0010).
 */
final class Pieces {
    private final int size;
    private final ArrayBlockingQueue<ByteBuffer> free;
    private volatile boolean closed;

    /** Buffers of {@code size} bytes; at most {@code keep} wait to be used again, any more are left to the collector. */
    Pieces(int size, int keep) {
        this.size = size;
        this.free = new ArrayBlockingQueue<>(keep);
    }

    /** Whether a message of {@code length} bytes goes into one of these: only a full piece (a smaller one would waste). */
    boolean fits(int length) {
        return length == size;
    }

    /** An empty buffer of the pool's size, used before or new (any thread). */
    ByteBuffer take() {
        ByteBuffer b = free.poll();
        return b != null ? b.clear() : ByteBuffer.allocateDirect(size);
    }

    /**
     * {@code b} is done with; kept for the next piece if it is one of these, there is room and the transfer goes on
     * (any thread).
     */
    void give(ByteBuffer b) {
        if (!closed && b.isDirect() && b.capacity() == size) {
            free.offer(b);
        }
    }

    /** The transfer is over: every buffer kept goes, and none given back later is kept (a write just finishing). */
    void close() {
        closed = true;
        free.clear();
    }

    int kept() {
        return free.size();
    }
}
