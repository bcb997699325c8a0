package dev.parley.signaling.server;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RFC 6455 framing on a socket Jetty accepted and upgraded ({@link WebSocketUpgrade}): reads the client's frames,
 * checks them, unmasks them and hands them one at a time to its {@link Wire.Handler}; writes the server's frames in
 * order from any thread. No extensions are ever negotiated, so reserved bits are errors.
 *
 * <p>Why not Jetty's own WebSocket session: it hands every read to a pool thread, and every outgoing message goes
 * through several layers of frames, flushers and callbacks. Profiles of the relay put most of the server's own time
 * there (docs/decisions/0001). Here, when nothing behind the handler blocks ({@code inline}), a read is handled on
 * Jetty's selector thread itself, and a message to send is one header and one payload buffer.
 *
 * <p>Memory: an idle connection holds no buffer. Reads go into a buffer per thread; only the unread tail of a read
 * (a frame cut by the network, or frames waiting while the handler paused) is copied into the connection.
 */
final class WebSocketWire extends AbstractConnection implements Wire, org.eclipse.jetty.io.Connection.UpgradeTo {
    private static final Logger log = LoggerFactory.getLogger(WebSocketWire.class);
    private static final int READ_BUFFER = 16 * 1024;
    /** How long a socket that is ending may take to take what is still queued for it. */
    private static final long CLOSING_MILLIS = 2000;
    /** Bytes read for one socket in one turn before the others get theirs. */
    private static final int READ_BUDGET = 64 * 1024;

    private static final ThreadLocal<ByteBuffer> READS =
            ThreadLocal.withInitial(() -> ByteBuffer.allocate(READ_BUFFER));
    /** Reads that failed with an unexpected exception (a bug: the connection was closed); for tests and logs. */
    static final LongAdder READ_FAILURES = new LongAdder();

    private final Wire.Handler handler;
    private final int maxFrameBytes;
    private final long idleMillis;
    private final Callback fillable;
    private final Callback written;

    // Reading: only the one thread in readNow's loop (readers counts the calls that came meanwhile; happens-before
    // from one pass to the next goes through it). No lock: the thread reading may be waiting for the hub's lock, and
    // the hub's lock holders close and resume connections.
    private final AtomicInteger readers = new AtomicInteger();
    /** Set by a turn that spent its read budget; the loop's owner's only. */
    private boolean handOff;
    /** Bytes read and not yet parsed (a cut header, or frames left while paused); null when none. */
    private byte[] carry;
    /**
     * The payload of a frame longer than what one read brought, filled in place (its bytes so far between position
     * and limit); null when none.
     */
    private ByteBuffer partial;

    /** The whole length of the frame {@link #partial} holds the start of. */
    private int partialLength;

    private byte partialOpcode;
    private boolean partialFin;
    private int partialMask;
    /** The opcode of the data message whose continuation frames are awaited, or -1. */
    private int fragmented = -1;

    /** FLOWING, PAUSED by the handler, or RESUMED while the handler was still deciding to pause. */
    private final AtomicInteger flow = new AtomicInteger(FLOWING);

    private static final int FLOWING = 0;
    private static final int PAUSED = 1;
    private static final int RESUMED = 2;
    private volatile boolean closeSent;
    private volatile int peerCloseCode = NO_CLOSE_FRAME;

    // Writing: guarded by this.
    private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>(4);
    private boolean writing;
    private boolean outputClosed;
    private boolean closeWhenFlushed;
    /** True while flush() is inside a write call; doneAtOnce: that write completed meanwhile. */
    private boolean inWrite;

    private boolean doneAtOnce;
    private long queued;
    private long inFlight;

    /**
     * @param inline true to run the handler on whichever thread found the socket readable (Jetty's selector): only
     *     when nothing the handler does blocks
     */
    WebSocketWire(
            EndPoint endPoint,
            Executor executor,
            Wire.Handler handler,
            int maxFrameBytes,
            long idleMillis,
            boolean inline) {
        super(endPoint, executor);
        this.handler = handler;
        this.idleMillis = idleMillis;
        this.maxFrameBytes = maxFrameBytes;
        InvocationType type = inline ? InvocationType.NON_BLOCKING : InvocationType.BLOCKING;
        this.fillable = Callback.from(type, this::onFillable, this::onFillInterestedFailed);
        this.written = Callback.from(InvocationType.NON_BLOCKING, this::flushed, this::writeFailed);
    }

