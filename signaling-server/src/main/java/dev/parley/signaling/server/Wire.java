package dev.parley.signaling.server;

import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * One client's WebSocket as a {@link Connection} sees it: text out, close, and a way to go on reading after a pause.
 * {@link WebSocketWire} on a socket; a recording fake in tests. Every method may be called from any thread and none
 * blocks.
 */
interface Wire {
    byte CONTINUATION = 0x0;
    byte TEXT = 0x1;
    byte BINARY = 0x2;
    byte CLOSE = 0x8;
    byte PING = 0x9;
    byte PONG = 0xA;

    /** Close codes (RFC 6455 section 7.4.1). */
    int NORMAL = 1000;

    int SHUTDOWN = 1001;
    int PROTOCOL_ERROR = 1002;
    int NO_CODE = 1005;
    int NO_CLOSE_FRAME = 1006;
    int BAD_PAYLOAD = 1007;
    int POLICY_VIOLATION = 1008;
    int MESSAGE_TOO_LARGE = 1009;
    int SERVER_ERROR = 1011;
    int TRY_AGAIN_LATER = 1013;

    /** Queues a text message; dropped once the output is closed. */
    void sendText(String text);

    /** Queues a PONG carrying {@code payload} (at most 125 bytes; copied, not kept). */
    void sendPong(ByteBuffer payload);

    /** Bytes queued and not yet written to the socket. */
    long queuedBytes();

    /**
     * Sends a close frame and stops sending; reading goes on (paused or not, data discarded) until the client's close
     * frame comes back, which closes the socket.
     */
    void close(int code, String reason);

    /** Closes the socket at once, without a close frame. */
    void abort();

    /** Reading paused by the connection (its frame handler returned false) goes on. */
    void resume();

    /** False once a close frame was sent or the socket closed. */
    boolean isOutputOpen();

    boolean isClosed();

    SocketAddress remoteAddress();

    /** What a {@link Wire} delivers to: the connection's side. */
    interface Handler {
        /** The socket is open; reading starts after this returns. */
        void onOpen(Wire wire);

        /**
         * A data or control frame other than close, its payload unmasked and valid only during the call. Returns false
         * to pause reading until {@link Wire#resume()}.
         */
        boolean onFrame(byte opcode, boolean fin, ByteBuffer payload);

        /** The socket closed (once): {@code code} is the client's close code, or {@link #NO_CLOSE_FRAME}. */
        void onClosed(int code);
    }
}
