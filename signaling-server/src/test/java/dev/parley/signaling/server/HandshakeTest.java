package dev.parley.signaling.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The WebSocket opening handshake as the server answers it on a real socket (RFC 6455 section 4.2): the accept
 * value, no extension ever agreed, and the HTTP error the RFC names for each wrong request.
 */
class HandshakeTest {
    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ=="; // RFC 6455 section 1.3's example

    /** Sends one request and returns the response's head (status line and headers), lower-cased. */
    private static String ask(ServerFixture f, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", f.uri().getPort())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                head.write(b);
            }
            return head.toString(StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
        }
    }

    private static String upgrade(String path, String version, String key, String extra) {
        return "GET " + path
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n"
                + (version == null ? "" : "Sec-WebSocket-Version: " + version + "\r\n")
                + (key == null ? "" : "Sec-WebSocket-Key: " + key + "\r\n")
                + extra + "\r\n";
    }

    @Test
    void theAcceptValueIsTheOneTheRfcGives() {
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", WebSocketUpgrade.accept(KEY));
        assertTrue(WebSocketUpgrade.validKey(KEY));
        assertFalse(WebSocketUpgrade.validKey("c2hvcnQ="), "8 bytes");
        assertFalse(WebSocketUpgrade.validKey("dGhlIHNhbXBsZSBub25jZQ=!"), "not base64");
        assertFalse(WebSocketUpgrade.validKey(null));
    }

    @Test
    void aValidUpgradeSwitchesProtocolsAndAgreesNoExtension() throws Exception {
        try (ServerFixture f = ServerFixture.open()) {
            String head = ask(
                    f,
                    upgrade(
                            f.uri().getPath(),
                            "13",
                            KEY,
                            "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"));
            assertTrue(head.startsWith("http/1.1 101 "), head);
            assertTrue(head.contains("sec-websocket-accept: s3pplmbitxaq9kygzzhzrbk+xoo=\r\n"), head);
            assertTrue(head.contains("upgrade: websocket\r\n"), head);
            assertFalse(head.contains("sec-websocket-extensions"), head);
        }
    }

    @Test
    void wrongRequestsGetTheErrorTheRfcNames() throws Exception {
        try (ServerFixture f = ServerFixture.open()) {
            String path = f.uri().getPath();
            String old = ask(f, upgrade(path, "8", KEY, ""));
            assertTrue(old.startsWith("http/1.1 426 "), old);
            assertTrue(old.contains("sec-websocket-version: 13\r\n"), old);
            assertTrue(ask(f, upgrade(path, null, KEY, "")).startsWith("http/1.1 426 "), "no version");
            assertTrue(ask(f, upgrade(path, "13", null, "")).startsWith("http/1.1 400 "), "no key");
            assertTrue(ask(f, upgrade(path, "13", "c2hvcnQ=", "")).startsWith("http/1.1 400 "), "a short key");
            assertTrue(ask(f, upgrade("/elsewhere", "13", KEY, "")).startsWith("http/1.1 404 "), "another path");
            assertTrue(
                    ask(f, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                            .startsWith("http/1.1 404 "),
                    "no upgrade");
            String post = upgrade(path, "13", KEY, "Content-Length: 0\r\n").replaceFirst("GET", "POST");
            assertTrue(ask(f, post).startsWith("http/1.1 404 "), "not a GET");
        }
    }
}