    @Override
    public void onUpgradeTo(ByteBuffer buffer) {
        // Frames a client sent right behind its upgrade request.
        byte[] early = new byte[buffer.remaining()];
        buffer.get(early);
        carry = early;
    }

    @Override
    public void onOpen() {
        super.onOpen();
        getEndPoint().setIdleTimeout(idleMillis);
        handler.onOpen(this);
        readNow();
    }

    @Override
    public void onFillable() {
        readNow();
    }

    @Override
    public void onClose(Throwable cause) {
        super.onClose(cause);
        handler.onClosed(peerCloseCode);
    }

    /** A read that failed or timed out ends the socket (Jetty's default half-closes it and waits again). */
    @Override
    public void onFillInterestedFailed(Throwable cause) {
        log.debug("Reading from {} ended: {}", remoteAddress(), cause.toString());
        getEndPoint().close(cause);
    }

    @Override
    public boolean onIdleExpired(java.util.concurrent.TimeoutException timeout) {
        log.debug("Idle timeout on {}", remoteAddress());
        return true; // Jetty closes the socket
    }

    // ---- reading ----

    /** Reads now, or, if another thread is in the loop, has that thread go round once more. */
    private void readNow() {
        if (readers.getAndIncrement() != 0) {
            return;
        }
        drain(1);
    }

    /**
     * The reading loop, run by the one thread that owns it; {@code calls} counts the readNow calls it answers for. A
     * turn that spent its budget hands the loop, ownership and all, to a pool thread.
     */
    private void drain(int calls) {
        do {
            handOff = false;
            try {
                read();
            } catch (IOException e) {
                log.debug("Read from {} failed: {}", remoteAddress(), e.toString());
                getEndPoint().close(e);
            } catch (RuntimeException e) {
                READ_FAILURES.increment();
                log.error("Reading from {} failed", remoteAddress(), e);
                getEndPoint().close(e);
            }
            if (handOff) {
                int owed = calls;
                try {
                    getExecutor().execute(() -> drain(owed));
                    return;
                } catch (java.util.concurrent.RejectedExecutionException stopping) {
                    getEndPoint().close(); // the server is stopping: no pool thread will read on
                }
            }
            calls = readers.addAndGet(-calls);
        } while (calls != 0);
    }

    /** Never blocks; may come before the handler has returned the false that paused reading. */
    @Override
    public void resume() {
        while (true) {
            int now = flow.get();
            if (now == PAUSED) {
                if (flow.compareAndSet(PAUSED, FLOWING)) {
                    getExecutor().execute(this::readNow);
                    return;
                }
            } else if (now == FLOWING) {
                if (flow.compareAndSet(FLOWING, RESUMED)) {
                    return; // deliver sees it once the handler returns
                }
            } else {
                return;
            }
        }
    }

    /**
     * Reads and handles frames until the socket has nothing more, the handler pauses, or the socket ends. A client
     * that keeps sending gets {@link #READ_BUDGET} bytes a turn; the rest is read on a pool thread, so that the
     * selector thread moves on to the other sockets.
     */
    private void read() throws IOException {
        EndPoint endPoint = getEndPoint();
        int budget = READ_BUDGET;
        while (endPoint.isOpen()) {
            if (flow.get() == PAUSED && !closeSent) {
                return;
            }
            if (budget <= 0) {
                handOff = true; // drain() hands the loop to a pool thread
                return;
            }
            if (partial != null) {
                if (partial.limit() == partial.capacity() && partial.capacity() < partialLength) {
                    // Grown as the bytes come, not at once to the length a header claims.
                    int capacity = (int) Math.min(partialLength, 2L * partial.capacity());
                    partial = ByteBuffer.allocate(capacity).put(partial).flip();
                }
                int n = endPoint.fill(partial);
                if (n < 0) {
                    endPoint.close();
                    return;
                }
                budget -= n;
                if (partial.limit() < partialLength) {
                    if (n == 0) {
                        awaitReadable();
                        return;
                    }
                    continue;
                }
                ByteBuffer payload = partial;
                partial = null;
                unmask(payload, partialMask);
                if (!deliver(partialOpcode, partialFin, payload)) {
                    return;
                }
                continue;
            }
            // This thread's buffer, taken out while in use: a handler's send can, through TLS, complete another
            // connection's read on this same thread.
            ByteBuffer buffer = READS.get();
            if (buffer == null) {
                buffer = ByteBuffer.allocate(READ_BUFFER);
            } else {
                READS.set(null);
            }
            try {
                // Jetty's fill appends from the limit: the buffer holds its content between position and limit.
                buffer.clear();
                if (carry != null) {
                    buffer.put(carry);
                    carry = null;
                }
                buffer.flip();
                int before = buffer.remaining();
                int n = endPoint.fill(buffer);
                if (n < 0 && before == 0) {
                    endPoint.close(); // the client went away without a close frame
                    return;
                }
                budget -= Math.max(n, 0);
                boolean go = parse(buffer);
                if (buffer.hasRemaining()) {
                    byte[] rest = new byte[buffer.remaining()];
                    buffer.get(rest);
                    carry = rest;
                }
                if (!go) {
                    return; // paused, or the socket is closing
                }
                if (n < 0) {
                    endPoint.close(); // ended inside a frame
                    return;
                }
                if (n == 0 && partial == null) {
                    awaitReadable();
                    return;
                }
            } finally {
                READS.set(buffer);
            }
        }
    }

