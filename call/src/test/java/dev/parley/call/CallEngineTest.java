package dev.parley.call;

import dev.parley.media.FrameStamp;
import dev.parley.media.MediaEngine;
import dev.parley.signaling.client.ClientConfig;
import dev.parley.signaling.client.SignalingClient;
import dev.parley.signaling.client.SignalingClientFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two call engines, each with its own signaling client, over the in-memory signaling hub; the peer connections
 * are real and run in the test JVM's own network namespace.
 */
@Timeout(60)
class CallEngineTest {
    private SignalingClientFactory signaling;
    private MediaEngine media;
    private CallEngine alice;
    private CallEngine bob;
    private final LinkedBlockingQueue<CallSession> bobsIncoming = new LinkedBlockingQueue<>();
    private volatile boolean bobAnswers = true;

    @BeforeEach
    void setUp() throws Exception {
        signaling = SignalingClientFactory.standard();
        media = MediaEngine.headless();
        CallOptions options = CallOptions.defaults().withNoAnswerTimeout(Duration.ofSeconds(2));
        alice = new CallEngine(media, client("alice"), options, s -> { });
        bob = new CallEngine(media, client("bob"), options, s -> {
            bobsIncoming.add(s);
            if (bobAnswers) {
                s.accept();
            }
        });
    }

    private SignalingClient client(String user) throws Exception {
        SignalingClient c = signaling.create(ClientConfig.of(URI.create("loopback:calls"), user, null));
        c.connect().get(5, TimeUnit.SECONDS);
        return c;
    }

    @AfterEach
    void tearDown() {
        alice.close();
        bob.close();
        media.close();
        signaling.close();
    }

    private static CompletableFuture<CallState> reaches(CallSession s, CallState wanted) {
        CompletableFuture<CallState> f = new CompletableFuture<>();
        s.addListener((session, state, reason) -> {
            if (state == wanted) {
                f.complete(state);
            }
        });
        if (s.state() == wanted) {
            f.complete(wanted);
        }
        return f;
    }

    @Test
    void aCallConnectsVideoFlowsBothWaysAndAHangupEndsItForBoth() throws Exception {
        CallSession outgoing = alice.dial("bob");
        CompletableFuture<CallState> connected = reaches(outgoing, CallState.CONNECTED);
        CallSession incoming = bobsIncoming.poll(10, TimeUnit.SECONDS);
        assertNotNull(incoming, "bob was never called");
        assertEquals("alice", incoming.peer());
        connected.get(15, TimeUnit.SECONDS);
        reaches(incoming, CallState.CONNECTED).get(15, TimeUnit.SECONDS);

        for (CallSession side : new CallSession[]{outgoing, incoming}) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (side.remoteVideo().lastStamp() == null && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            FrameStamp first = side.remoteVideo().lastStamp();
            assertNotNull(first, side.peer() + "'s video never arrived");
            Thread.sleep(500);
            assertTrue(side.remoteVideo().lastStamp().counter() > first.counter(), "the video froze");
        }

        // Chat over the call's data channel, both ways, with non-ASCII text intact.
        LinkedBlockingQueue<String> bobReads = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<String> aliceReads = new LinkedBlockingQueue<>();
        incoming.addChatListener((s, text) -> bobReads.add(text));
        outgoing.addChatListener((s, text) -> aliceReads.add(text));
        long chatDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!outgoing.sendChat("hello, Bob — привет").get(5, TimeUnit.SECONDS)) {
            assertTrue(System.nanoTime() < chatDeadline, "the chat channel never opened");
            Thread.sleep(50);
        }
        assertEquals("hello, Bob — привет", bobReads.poll(10, TimeUnit.SECONDS));
        assertTrue(incoming.sendChat("hi Alice").get(5, TimeUnit.SECONDS));
        assertEquals("hi Alice", aliceReads.poll(10, TimeUnit.SECONDS));
        assertEquals(false, outgoing.sendChat("x".repeat(CallSession.MAX_CHAT_CHARS + 1)).get(5, TimeUnit.SECONDS));

        outgoing.hangup();
        assertTrue(incoming.awaitEnd(10_000));
        assertEquals(EndReason.REMOTE_HUNG_UP, incoming.endReason());
        assertTrue(outgoing.awaitEnd(5_000));
        assertEquals(EndReason.HUNG_UP, outgoing.endReason());
    }

    @Test
    void aDeclineEndsTheCallerWithDeclined() throws Exception {
        bobAnswers = false;
        CallSession outgoing = alice.dial("bob");
        CallSession incoming = bobsIncoming.poll(10, TimeUnit.SECONDS);
        assertNotNull(incoming);
        incoming.decline();
        assertTrue(outgoing.awaitEnd(10_000));
        assertEquals(EndReason.DECLINED, outgoing.endReason());
        assertTrue(incoming.awaitEnd(5_000));
        assertEquals(EndReason.DECLINED, incoming.endReason());
    }

    @Test
    void nobodyAnsweringEndsWithNoAnswerAndTheCalleeSeesItCancelled() throws Exception {
        bobAnswers = false;
        CallSession outgoing = alice.dial("bob");
        CallSession incoming = bobsIncoming.poll(10, TimeUnit.SECONDS);
        assertNotNull(incoming);
        assertTrue(outgoing.awaitEnd(10_000));
        assertEquals(EndReason.NO_ANSWER, outgoing.endReason());
        assertTrue(incoming.awaitEnd(5_000));
        assertEquals(EndReason.CANCELLED, incoming.endReason());
    }

    @Test
    void aSecondCallWhileBusyGetsBusy() throws Exception {
        bobAnswers = false;
        CallSession first = alice.dial("bob");
        assertNotNull(bobsIncoming.poll(10, TimeUnit.SECONDS));
        try (CallEngine carol = new CallEngine(media, client("carol"), CallOptions.defaults(), s -> { })) {
            CallSession second = carol.dial("bob");
            assertTrue(second.awaitEnd(10_000));
            assertEquals(EndReason.BUSY, second.endReason());
        }
        first.hangup();
        assertTrue(first.awaitEnd(5_000));
        assertEquals(EndReason.CANCELLED, first.endReason());
    }

    @Test
    void callingSomeoneOfflineEndsUnavailable() throws Exception {
        CallSession outgoing = alice.dial("nobody");
        assertTrue(outgoing.awaitEnd(10_000));
        assertEquals(EndReason.UNAVAILABLE, outgoing.endReason());
    }
}
