package dev.parley.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.signaling.client.ConnectionState;
import dev.parley.signaling.client.SignalingClient;
import dev.parley.signaling.protocol.Hangup;
import dev.parley.signaling.protocol.Message;
import dev.parley.signaling.server.LocalRedis;
import dev.parley.signaling.server.ServerConfig;
import dev.parley.signaling.server.SignalingServer;
import dev.parley.testsupport.Await;
import dev.parley.testsupport.SystemTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real call between users signed in on two nodes of a cluster (a real Redis, real peer connections in the test
 * JVM's namespace): the node routing the call crashes mid-call; the media goes on, the caller's client moves to
 * the other node, and the hang-up still reaches the callee through it.
 */
@SystemTest
@Timeout(90)
class CallsThroughClusterTest {
    @TempDir
    Path dir;

    private LocalRedis redis;
    private SignalingServer a;
    private SignalingServer b;
    private CallPair pair;

    @BeforeEach
    void setUp() throws Exception {
        redis = LocalRedis.start(dir);
        a = node();
        b = node();
        pair = new CallPair(List.of(a.uri(), b.uri()), List.of(b.uri(), a.uri()), CallOptions.defaults());
    }

    private SignalingServer node() throws Exception {
        return SignalingServer.start(ServerConfig.builder()
                .bind("127.0.0.1")
                .port(0)
                .cluster(redis.uri(), null)
                .build());
    }

    @AfterEach
    void tearDown() {
        pair.close();
        b.close();
        a.close();
        redis.close();
    }

    @Test
    void whenTheNodeRoutingTheCallCrashesTheMediaGoesOnAndTheHangUpStillArrives() throws Exception {
        CallSession[] call = pair.connected(); // alice on node A dialled: node A routes the call
        CallSession alice = call[0];
        CallSession bob = call[1];
        LinkedBlockingQueue<Hangup> hangups = new LinkedBlockingQueue<>();
        pair.bobSignaling.addListener(new SignalingClient.Listener() {
            @Override
            public void onMessage(Message m) {
                if (m instanceof Hangup h) {
                    hangups.add(h);
                }
            }
        });

        a.halt();
        long frames = CallPair.framesDuring(bob.remoteVideo(), 1000);
        assertTrue(frames > 5, "bob's video went on without the node: " + frames + " frames in 1 s");
        Await.until(
                () -> pair.aliceSignaling.state() == ConnectionState.CONNECTED,
                Duration.ofSeconds(5),
                "alice's client on node B within 5 s");
        assertEquals(CallState.CONNECTED, bob.state());
        assertEquals(CallState.CONNECTED, alice.state());

        // Sooner than node A's heartbeat goes stale (3 s): node B learns the router is gone from Redis itself.
        // (The peer connection's close tells bob too; the signaling message is what this test is about.)
        alice.hangup();
        Hangup heard = hangups.poll(2, TimeUnit.SECONDS);
        assertNotNull(heard, "alice's hang-up never reached bob's signaling");
        assertEquals("alice", heard.from());
        CallPair.reaches(bob, CallState.ENDED).get(2, TimeUnit.SECONDS);
        assertEquals(EndReason.REMOTE_HUNG_UP, bob.endReason());
    }
}