    /** Asks to be called when the socket has bytes; a pass of the loop after the call was already made skips it. */
    private void awaitReadable() {
        if (!isFillInterested()) {
            fillInterested(fillable);
        }
    }

    /**
     * Handles every whole frame in {@code buffer}; a frame longer than what is left becomes {@link #partial}, a cut
     * header stays in the buffer. Returns false when reading must stop (paused, or closing).
     */
    private boolean parse(ByteBuffer buffer) {
        while (buffer.remaining() >= 2) {
            int start = buffer.position();
            int b0 = buffer.get(start) & 0xFF;
            int b1 = buffer.get(start + 1) & 0xFF;
            boolean fin = (b0 & 0x80) != 0;
            byte opcode = (byte) (b0 & 0x0F);
            int length7 = b1 & 0x7F;
            int headerBytes = 2 + (length7 == 126 ? 2 : length7 == 127 ? 8 : 0) + 4;
            if ((b0 & 0x70) != 0) {
                return failProtocol("reserved bits set");
            }
            if ((b1 & 0x80) == 0) {
                return failProtocol("a client's frame must be masked");
            }
            boolean control = (opcode & 0x08) != 0;
            if (control) {
                if (opcode != CLOSE && opcode != PING && opcode != PONG) {
                    return failProtocol("unknown opcode " + opcode);
                }
                if (!fin || length7 > 125) {
                    return failProtocol("a control frame must be whole and at most 125 bytes");
                }
            } else if (opcode == CONTINUATION) {
                if (fragmented < 0) {
                    return failProtocol("a continuation frame with no message to continue");
                }
            } else if (opcode == TEXT || opcode == BINARY) {
                if (fragmented >= 0) {
                    return failProtocol("a new message before the last one ended");
                }
            } else {
                return failProtocol("unknown opcode " + opcode);
            }
            if (buffer.remaining() < headerBytes) {
                return true; // the rest of the header comes with the next read
            }
            long length = length7 == 126
                    ? buffer.getShort(start + 2) & 0xFFFF
                    : length7 == 127 ? buffer.getLong(start + 2) : length7;
            if (length < 0 || length > maxFrameBytes) {
                fail(MESSAGE_TOO_LARGE, "frame too big");
                return false;
            }
            int mask = buffer.getInt(start + headerBytes - 4);
            if (!control) {
                fragmented = fin ? -1 : (opcode == CONTINUATION ? fragmented : opcode);
            }
            buffer.position(start + headerBytes);
            if (buffer.remaining() < length) {
                // Longer than this read: the payload gets a buffer of its own, filled straight from the socket.
                // Kept as Jetty's fill wants it: the bytes so far between position and limit, appended from there.
                partial = ByteBuffer.allocate((int) Math.min(length, Math.max(READ_BUFFER, buffer.remaining())))
                        .put(buffer)
                        .flip();
                partialLength = (int) length;
                partialOpcode = opcode;
                partialFin = fin;
                partialMask = mask;
                return true;
            }
            ByteBuffer payload = buffer.slice(buffer.position(), (int) length);
            buffer.position(buffer.position() + (int) length);
            unmask(payload, mask);
            if (!deliver(opcode, fin, payload)) {
                return false;
            }
        }
        return true;
    }

