package dev.parley.signaling.server;

import dev.parley.signaling.protocol.DecodeResult;
import dev.parley.signaling.protocol.Message;
import dev.parley.signaling.protocol.MessageCodec;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * A bare WebSocket client (the JDK's) that sends whatever text it is given, for input no Parley client would
 * send: malformed JSON, floods, oversized frames.
 */
final class RawClient implements WebSocket.Listener, AutoCloseable {
    private static final MessageCodec CODEC = new MessageCodec(1024 * 1024);
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final boolean reading;
    private WebSocket ws;

    private RawClient(boolean reading) {
        this.reading = reading;
    }

    static RawClient connect(URI uri) throws Exception {
        return connect(uri, true);
    }

    /** With {@code reading} false, the client never reads: a stalled peer. */
    static RawClient connect(URI uri, boolean reading) throws Exception {
        RawClient c = new RawClient(reading);
        c.ws = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(uri, c).get(10, TimeUnit.SECONDS);
        return c;
    }

    void send(String text) throws Exception {
        ws.sendText(text, true).get(10, TimeUnit.SECONDS);
    }

    void send(Message m) throws Exception {
        send(CODEC.encode(m));
    }

    void sendBinaryFragment(byte[] bytes, boolean last) throws Exception {
        ws.sendBinary(ByteBuffer.wrap(bytes), last).get(10, TimeUnit.SECONDS);
    }

    void sendBinary(byte[] bytes) throws Exception {
        ws.sendBinary(ByteBuffer.wrap(bytes), true).get(10, TimeUnit.SECONDS);
    }

    /** The next message, decoded; fails the test after the timeout. */
    Message next() throws InterruptedException {
        String text = received.poll(10, TimeUnit.SECONDS);
        assertNotNull(text, "no message within 10 s");
        return assertInstanceOf(DecodeResult.Decoded.class, CODEC.decode(text), text).message();
    }

    /** The next message of this type, skipping others (pings, presence). */
    <T extends Message> T next(Class<T> type) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            String text = received.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (text == null) {
                break;
            }
            Message m = ((DecodeResult.Decoded) CODEC.decode(text)).message();
            if (type.isInstance(m)) {
                return type.cast(m);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " within 10 s");
    }

    /** Nothing arrives for this long. */
    String poll(long millis) throws InterruptedException {
        return received.poll(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        if (reading) {
            webSocket.request(1);
        }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            received.add(partial.toString());
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(-1);
    }

    @Override
    public void close() {
        ws.abort();
    }
}
