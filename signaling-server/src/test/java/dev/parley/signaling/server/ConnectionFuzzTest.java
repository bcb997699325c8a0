package dev.parley.signaling.server;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.parley.signaling.protocol.DecodeResult;
import dev.parley.signaling.protocol.ErrorCode;
import dev.parley.signaling.protocol.ErrorMessage;
import dev.parley.signaling.protocol.Message;
import dev.parley.signaling.protocol.MessageCodec;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterAll;

/**
 * The server's message handling under any sequence of frames (coverage-guided, Jazzer): a {@link Connection},
 * with the real {@link SignIn} and {@link Hub} behind it, never lets an exception out to Jetty, and everything it
 * sends is a valid protocol message; none is an {@code internal} error, which would mean a handler failed. No
 * socket is involved: the WebSocket session is a recording fake.
 *
 * <p>The input is split at each {@code 0x00} byte into frames. A frame's first byte picks its kind (text, a text
 * fragment, binary, ping, pong); the rest is its payload. When the input's first byte is even, the connection
 * first signs in, so the fuzzer also reaches the signed-in handlers. Plain {@code mvn test} replays the committed
 * inputs in {@code src/test/resources/dev/parley/signaling/server/ConnectionFuzzTestInputs/frames/}.
 */
class ConnectionFuzzTest {
    private static final MessageCodec CODEC = new MessageCodec();
    private static final ScheduledExecutorService SCHEDULER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fuzz-scheduler");
        t.setDaemon(true);
        return t;
    });
    private static final String HELLO = "{\"type\":\"hello\",\"v\":1,\"user\":\"fuzz\",\"device\":\"fuzz-device\"}";

    @AfterAll
    static void stop() {
        SCHEDULER.shutdownNow();
    }

    /** A server's context with the real sign-in (open mode, run at once) and hub; shared with WireFuzzTest. */
    static ServerContext context() {
        ServerConfig.Limits limits = ServerConfig.Limits.defaults();
        Hub hub = new Hub(CODEC, limits.maxCallsPerUser());
        Authenticator open = Authenticator.open();
        GuestLinks links = new GuestLinks(Clock.systemUTC());
        SignIn signIn = new SignIn(
                CODEC,
                hub,
                limits,
                open,
                new TokenService(Duration.ofHours(1), Clock.systemUTC()),
                new TurnCredentials(List.of(), null, Duration.ofHours(1), Clock.systemUTC()),
                new TurnPolicy(open, false),
                Runnable::run,
                1,
                "fuzz",
                links);
        return new ServerContext(
                CODEC,
                hub,
                limits,
                signIn,
                SCHEDULER,
                ConcurrentHashMap.newKeySet(),
                new LongAdder(),
                new ConnectionCaps(limits),
                links);
    }

    @FuzzTest(maxDuration = "30s")
    void frames(byte[] input) {
        FakeSession session = new FakeSession();
        Connection connection = new Connection(context());
        connection.onOpen(session);
        if (input.length > 0 && (input[0] & 1) == 0) {
            connection.onFrame(Wire.TEXT, true, ByteBuffer.wrap(HELLO.getBytes(StandardCharsets.UTF_8)));
        }
        for (byte[] chunk : split(input)) {
            if (session.closed) {
                break;
            }
            Frame frame = frame(chunk);
            try {
                connection.onFrame(frame.opcode(), frame.fin(), frame.payload());
            } catch (RuntimeException e) {
                fail("onFrame threw out to the wire on " + frame, e);
            }
        }
        connection.onClosed(Wire.NO_CLOSE_FRAME);

        for (String text : session.texts) {
            Message m = assertInstanceOf(DecodeResult.Decoded.class, CODEC.decode(text), text)
                    .message();
            assertTrue(
                    !(m instanceof ErrorMessage e) || e.code() != ErrorCode.INTERNAL,
                    () -> "a handler failed: " + text);
        }
    }

    private static List<byte[]> split(byte[] input) {
        List<byte[]> chunks = new ArrayList<>();
        int start = input.length > 0 ? 1 : 0;
        for (int i = start; i <= input.length; i++) {
            if (i == input.length || input[i] == 0) {
                if (i > start) {
                    chunks.add(Arrays.copyOfRange(input, start, i));
                }
                start = i + 1;
            }
        }
        return chunks;
    }

    private record Frame(byte opcode, boolean fin, ByteBuffer payload) {}

    /** The first byte picks the kind of frame, the rest is the payload. */
    private static Frame frame(byte[] chunk) {
        ByteBuffer payload = ByteBuffer.wrap(chunk, 1, chunk.length - 1).slice();
        return switch (chunk[0] & 7) {
            case 1 -> new Frame(Wire.TEXT, false, payload); // a fragment: more to come
            case 2 -> new Frame(Wire.CONTINUATION, true, payload);
            case 3 -> new Frame(Wire.CONTINUATION, false, payload);
            case 4 -> new Frame(Wire.BINARY, true, payload);
            case 5 -> new Frame(Wire.PING, true, payload.limit(Math.min(payload.limit(), 125)));
            case 6 -> new Frame(Wire.PONG, true, payload.limit(Math.min(payload.limit(), 125)));
            default -> new Frame(Wire.TEXT, true, payload);
        };
    }

    /** A wire that records what the server sends and never touches a socket. */
    private static final class FakeSession implements Wire {
        final List<String> texts = new ArrayList<>();
        volatile boolean closed;

        @Override
        public boolean isOutputOpen() {
            return !closed;
        }

        @Override
        public boolean isClosed() {
            return closed;
        }

        @Override
        public SocketAddress remoteAddress() {
            return new InetSocketAddress("127.0.0.1", 40000);
        }

        @Override
        public void sendText(String text) {
            if (!closed) {
                synchronized (texts) {
                    texts.add(text);
                }
            }
        }

        @Override
        public void sendPong(ByteBuffer payload) {
            // not a message
        }

        @Override
        public long queuedBytes() {
            return 0;
        }

        @Override
        public void close(int statusCode, String reason) {
            closed = true;
        }

        @Override
        public void abort() {
            closed = true;
        }

        @Override
        public void resume() {
            // frames come from the test, one after the other
        }
    }
}