    /** XORs the payload in place with the client's masking key (RFC 6455 section 5.3); heap buffers only. */
    private static void unmask(ByteBuffer payload, int mask) {
        byte[] bytes = payload.array();
        int from = payload.arrayOffset() + payload.position();
        int to = from + payload.remaining();
        byte k0 = (byte) (mask >>> 24);
        byte k1 = (byte) (mask >>> 16);
        byte k2 = (byte) (mask >>> 8);
        byte k3 = (byte) mask;
        int i = from;
        for (; i + 3 < to; i += 4) {
            bytes[i] ^= k0;
            bytes[i + 1] ^= k1;
            bytes[i + 2] ^= k2;
            bytes[i + 3] ^= k3;
        }
        byte[] key = {k0, k1, k2, k3};
        for (int j = 0; i < to; i++, j++) {
            bytes[i] ^= key[j];
        }
    }

    /** Returns false when reading must stop. */
    private boolean deliver(byte opcode, boolean fin, ByteBuffer payload) {
        if (opcode == CLOSE) {
            peerClosed(payload);
            return false;
        }
        if (closeSent) {
            return true; // after our close frame only the client's close matters
        }
        flow.compareAndSet(RESUMED, FLOWING); // a resume from before this frame means nothing
        if (handler.onFrame(opcode, fin, payload)) {
            return true;
        }
        if (!flow.compareAndSet(FLOWING, PAUSED)) {
            flow.set(FLOWING); // resumed before the handler returned
            return true;
        }
        return closeSent;
    }

    /** The client's close frame: answered with its code (RFC 6455 section 5.5.1) unless ours went first. */
    private void peerClosed(ByteBuffer payload) {
        int code = NO_CODE;
        int answer = NORMAL;
        if (payload.remaining() == 1) {
            answer = PROTOCOL_ERROR;
        } else if (payload.remaining() >= 2) {
            code = payload.getShort(payload.position()) & 0xFFFF;
            answer = validCloseCode(code) ? code : PROTOCOL_ERROR;
            try {
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(payload.slice(payload.position() + 2, payload.remaining() - 2));
            } catch (CharacterCodingException e) {
                answer = BAD_PAYLOAD;
            }
        }
        peerCloseCode = code;
        // Ours went first: the handshake is complete once it is written. Else answer, then end.
        closeFrame(code == NO_CODE && answer == NORMAL ? null : answer, null, true);
    }

    private static boolean validCloseCode(int code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }

    private boolean failProtocol(String why) {
        log.debug("Closing {}: {}", remoteAddress(), why);
        fail(PROTOCOL_ERROR, why);
        return false;
    }

    /** A client that broke the protocol: a close frame, then the socket closes without waiting for an answer. */
    private void fail(int code, String reason) {
        closeFrame(code, reason, true);
    }

    // ---- writing ----

    @Override
    public void sendText(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        enqueue(header(TEXT, payload.length), ByteBuffer.wrap(payload));
    }

    @Override
    public void sendPong(ByteBuffer payload) {
        if (queuedBytes() > 64 * 1024) {
            return; // a client that pings and does not read gets no more pongs (its messages are capped elsewhere)
        }
        ByteBuffer copy =
                ByteBuffer.allocate(payload.remaining()).put(payload.slice()).flip();
        enqueue(header(PONG, copy.remaining()), copy);
    }

    @Override
    public void close(int code, String reason) {
        closeFrame(code, reason, false);
    }

    /**
     * Queues a close frame (with no status when {@code code} is null) and closes the output. Unless {@code thenEnd},
     * reading goes on for the client's answer even if the handler had paused it.
     */
    private void closeFrame(Integer code, String reason, boolean thenEnd) {
        ByteBuffer body;
        if (code == null) {
            body = ByteBuffer.allocate(0);
        } else {
            byte[] why = reason == null ? new byte[0] : reasonBytes(reason);
            body = ByteBuffer.allocate(2 + why.length)
                    .putShort((short) (int) code)
                    .put(why)
                    .flip();
        }
        boolean flushNow;
        synchronized (this) {
            if (outputClosed) {
                if (!thenEnd) {
                    return;
                }
                closeWhenFlushed = true;
                flushNow = claimWriting();
            } else {
                outputClosed = true;
                closeSent = true;
                closeWhenFlushed |= thenEnd;
                flushNow = add(header(CLOSE, body.remaining()), body);
            }
        }
        if (thenEnd) {
            getEndPoint().setIdleTimeout(CLOSING_MILLIS); // a client that does not read the rest is cut off
        }
        if (flushNow) {
            flush();
        }
        if (!thenEnd) {
            resume(); // read on for the client's close frame
        }
    }

