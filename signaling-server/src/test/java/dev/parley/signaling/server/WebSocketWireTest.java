package dev.parley.signaling.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.eclipse.jetty.io.ByteArrayEndPoint;
import org.junit.jupiter.api.Test;

/**
 * RFC 6455 framing as {@link WebSocketWire} reads and writes it, on an in-memory socket (Jetty's
 * {@link ByteArrayEndPoint}): frames cut anywhere by the network arrive whole, every protocol error closes with the
 * code the RFC names, a close is answered, and a paused connection keeps the rest of what it read, in order.
 */
class WebSocketWireTest {
    private static final int MAX_FRAME = 70_000;

    /** What a handler saw, as text: "opcode fin payload" per frame. */
    private static class Recorder implements Wire.Handler {
        final List<String> frames = new ArrayList<>();
        int closedWith = -1;
        int pauseAfter = Integer.MAX_VALUE;
        Wire wire;

        @Override
        public void onOpen(Wire wire) {
            this.wire = wire;
        }

        @Override
        public boolean onFrame(byte opcode, boolean fin, ByteBuffer payload) {
            byte[] bytes = new byte[payload.remaining()];
            payload.slice().get(bytes);
            frames.add(opcode + " " + fin + " " + new String(bytes, StandardCharsets.UTF_8));
            return frames.size() < pauseAfter;
        }

        @Override
        public void onClosed(int code) {
            closedWith = code;
        }
    }

    private record Open(ByteArrayEndPoint socket, WebSocketWire wire, Recorder handler) {}

    private static Open open(Recorder handler, byte[] early) {
        ByteArrayEndPoint socket = new ByteArrayEndPoint(null, 0, null, 1024, true) { // output grows as needed
                    @Override
                    public void onClose(Throwable cause) {
                        super.onClose(cause);
                        getConnection().onClose(cause); // as Jetty's selector does for a socket
                    }
                };
        WebSocketWire wire = new WebSocketWire(socket, Runnable::run, handler, MAX_FRAME, 0, true); // no idle timeout
        socket.setConnection(wire);
        if (early != null) {
            wire.onUpgradeTo(ByteBuffer.wrap(early));
        }
        wire.onOpen();
        return new Open(socket, wire, handler);
    }

    private static Open open() {
        return open(new Recorder(), null);
    }

    /** A client's frame: masked with a fixed key, length in 7, 16 or 64 bits as the RFC asks. */
    static byte[] frame(int firstByte, byte[] payload, boolean masked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(firstByte);
        int maskBit = masked ? 0x80 : 0;
        if (payload.length < 126) {
            out.write(maskBit | payload.length);
        } else if (payload.length <= 0xFFFF) {
            out.write(maskBit | 126);
            out.write(payload.length >>> 8);
            out.write(payload.length);
        } else {
            out.write(maskBit | 127);
            out.writeBytes(ByteBuffer.allocate(8).putLong(payload.length).array());
        }
        byte[] key = {0x37, (byte) 0xFA, 0x21, 0x3D};
        if (masked) {
            out.writeBytes(key);
        }
        for (int i = 0; i < payload.length; i++) {
            out.write(masked ? payload[i] ^ key[i & 3] : payload[i]);
        }
        return out.toByteArray();
    }

    static byte[] frame(byte opcode, boolean fin, String payload) {
        return frame((fin ? 0x80 : 0) | opcode, payload.getBytes(StandardCharsets.UTF_8), true);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** The server's frames in what it wrote: "opcode fin payload" (close frames: "8 code reason"). */
    private static List<String> written(ByteArrayEndPoint socket) {
        ByteBuffer out = socket.takeOutput();
        List<String> frames = new ArrayList<>();
        while (out.hasRemaining()) {
            int b0 = out.get() & 0xFF;
            int b1 = out.get() & 0xFF;
            assertEquals(0, b1 & 0x80, "a server's frame is never masked");
            long length = b1 & 0x7F;
            if (length == 126) {
                length = out.getShort() & 0xFFFF;
                assertTrue(length >= 126, "the shortest length form");
            } else if (length == 127) {
                length = out.getLong();
                assertTrue(length > 0xFFFF, "the shortest length form");
            }
            byte[] payload = new byte[(int) length];
            out.get(payload);
            int opcode = b0 & 0x0F;
            if (opcode == Wire.CLOSE && payload.length >= 2) {
                int code = ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
                frames.add("8 " + code + " " + new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8));
            } else {
                frames.add(opcode + " " + ((b0 & 0x80) != 0) + " " + new String(payload, StandardCharsets.UTF_8));
            }
        }
        return frames;
    }

