package dev.parley.signaling.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.parley.signaling.protocol.DecodeResult;
import dev.parley.signaling.protocol.Message;
import dev.parley.signaling.protocol.MessageCodec;
import dev.parley.testsupport.RawWebSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A bare WebSocket client that sends whatever it is given, for input no Parley client would send: malformed
 * JSON, floods, oversized frames, fragments that never end. Byte-level ({@link RawWebSocket}), so the server's
 * close code is read even when the server hangs up while this client is still writing.
 */
final class RawClient implements AutoCloseable {
    private static final MessageCodec CODEC = new MessageCodec(1024 * 1024);
    final RawWebSocket ws;
    private boolean fragmenting;

    private RawClient(RawWebSocket ws) {
        this.ws = ws;
    }

    static RawClient connect(URI uri) throws Exception {
        return connect(uri, true);
    }

    /** From another source address (every 127.x.y.z is loopback on Linux): a second machine. */
    static RawClient connectFrom(URI uri, InetAddress source) throws Exception {
        RawWebSocket ws = RawWebSocket.connect(uri, Map.of(), true, source);
        assertEquals(101, ws.handshakeStatus(), "the upgrade was refused");
        return new RawClient(ws);
    }

    /** With {@code reading} false, the client never reads: a stalled peer. */
    static RawClient connect(URI uri, boolean reading) throws Exception {
        RawWebSocket ws = RawWebSocket.connect(uri, Map.of(), reading);
        assertEquals(101, ws.handshakeStatus(), "the upgrade was refused");
        return new RawClient(ws);
    }

    /** The server's close status (a {@link RawWebSocket#NO_CLOSE_FRAME} if it dropped the connection). */
    CompletableFuture<Integer> closed() {
        return ws.closed();
    }

    void send(String text) throws IOException {
        ws.sendText(text);
    }

    void send(Message m) throws IOException {
        send(CODEC.encode(m));
    }

    /** A piece of one binary message; {@code last} ends it. */
    void sendBinaryFragment(byte[] bytes, boolean last) throws IOException {
        ws.sendFrame(fragmenting ? 0 : RawWebSocket.BINARY, bytes, last);
        fragmenting = !last;
    }

    void sendBinary(byte[] bytes) throws IOException {
        ws.sendBinary(bytes);
    }

    /** The next message, decoded; fails the test after the timeout. */
    Message next() throws InterruptedException {
        String text = ws.nextText(10, TimeUnit.SECONDS);
        assertNotNull(text, "no message within 10 s");
        return assertInstanceOf(DecodeResult.Decoded.class, CODEC.decode(text), text)
                .message();
    }

    /** The next message of this type, skipping others (pings, presence). */
    <T extends Message> T next(Class<T> type) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            String text = ws.nextText(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (text == null) {
                break;
            }
            Message m = assertInstanceOf(DecodeResult.Decoded.class, CODEC.decode(text), text)
                    .message();
            if (type.isInstance(m)) {
                return type.cast(m);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " within 10 s");
    }

    /** The next message's text if one arrives within {@code millis}, else null. */
    String poll(long millis) throws InterruptedException {
        return ws.nextText(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws IOException {
        ws.close();
    }
}
