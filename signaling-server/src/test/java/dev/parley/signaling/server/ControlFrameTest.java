package dev.parley.signaling.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** WebSocket control frames (RFC 6455 section 5.5): answered as the RFC says, and paid for like messages. */
@Timeout(60)
class ControlFrameTest {

    @Test
    void aPingFrameGetsAPongWithTheSamePayload() throws Exception {
        try (ServerFixture f = ServerFixture.open()) {
            RawClient raw = f.rawSignedIn("pinger");
            byte[] payload = "are you there? 42".getBytes(StandardCharsets.UTF_8);
            raw.ws.ping(payload);
            byte[] pong = raw.ws.nextPong(5, TimeUnit.SECONDS);
            assertNotNull(pong, "no PONG for a PING (RFC 6455 section 5.5.2)");
            assertArrayEquals(payload, pong);

            RawClient fresh = f.raw(); // not signed in yet: the RFC has no phases
            fresh.ws.ping(new byte[0]);
            assertArrayEquals(new byte[0], fresh.ws.nextPong(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void aFloodOfPingFramesIsCutOffLikeAFloodOfMessages() throws Exception {
        ServerConfig.Limits limits = ServerConfig.Limits.defaults().withRate(20, 40);
        try (ServerFixture f = new ServerFixture(ServerConfig.builder().limits(limits))) {
            RawClient mallory = f.rawSignedIn("mallory");
            byte[] payload = new byte[125]; // the largest control frame: the most work per frame for the server
            try {
                for (int sent = 0; sent < 3000 && !mallory.closed().isDone(); sent++) {
                    mallory.ws.ping(payload);
                }
            } catch (IOException closedUnderUs) {
                // the server cut the flood off while we were still sending: that is the point
            }
            assertEquals(1008, mallory.closed().get(10, TimeUnit.SECONDS)); // policy violation: message flood
        }
    }
}