    @Test
    void framesCutAnywhereByTheNetworkArriveWhole() {
        String medium = "m".repeat(300); // a 16-bit length
        String large = "L".repeat(66_000); // a 64-bit length, and longer than one read
        byte[] stream = concat(
                frame(Wire.TEXT, true, "{\"type\":\"ping\"}"),
                frame(Wire.TEXT, true, medium),
                frame(Wire.PING, true, "are you there"),
                frame(Wire.TEXT, false, "first half, "),
                frame(Wire.PONG, true, ""), // control frames may come between fragments
                frame(Wire.CONTINUATION, true, "second half"),
                frame(Wire.BINARY, true, large),
                frame(Wire.TEXT, true, "ünïcødé"));
        List<String> expected = List.of(
                "1 true {\"type\":\"ping\"}",
                "1 true " + medium,
                "9 true are you there",
                "1 false first half, ",
                "10 true ",
                "0 true second half",
                "2 true " + large,
                "1 true ünïcødé");
        for (int chunk : new int[] {1, 2, 3, 7, 13, 100, 1000, 16_383, 16_385, stream.length}) {
            Open o = open();
            for (int at = 0; at < stream.length; at += chunk) {
                o.socket()
                        .addInput(ByteBuffer.wrap(Arrays.copyOfRange(stream, at, Math.min(stream.length, at + chunk))));
            }
            assertEquals(expected, o.handler().frames, "in pieces of " + chunk + " bytes");
            assertTrue(o.socket().isOpen());
        }
    }

    @Test
    void everyProtocolErrorClosesWith1002AndDeliversNothing() {
        byte[][] bad = {
            frame(0x81, "hi".getBytes(StandardCharsets.UTF_8), false), // not masked
            frame(0x80 | 0x40 | Wire.TEXT, "hi".getBytes(StandardCharsets.UTF_8), true), // a reserved bit
            frame(0x80 | 0x3, new byte[0], true), // a reserved data opcode
            frame(0x80 | 0xB, new byte[0], true), // a reserved control opcode
            frame(0x80 | Wire.PING, new byte[126], true), // a control frame over 125 bytes
            frame(Wire.PING, new byte[1], true), // a fragmented control frame
            frame(Wire.CONTINUATION, true, "nothing to continue"),
            concat(frame(Wire.TEXT, false, "a"), frame(Wire.TEXT, true, "b")), // a new message inside one
            concat(frame(Wire.BINARY, false, "a"), frame(Wire.BINARY, true, "b")),
        };
        for (int i = 0; i < bad.length; i++) {
            Open o = open();
            o.socket().addInput(ByteBuffer.wrap(bad[i]));
            List<String> out = written(o.socket());
            assertEquals(1, out.size(), "case " + i + ": " + out);
            assertTrue(out.get(0).startsWith("8 1002 "), "case " + i + ": " + out);
            assertFalse(o.socket().isOpen(), "case " + i + ": the socket is closed");
            assertTrue(
                    o.handler().frames.stream().noneMatch(f -> f.endsWith(" b") || f.endsWith("continue")),
                    "case " + i + ": " + o.handler().frames);
            assertEquals(Wire.NO_CLOSE_FRAME, o.handler().closedWith);
        }
    }

    @Test
    void aFrameOverTheLimitClosesWith1009BeforeItsPayloadIsRead() {
        Open o = open();
        byte[] header = Arrays.copyOf(frame(0x82, new byte[MAX_FRAME + 1], true), 14); // just the header
        o.socket().addInput(ByteBuffer.wrap(header));
        assertEquals(List.of("8 1009 frame too big"), written(o.socket()));
        assertFalse(o.socket().isOpen());
        assertEquals(List.of(), o.handler().frames);

        Open huge = open(); // a length no int can hold
        huge.socket()
                .addInput(ByteBuffer.wrap(
                        new byte[] {(byte) 0x82, (byte) 0xFF, 0x7F, -1, -1, -1, -1, -1, -1, -1, 1, 2, 3, 4}));
        assertEquals(List.of("8 1009 frame too big"), written(huge.socket()));
    }

