package dev.parley.signaling.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.parley.signaling.protocol.DecodeResult;
import dev.parley.signaling.protocol.ErrorCode;
import dev.parley.signaling.protocol.ErrorMessage;
import dev.parley.signaling.protocol.Message;
import dev.parley.signaling.protocol.MessageCodec;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.ByteArrayEndPoint;

/**
 * The server's WebSocket framing under any bytes a client can send (coverage-guided, Jazzer): a
 * {@link WebSocketWire} on an in-memory socket, with a real {@link Connection}, sign-in and hub behind it, never fails
 * a read, writes only well-formed server frames (unmasked, a close frame only last, every text a valid protocol
 * message and none an {@code internal} error), and ends with its socket closed and the connection told once.
 *
 * <p>The input describes frames so that the fuzzer reaches past the mask check: byte 0 picks the size of the pieces
 * the stream is fed in (bit 7 set: sign in first); then per frame a first header byte as sent (FIN, reserved bits,
 * opcode), a length byte (low 7 bits: the payload's length, taken from the input; bit 7: send it unmasked; 0x7F: a
 * 64-bit length read raw from the next 8 bytes, with no payload), and the payload. Plain {@code mvn test} replays the
 * committed inputs in {@code src/test/resources/dev/parley/signaling/server/WireFuzzTestInputs/bytes/}.
 */
class WireFuzzTest {
    private static final MessageCodec CODEC = new MessageCodec();
    private static final byte[] KEY = {0x1F, (byte) 0x80, 0x33, (byte) 0xC4};

    @FuzzTest(maxDuration = "30s")
    void bytes(byte[] input) {
        long failuresBefore = WebSocketWire.READ_FAILURES.sum();
        AtomicInteger closings = new AtomicInteger();
        Connection connection = new Connection(ConnectionFuzzTest.context());
        Wire.Handler counted = new Wire.Handler() {
            @Override
            public void onOpen(Wire wire) {
                connection.onOpen(wire);
            }

            @Override
            public boolean onFrame(byte opcode, boolean fin, ByteBuffer payload) {
                return connection.onFrame(opcode, fin, payload);
            }

            @Override
            public void onClosed(int code) {
                closings.incrementAndGet();
                connection.onClosed(code);
            }
        };
        ByteArrayEndPoint socket = new ByteArrayEndPoint(null, 0, null, 1024, true) {
            @Override
            public void onClose(Throwable cause) {
                super.onClose(cause);
                getConnection().onClose(cause);
            }
        };
        WebSocketWire wire = new WebSocketWire(socket, Runnable::run, counted, 4096, 0, true);
        socket.setConnection(wire);
        wire.onOpen();

        byte[] stream = stream(input);
        int piece = input.length == 0 ? 1 : 1 + (input[0] & 0x3F);
        for (int at = 0; at < stream.length && socket.isOpen(); at += piece) {
            socket.addInput(ByteBuffer.wrap(Arrays.copyOfRange(stream, at, Math.min(stream.length, at + piece))));
        }
        if (socket.isOpen()) {
            socket.addInputEOF();
        }

        assertEquals(failuresBefore, WebSocketWire.READ_FAILURES.sum(), "a read failed");
        assertFalse(socket.isOpen(), "the socket ends closed");
        assertEquals(1, closings.get(), "the connection is told once that it closed");
        checkWritten(socket.takeOutput());
    }

    private static byte[] stream(byte[] input) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (input.length > 0 && (input[0] & 0x80) != 0) {
            byte[] hello = "{\"type\":\"hello\",\"v\":1,\"user\":\"fuzz\",\"device\":\"fuzz-device\"}"
                    .getBytes(StandardCharsets.UTF_8);
            out.write(0x81);
            out.write(0x80 | hello.length);
            out.writeBytes(KEY);
            for (int i = 0; i < hello.length; i++) {
                out.write(hello[i] ^ KEY[i & 3]);
            }
        }
        int at = 1;
        while (at + 1 < input.length) {
            out.write(input[at]);
            int lengthByte = input[at + 1] & 0xFF;
            at += 2;
            boolean masked = (lengthByte & 0x80) == 0;
            if ((lengthByte & 0x7F) == 0x7F) {
                out.write((masked ? 0x80 : 0) | 127);
                for (int i = 0; i < 8; i++) {
                    out.write(at < input.length ? input[at++] : 0);
                }
                if (masked) {
                    out.writeBytes(KEY);
                }
                continue;
            }
            int length = Math.min(lengthByte & 0x7F, input.length - at);
            if (length >= 126) {
                out.write((masked ? 0x80 : 0) | 126);
                out.write(0);
                out.write(length);
            } else {
                out.write((masked ? 0x80 : 0) | length);
            }
            if (masked) {
                out.writeBytes(KEY);
            }
            for (int i = 0; i < length; i++) {
                out.write(masked ? input[at + i] ^ KEY[i & 3] : input[at + i]);
            }
            at += length;
        }
        return out.toByteArray();
    }

    /** Everything the server wrote: well-formed frames, a close frame only last, valid messages. */
    private static void checkWritten(ByteBuffer out) {
        boolean closed = false;
        while (out.hasRemaining()) {
            assertFalse(closed, "nothing after a close frame");
            assertTrue(out.remaining() >= 2, "a whole header");
            int b0 = out.get() & 0xFF;
            int b1 = out.get() & 0xFF;
            assertEquals(0x80, b0 & 0xF0, "FIN set, no reserved bits");
            assertEquals(0, b1 & 0x80, "not masked");
            int length = b1 & 0x7F;
            if (length == 126) {
                length = out.getShort() & 0xFFFF;
            } else if (length == 127) {
                length = (int) out.getLong();
            }
            byte[] payload = new byte[length];
            out.get(payload);
            int opcode = b0 & 0x0F;
            if (opcode == Wire.TEXT) {
                String text = new String(payload, StandardCharsets.UTF_8);
                Message m = assertInstanceOf(DecodeResult.Decoded.class, CODEC.decode(text), text)
                        .message();
                assertTrue(!(m instanceof ErrorMessage e) || e.code() != ErrorCode.INTERNAL, text);
            } else if (opcode == Wire.CLOSE) {
                closed = true;
                assertTrue(payload.length == 0 || payload.length >= 2, "a close code is two bytes");
            } else {
                assertEquals(Wire.PONG, opcode, "only text, pong and close");
                assertTrue(length <= 125);
            }
        }
    }
}
