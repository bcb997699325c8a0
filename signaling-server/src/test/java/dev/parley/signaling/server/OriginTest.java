package dev.parley.signaling.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.signaling.protocol.Hello;
import dev.parley.signaling.protocol.MessageCodec;
import dev.parley.testsupport.RawWebSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A web page must not reach the server through its visitors' browsers (cross-site WebSocket hijacking): a browser
 * always sends {@code Origin} on a WebSocket upgrade, Parley's own clients never do.
 */
@Timeout(30)
class OriginTest {

    @Test
    void anUpgradeFromAForeignWebPageIsRefusedWith403BeforeAnyWebSocketExists() throws Exception {
        try (ServerFixture f = ServerFixture.open();
                RawWebSocket evil = RawWebSocket.connect(f.uri(), Map.of("Origin", "https://evil.example"))) {
            assertEquals(403, evil.handshakeStatus(), "a page on evil.example got a WebSocket");
            assertEquals(0, f.server.stats().connections());
        }
    }

    @Test
    void nativeClientsSendNoOriginAndAreLetIn() throws Exception {
        try (ServerFixture f = ServerFixture.open();
                RawWebSocket ws = RawWebSocket.connect(f.uri(), Map.of())) {
            assertEquals(101, ws.handshakeStatus());
            ws.sendText("{\"type\":\"hello\",\"v\":1,\"user\":\"native\"}");
            String welcome = ws.nextText(10, TimeUnit.SECONDS);
            assertNotNull(welcome);
            assertTrue(welcome.startsWith("{\"type\":\"welcome\""), welcome);
        }
    }

    /** Tyrus, under Parley's client, sends {@code Origin: http://} + the {@code Host} it connects to. */
    @Test
    void parleysOwnClientIsLetIn() throws Exception {
        try (ServerFixture f = ServerFixture.open()) {
            assertEquals("alice", f.client("alice").welcome.user());
            for (String host : List.of(
                    "127.0.0.1:" + f.uri().getPort(), "localhost:" + f.uri().getPort())) {
                try (RawWebSocket ws =
                        RawWebSocket.connect(f.uri(), Map.of("Host", host, "Origin", "http://" + host))) {
                    assertEquals(101, ws.handshakeStatus(), host);
                }
            }
        }
    }

    /**
     * DNS rebinding: a page on http://evil.example:PORT whose name the attacker then points at the server's address.
     * The browser's Origin and Host then agree, but name a host that is no IP address of the server.
     */
    @Test
    void aRebindingPageIsRefused() throws Exception {
        try (ServerFixture f = ServerFixture.open()) {
            String host = "evil.example:" + f.uri().getPort();
            try (RawWebSocket ws = RawWebSocket.connect(f.uri(), Map.of("Host", host, "Origin", "http://" + host))) {
                assertEquals(403, ws.handshakeStatus());
            }
        }
    }

    @Test
    void anOriginOnTheAllowListIsLetInAndOnlyThatOne() throws Exception {
        try (ServerFixture f =
                new ServerFixture(ServerConfig.builder().allowedOrigins(List.of("https://app.parley.example")))) {
            try (RawWebSocket allowed = RawWebSocket.connect(f.uri(), Map.of("Origin", "https://app.parley.example"))) {
                assertEquals(101, allowed.handshakeStatus());
                allowed.sendText(new MessageCodec().encode(new Hello("web", null, null, null, "web")));
                assertNotNull(allowed.nextText(10, TimeUnit.SECONDS));
            }
            // Same host over plain http, another port, a look-alike host, a browser's opaque "null" origin.
            for (String other : List.of(
                    "http://app.parley.example",
                    "https://app.parley.example:8443",
                    "https://app.parley.example.evil.example",
                    "null")) {
                try (RawWebSocket refused = RawWebSocket.connect(f.uri(), Map.of("Origin", other))) {
                    assertEquals(403, refused.handshakeStatus(), other);
                }
            }
        }
    }
}