    @Test
    void aClientsCloseIsAnsweredWithItsCodeAndEndsTheSocket() {
        Open o = open();
        byte[] bye = concat(new byte[] {0x03, (byte) 0xE8}, "bye".getBytes(StandardCharsets.UTF_8));
        o.socket().addInput(ByteBuffer.wrap(frame(0x88, bye, true)));
        assertEquals(List.of("8 1000 "), written(o.socket()));
        assertFalse(o.socket().isOpen());
        assertEquals(1000, o.handler().closedWith);

        Open empty = open();
        empty.socket().addInput(ByteBuffer.wrap(frame(0x88, new byte[0], true)));
        assertEquals(List.of("8 true "), written(empty.socket())); // no status: none in the answer either
        assertEquals(Wire.NO_CODE, empty.handler().closedWith);

        byte[][] badCloses = {
            {0x03}, // one byte
            {0x03, (byte) 0xE7}, // 999: not a code
            {0x03, (byte) 0xEE}, // 1006: never sent
            {0x13, (byte) 0x88}, // 5000: out of range
        };
        for (byte[] body : badCloses) {
            Open b = open();
            b.socket().addInput(ByteBuffer.wrap(frame(0x88, body, true)));
            assertEquals(List.of("8 1002 "), written(b.socket()), Arrays.toString(body));
        }
        Open badReason = open();
        badReason.socket().addInput(ByteBuffer.wrap(frame(0x88, new byte[] {0x03, (byte) 0xE8, (byte) 0xC3}, true)));
        assertEquals(List.of("8 1007 "), written(badReason.socket()));
    }

    @Test
    void afterTheServersCloseOnlyTheClientsCloseMatters() {
        Open o = open();
        o.wire().close(Wire.POLICY_VIOLATION, "message flood");
        assertEquals(List.of("8 1008 message flood"), written(o.socket()));
        assertFalse(o.wire().isOutputOpen());
        o.wire().sendText("dropped");
        o.socket().addInput(ByteBuffer.wrap(frame(Wire.TEXT, true, "ignored")));
        assertEquals(List.of(), o.handler().frames);
        assertEquals(List.of(), written(o.socket()));
        assertTrue(o.socket().isOpen());
        o.socket().addInput(ByteBuffer.wrap(frame(0x88, new byte[] {0x03, (byte) 0xF0}, true)));
        assertFalse(o.socket().isOpen(), "the handshake is complete");
        assertEquals(List.of(), written(o.socket()), "no second close frame");
        assertEquals(1008, o.handler().closedWith);
    }

    @Test
    void aPausedConnectionKeepsWhatItReadInOrderAndReadsOnWhenResumed() {
        Recorder handler = new Recorder();
        handler.pauseAfter = 1;
        Open o = open(handler, null);
        o.socket()
                .addInput(ByteBuffer.wrap(concat(
                        frame(Wire.TEXT, true, "one"),
                        frame(Wire.TEXT, true, "two"),
                        Arrays.copyOf(frame(Wire.TEXT, true, "three"), 5)))); // cut inside
        assertEquals(List.of("1 true one"), handler.frames);
        handler.pauseAfter = Integer.MAX_VALUE;
        o.wire().resume();
        assertEquals(List.of("1 true one", "1 true two"), handler.frames);
        byte[] three = frame(Wire.TEXT, true, "three");
        o.socket().addInput(ByteBuffer.wrap(Arrays.copyOfRange(three, 5, three.length)));
        assertEquals(List.of("1 true one", "1 true two", "1 true three"), handler.frames);
    }

    /** A sign-in that finishes at once resumes reading before its handler has returned the false that paused it. */
    @Test
    void aResumeThatComesBeforeThePauseIsNotLost() {
        Recorder handler = new Recorder() {
            @Override
            public boolean onFrame(byte opcode, boolean fin, ByteBuffer payload) {
                super.onFrame(opcode, fin, payload);
                if (frames.size() == 1) {
                    wire.resume();
                    return false;
                }
                return true;
            }
        };
        Open o = open(handler, null);
        o.socket().addInput(ByteBuffer.wrap(concat(frame(Wire.TEXT, true, "hello"), frame(Wire.TEXT, true, "next"))));
        assertEquals(List.of("1 true hello", "1 true next"), handler.frames);
        o.socket().addInput(ByteBuffer.wrap(frame(Wire.TEXT, true, "and on")));
        assertEquals(3, handler.frames.size());
    }