    /** A close reason in at most 123 bytes of UTF-8, cut at a character boundary. */
    private static byte[] reasonBytes(String reason) {
        ByteBuffer out = ByteBuffer.allocate(123);
        StandardCharsets.UTF_8.newEncoder().encode(CharBuffer.wrap(reason), out, true);
        byte[] bytes = new byte[out.position()];
        out.flip().get(bytes);
        return bytes;
    }

    @Override
    public void abort() {
        getEndPoint().close();
    }

    private static ByteBuffer header(byte opcode, int length) {
        ByteBuffer h;
        if (length < 126) {
            h = ByteBuffer.allocate(2).put((byte) (0x80 | opcode)).put((byte) length);
        } else if (length <= 0xFFFF) {
            h = ByteBuffer.allocate(4)
                    .put((byte) (0x80 | opcode))
                    .put((byte) 126)
                    .putShort((short) length);
        } else {
            h = ByteBuffer.allocate(10)
                    .put((byte) (0x80 | opcode))
                    .put((byte) 127)
                    .putLong(length);
        }
        return h.flip();
    }

    private void enqueue(ByteBuffer header, ByteBuffer payload) {
        synchronized (this) {
            if (outputClosed || !add(header, payload)) {
                return; // closed, or the writing thread takes it with its next batch
            }
        }
        flush();
    }

    /** Queues a frame; true if the caller is to flush (no thread was writing). Holds this. */
    private boolean add(ByteBuffer header, ByteBuffer payload) {
        queue.add(header);
        queue.add(payload);
        queued += header.remaining() + payload.remaining();
        return claimWriting();
    }

    /** True if this thread is now the one writing (none was). Holds this. */
    private boolean claimWriting() {
        if (writing) {
            return false;
        }
        writing = true;
        return true;
    }

    /**
     * Writes everything queued, batch after batch, while writes complete at once; only the thread that set
     * {@code writing}, or the completion of a write that had to wait for the socket.
     */
    private void flush() {
        while (true) {
            ByteBuffer[] batch;
            boolean end = false;
            synchronized (this) {
                if (queue.isEmpty()) {
                    writing = false;
                    end = closeWhenFlushed;
                    batch = null;
                } else {
                    batch = queue.toArray(new ByteBuffer[0]);
                    queue.clear();
                    inFlight = 0;
                    for (ByteBuffer b : batch) {
                        inFlight += b.remaining();
                    }
                    inWrite = true;
                    doneAtOnce = false;
                }
            }
            if (batch == null) {
                if (end) {
                    getEndPoint().close();
                }
                return;
            }
            getEndPoint().write(written, batch); // may complete at once, on this thread: flushed() then says so
            synchronized (this) {
                inWrite = false;
                if (!doneAtOnce) {
                    return; // the socket is full: flushed() goes on when it has taken the batch
                }
            }
        }
    }

    /** A batch is written: the loop in flush() goes on, or, if the write had to wait, this thread does. */
    private void flushed() {
        synchronized (this) {
            queued -= inFlight;
            inFlight = 0;
            if (inWrite) {
                doneAtOnce = true;
                return;
            }
        }
        flush();
    }

    private void writeFailed(Throwable failure) {
        log.debug("Write to {} failed: {}", remoteAddress(), failure.toString());
        synchronized (this) {
            queue.clear();
            queued = 0;
            outputClosed = true;
            writing = false;
        }
        getEndPoint().close(failure);
    }

    @Override
    public synchronized long queuedBytes() {
        return queued;
    }

    @Override
    public synchronized boolean isOutputOpen() {
        return !outputClosed && getEndPoint().isOpen();
    }

    @Override
    public boolean isClosed() {
        return !getEndPoint().isOpen();
    }

    @Override
    public SocketAddress remoteAddress() {
        return getEndPoint().getRemoteSocketAddress();
    }
}
