package dev.parley.signaling.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.signaling.protocol.Accept;
import dev.parley.signaling.protocol.ErrorCode;
import dev.parley.signaling.protocol.ErrorMessage;
import dev.parley.signaling.protocol.Hello;
import dev.parley.signaling.protocol.Invite;
import dev.parley.signaling.protocol.MediaKind;
import dev.parley.signaling.protocol.MessageCodec;
import dev.parley.signaling.protocol.Offer;
import dev.parley.signaling.protocol.Ping;
import dev.parley.signaling.protocol.Pong;
import dev.parley.testsupport.Await;
import dev.parley.testsupport.RawWebSocket;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Bad input gets an error and never disturbs anyone else. */
@Timeout(60)
class AbuseTest {
    private static final Set<MediaKind> AUDIO = Set.of(MediaKind.AUDIO);

    /** Alice and bob keep calling each other while mallory misbehaves. */
    private static void othersStillWork(
            ServerFixture f, ServerFixture.Client alice, ServerFixture.Client bob, String callId) throws Exception {
        alice.signaling.send(new Invite(callId, null, "bob", AUDIO));
        assertEquals(callId, bob.recorder.next(Invite.class).callId());
    }

    @Test
    void malformedJsonGetsAnErrorAndTheConnectionStaysOpen() throws Exception {
        try (ServerFixture f = ServerFixture.open()) {
            ServerFixture.Client alice = f.client("alice");
            ServerFixture.Client bob = f.client("bob");
            RawClient mallory = f.rawSignedIn("mallory");
            mallory.send("{\"type\":\"invite\",");
            ErrorMessage error = mallory.next(ErrorMessage.class);
            assertEquals(ErrorCode.BAD_JSON, error.code());
            mallory.send("[]");
            assertEquals(ErrorCode.BAD_JSON, mallory.next(ErrorMessage.class).code());
            othersStillWork(f, alice, bob, "m1");
            mallory.send(new Ping(5));
            assertEquals(5, mallory.next(Pong.class).nonce());
        }
    }

    @Test
    void unknownTypeAndInvalidFieldsAreNamedInTheError() throws Exception {
        try (ServerFixture f = ServerFixture.open()) {
            ServerFixture.Client alice = f.client("alice");
            ServerFixture.Client bob = f.client("bob");
            RawClient mallory = f.rawSignedIn("mallory");
            mallory.send("{\"type\":\"teleport\",\"v\":1}");
            ErrorMessage unknown = mallory.next(ErrorMessage.class);
            assertEquals(ErrorCode.UNKNOWN_TYPE, unknown.code());
            assertEquals("teleport", unknown.inReplyTo());
            mallory.send("{\"type\":\"invite\",\"v\":1,\"callId\":\"q\",\"to\":\"bob\"}");
            ErrorMessage invalid = mallory.next(ErrorMessage.class);
            assertEquals(ErrorCode.INVALID_MESSAGE, invalid.code());
            assertTrue(invalid.message().contains("media"), invalid.message());
            mallory.send(
                    "{\"type\":\"welcome\",\"v\":1,\"user\":\"x\",\"device\":\"d\",\"sessionId\":\"s\",\"pingIntervalSeconds\":1}");
            assertEquals(
                    ErrorCode.INVALID_MESSAGE, mallory.next(ErrorMessage.class).code());
            mallory.sendBinary(new byte[] {1, 2, 3});
            assertEquals(
                    ErrorCode.INVALID_MESSAGE, mallory.next(ErrorMessage.class).code());
            othersStillWork(f, alice, bob, "m2");
        }
    }

    @Test
    void anOversizedMessageGetsTooLargeAndAHugeOneClosesOnlyThatConnection() throws Exception {
        try (ServerFixture f = ServerFixture.open()) {
            ServerFixture.Client alice = f.client("alice");
            ServerFixture.Client bob = f.client("bob");
            RawClient mallory = f.rawSignedIn("mallory");
            String big = new MessageCodec(1024 * 1024)
                    .encode(new Invite("m3", null, "bob", AUDIO))
                    .replace("}", ",\"pad\":\"" + "x".repeat(70_000) + "\"}");
            mallory.send(big);
            assertEquals(ErrorCode.TOO_LARGE, mallory.next(ErrorMessage.class).code());
            othersStillWork(f, alice, bob, "m4");

            try {
                mallory.send("{\"pad\":\"" + "x".repeat(300_000) + "\"}");
            } catch (IOException closedWhileWeWrote) {
                // the server may hang up before the last byte is written: its close code is what counts
            }
            assertEquals(1009, mallory.closed().get(10, TimeUnit.SECONDS)); // 1009: message too big
            othersStillWork(f, alice, bob, "m5");
        }
    }