    /**
     * A handler's send can complete another connection's read on the same thread (through TLS); that read must not
     * use the buffer the first connection's frames are still in.
     */
    @Test
    void aReadNestedInAHandlerOnTheSameThreadLeavesTheOuterFramesIntact() {
        Open other = open();
        byte[] otherFrames = frame(Wire.TEXT, true, "x".repeat(5000));
        Recorder outer = new Recorder() {
            @Override
            public boolean onFrame(byte opcode, boolean fin, ByteBuffer payload) {
                boolean more = super.onFrame(opcode, fin, payload);
                if (frames.size() == 1) {
                    other.socket().addInput(ByteBuffer.wrap(otherFrames)); // read at once, on this thread
                }
                return more;
            }
        };
        Open o = open(outer, null);
        o.socket()
                .addInput(ByteBuffer.wrap(concat(
                        frame(Wire.TEXT, true, "first"),
                        frame(Wire.TEXT, true, "second"),
                        frame(Wire.TEXT, true, "third"))));
        assertEquals(List.of("1 true first", "1 true second", "1 true third"), outer.frames);
        assertEquals(List.of("1 true " + "x".repeat(5000)), other.handler().frames);
    }

    /** A client that keeps sending gets 64 KB a turn; the rest is read by a pool thread, not the selector's. */
    @Test
    void aClientThatKeepsSendingGetsItsBudgetThenAPoolThreadReadsOn() {
        java.util.ArrayDeque<Runnable> pool = new java.util.ArrayDeque<>();
        Recorder handler = new Recorder();
        ByteArrayEndPoint socket = new ByteArrayEndPoint(null, 0, null, 1024, true);
        WebSocketWire wire = new WebSocketWire(socket, pool::add, handler, MAX_FRAME, 0, true);
        socket.setConnection(wire);
        wire.onOpen();
        byte[] frame = frame(Wire.TEXT, true, "z".repeat(1000));
        ByteArrayOutputStream lots = new ByteArrayOutputStream();
        for (int i = 0; i < 200; i++) { // ~200 KB, in the socket at once
            lots.writeBytes(frame);
        }
        socket.addInput(ByteBuffer.wrap(lots.toByteArray()));
        int firstTurn = handler.frames.size();
        assertTrue(firstTurn > 0 && firstTurn < 100, "the first turn read " + firstTurn + " frames");
        assertEquals(1, pool.size(), "the rest is handed to a pool thread");
        while (!pool.isEmpty()) {
            pool.poll().run();
        }
        assertEquals(200, handler.frames.size());
    }

    @Test
    void framesSentRightBehindTheUpgradeRequestAreRead() {
        Recorder handler = new Recorder();
        open(handler, concat(frame(Wire.TEXT, true, "hello"), frame(Wire.TEXT, true, "again")));
        assertEquals(List.of("1 true hello", "1 true again"), handler.frames);
    }

    @Test
    void theServersFramesAreUnmaskedWithTheShortestLength() {
        Open o = open();
        String medium = "x".repeat(126);
        String large = "y".repeat(70_000);
        o.wire().sendText("short");
        o.wire().sendText(medium);
        o.wire().sendText(large);
        o.wire().sendPong(ByteBuffer.wrap("pong".getBytes(StandardCharsets.UTF_8)));
        assertEquals(
                List.of("1 true short", "1 true " + medium, "1 true " + large, "10 true pong"), written(o.socket()));
        assertEquals(0, o.wire().queuedBytes());
    }

    @Test
    void aClientThatGoesAwayWithoutACloseFrameEndsTheConnection() {
        Open o = open();
        o.socket().addInput(ByteBuffer.wrap(Arrays.copyOf(frame(Wire.TEXT, true, "cut off"), 4)));
        o.socket().addInputEOF();
        assertFalse(o.socket().isOpen());
        assertEquals(Wire.NO_CLOSE_FRAME, o.handler().closedWith);
        assertArrayEquals(new String[0], o.handler().frames.toArray(new String[0]));
    }
}
