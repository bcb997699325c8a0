package dev.parley.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket client written at the byte level (RFC 6455) over a plain socket, for input no real client sends:
 * any header on the upgrade (an {@code Origin}), fragments that never finish, control frames, floods. Reading runs
 * on its own thread, independent of writing, so the server's close frame and its status code are seen even when
 * the server closes while the test is still writing. Plain {@code ws://} only.
 */
public final class RawWebSocket implements AutoCloseable {
    public static final int TEXT = 0x1;
    public static final int BINARY = 0x2;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;
    /** The status {@link #closed()} completes with when the connection ended without a close frame. */
    public static final int NO_CLOSE_FRAME = -1;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Socket socket;
    private final OutputStream out;
    private final int status;
    private final Map<String, String> responseHeaders;
    private final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    private final BlockingQueue<byte[]> pongs = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();

    private RawWebSocket(Socket socket, int status, Map<String, String> responseHeaders) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.status = status;
        this.responseHeaders = responseHeaders;
    }

    /** Connects and reads what the server sends. */
    public static RawWebSocket connect(URI uri, Map<String, String> headers) throws IOException {
        return connect(uri, headers, true);
    }

    public static RawWebSocket connect(URI uri) throws IOException {
        return connect(uri, Map.of(), true);
    }

    /**
     * Sends the upgrade request with these extra headers and reads the response. With {@code reading} false the
     * client never reads after the handshake: a stalled peer whose receive buffer fills up. A {@code Host} entry
     * replaces the URI's host and port in the request's {@code Host} header (what a browser sends after DNS
     * rebinding, for example).
     */
    public static RawWebSocket connect(URI uri, Map<String, String> headers, boolean reading) throws IOException {
        return connect(uri, headers, reading, null);
    }

    /**
     * As {@link #connect(URI, Map, boolean)}, from {@code localAddress} (any port) instead of the address the
     * system picks: on Linux every 127.x.y.z is loopback, so a test can play a second machine from 127.0.0.2.
     */
    public static RawWebSocket connect(URI uri, Map<String, String> headers, boolean reading, InetAddress localAddress)
            throws IOException {
        if (!"ws".equals(uri.getScheme())) {
            throw new IllegalArgumentException("ws:// only: " + uri);
        }
        Socket socket = new Socket();
        if (localAddress != null) {
            socket.bind(new InetSocketAddress(localAddress, 0));
        }
        socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5000);
        socket.setSoTimeout(10_000); // the handshake; reading later has no timeout
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        StringBuilder request = new StringBuilder()
                .append("GET ")
                .append(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                .append(uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
                .append(" HTTP/1.1\r\n")
                .append("Host: ")
                .append(headers.getOrDefault("Host", uri.getHost() + ":" + uri.getPort()))
                .append("\r\n")
                .append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
                .append("Sec-WebSocket-Key: ")
                .append(Base64.getEncoder().encodeToString(nonce))
                .append("\r\n")
                .append("Sec-WebSocket-Version: 13\r\n");
        headers.forEach((k, v) -> {
            if (!k.equals("Host")) {
                request.append(k).append(": ").append(v).append("\r\n");
            }
        });
        request.append("\r\n");
        socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();

        InputStream in = socket.getInputStream();
        String statusLine = readLine(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            socket.close();
            throw new IOException("not an HTTP response: " + statusLine);
        }
        Map<String, String> response = new LinkedHashMap<>();
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                response.put(
                        line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        line.substring(colon + 1).trim());
            }
        }
        RawWebSocket ws = new RawWebSocket(socket, Integer.parseInt(parts[1]), response);
        socket.setSoTimeout(0);
        if (ws.status != 101) {
            socket.close();
            ws.closed.complete(NO_CLOSE_FRAME);
        } else if (reading) {
            Thread reader = new Thread(ws::readLoop, "raw-websocket-reader");
            reader.setDaemon(true);
            reader.start();
        }
        return ws;
    }

    /** The HTTP status of the upgrade: 101 when the server took the connection. */
    public int handshakeStatus() {
        return status;
    }

    /** A response header of the upgrade (names in lower case), or null. */
    public String responseHeader(String name) {
        return responseHeaders.get(name.toLowerCase(Locale.ROOT));
    }

    public void sendText(String text) throws IOException {
        sendFrame(TEXT, text.getBytes(StandardCharsets.UTF_8), true);
    }

    public void sendBinary(byte[] bytes) throws IOException {
        sendFrame(BINARY, bytes, true);
    }

    public void ping(byte[] payload) throws IOException {
        sendFrame(PING, payload, true);
    }

    /** One frame, masked as a client's must be. {@code opcode} 0 continues a fragmented message. */
    public synchronized void sendFrame(int opcode, byte[] payload, boolean fin) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write((fin ? 0x80 : 0) | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >>> shift));
            }
        }
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        frame.write(mask);
        byte[] masked = new byte[payload.length];
        for (int i = 0; i < payload.length; i++) {
            masked[i] = (byte) (payload[i] ^ mask[i & 3]);
        }
        frame.write(masked);
        out.write(frame.toByteArray());
        out.flush();
    }

    /** The next text message, or null after the timeout. */
    public String nextText(long timeout, TimeUnit unit) throws InterruptedException {
        return texts.poll(timeout, unit);
    }

    /** The payload of the next PONG, or null after the timeout. */
    public byte[] nextPong(long timeout, TimeUnit unit) throws InterruptedException {
        return pongs.poll(timeout, unit);
    }

    /** Completes with the status code of the server's close frame, or {@link #NO_CLOSE_FRAME}. */
    public CompletableFuture<Integer> closed() {
        return closed;
    }

    private void readLoop() {
        try (DataInputStream in = new DataInputStream(socket.getInputStream())) {
            ByteArrayOutputStream message = new ByteArrayOutputStream();
            while (true) {
                int b0 = in.readUnsignedByte();
                int b1 = in.readUnsignedByte();
                int opcode = b0 & 0x0F;
                long length = b1 & 0x7F;
                if (length == 126) {
                    length = in.readUnsignedShort();
                } else if (length == 127) {
                    length = in.readLong();
                }
                byte[] mask = (b1 & 0x80) != 0 ? in.readNBytes(4) : null;
                byte[] payload = in.readNBytes((int) length);
                if (mask != null) {
                    for (int i = 0; i < payload.length; i++) {
                        payload[i] ^= mask[i & 3];
                    }
                }
                switch (opcode) {
                    case CLOSE -> {
                        int code = payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
                        closed.complete(code);
                        try {
                            sendFrame(
                                    CLOSE,
                                    new byte[] {
                                        payload.length >= 2 ? payload[0] : 0x03,
                                        payload.length >= 2 ? payload[1] : (byte) 0xE8
                                    },
                                    true);
                        } catch (IOException ignored) {
                            // the server may have gone already: its close code is what the test asks about
                        }
                        return;
                    }
                    case PING -> sendFrame(PONG, payload, true);
                    case PONG -> pongs.add(payload);
                    default -> {
                        message.write(payload);
                        if ((b0 & 0x80) != 0) {
                            texts.add(message.toString(StandardCharsets.UTF_8));
                            message.reset();
                        }
                    }
                }
            }
        } catch (IOException endOfStreamOrReset) {
            closed.complete(NO_CLOSE_FRAME);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("the server closed the connection during the handshake");
            }
            if (c != '\r') {
                line.write(c);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    /** Drops the connection without a close handshake. */
    @Override
    public void close() throws IOException {
        socket.close();
    }
}