    @Test
    void invalidUtf8InAFragmentedTextMessageIsClosedWith1007() throws Exception {
        try (ServerFixture f = ServerFixture.open()) {
            RawClient mallory = f.rawSignedIn("mallory");
            mallory.ws.sendFrame(RawWebSocket.TEXT, new byte[] {'{', (byte) 0xE2}, false);
            mallory.ws.sendFrame(0, new byte[] {'}'}, true); // 0xE2 '}' is no UTF-8
            assertEquals(1007, mallory.closed().get(10, TimeUnit.SECONDS)); // RFC 6455 §7.4.1: inconsistent data
        }
    }

    @Test
    void endlessBinaryFragmentsAreCutOffAtTheSizeLimit() throws Exception {
        try (ServerFixture f = ServerFixture.open()) {
            RawClient mallory = f.rawSignedIn("mallory");
            byte[] chunk = new byte[64 * 1024];
            try {
                for (int i = 0; i < 20 && !mallory.closed().isDone(); i++) { // 1.25 MiB, never finished
                    mallory.sendBinaryFragment(chunk, false);
                }
            } catch (IOException closedUnderUs) {
                // expected once the server has had enough
            }
            assertEquals(1009, mallory.closed().get(10, TimeUnit.SECONDS)); // message too big
        }
    }

    @Test
    void aFloodIsRateLimitedWithAnErrorAndThenCutOff() throws Exception {
        ServerConfig.Limits limits = ServerConfig.Limits.defaults().withRate(20, 40);
        try (ServerFixture f = new ServerFixture(ServerConfig.builder().limits(limits))) {
            ServerFixture.Client alice = f.client("alice");
            ServerFixture.Client bob = f.client("bob");
            RawClient mallory = f.rawSignedIn("mallory");
            String ping = "{\"type\":\"ping\",\"v\":1,\"nonce\":1}";
            // More than the burst, fewer than the cut-off: messages are dropped with an error, the link stays.
            for (int i = 0; i < 100; i++) {
                mallory.send(ping);
            }
            ErrorMessage limited = mallory.next(ErrorMessage.class);
            assertEquals(ErrorCode.RATE_LIMITED, limited.code());
            // Keep flooding: the server cuts the connection off.
            try {
                for (int sent = 0; !mallory.closed().isDone() && sent < 5000; sent++) {
                    mallory.send(ping);
                }
            } catch (IOException closedUnderUs) {
                // the server cut the flood off while we were still sending: that is the point
            }
            assertEquals(1008, mallory.closed().get(10, TimeUnit.SECONDS)); // policy violation
            othersStillWork(f, alice, bob, "m6");
        }
    }

    @Test
    void aClientThatStopsReadingIsDisconnectedWithoutStallingOthers() throws Exception {
        try (ServerFixture f = ServerFixture.open()) {
            ServerFixture.Client alice = f.client("alice");
            ServerFixture.Client bob = f.client("bob");
            RawClient sloth = RawClient.connect(f.uri(), false);
            sloth.send(new Hello("sloth", null, null, null, "raw"));
            Await.until(() -> f.server.stats().onlineUsers() == 3, Duration.ofSeconds(10), "the sloth never signed in");
            // Mallory calls the sloth, which accepts (offers reach only an accepting device) and then never reads
            // while mallory pushes large offers at it.
            RawClient mallory = f.rawSignedIn("mallory");
            mallory.send(new Invite("s1", null, "sloth", AUDIO));
            Await.until(() -> f.server.stats().openCalls() == 1, Duration.ofSeconds(10), "the call was never placed");
            sloth.send(new Accept("s1", null, "mallory"));
            mallory.next(Accept.class);
            String sdp = "v=0\r\n" + "a=x:" + "y".repeat(50_000);
            long start = System.nanoTime();
            for (int i = 0; i < 400 && f.server.stats().onlineUsers() > 3; i++) {
                mallory.send(new Offer("s1", null, "sloth", sdp));
                if (i % 50 == 0) {
                    othersStillWork(f, alice, bob, "n" + i);
                }
            }
            assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start) < 20);
            // The server drops the sloth once over a megabyte waits for it; its session is forgotten.
            Await.until(
                    () -> f.server.stats().onlineUsers() == 3,
                    Duration.ofSeconds(10),
                    () -> "the sloth is still online: " + f.server.stats().onlineUsers()
                            + " users"); // alice, bob, mallory
            othersStillWork(f, alice, bob, "m7");
        }
    }
}
