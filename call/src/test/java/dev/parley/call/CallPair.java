package dev.parley.call;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.parley.media.MediaEngine;
import dev.parley.media.RemoteVideoSink;
import dev.parley.signaling.client.ClientConfig;
import dev.parley.signaling.client.SignalingClient;
import dev.parley.signaling.client.SignalingClientFactory;
import dev.parley.testsupport.Await;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Alice and bob: two call engines, each with its own signaling client and its own media engine (as two Parley
 * processes have: libwebrtc's audio state is per factory), over one signaling URI — the in-memory hub
 * ({@code loopback:NAME}) or a real server ({@code ws://…}). The peer connections are real and run in the test
 * JVM's own network namespace. Bob answers every call unless told not to.
 */
final class CallPair implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(15);

    final SignalingClientFactory factory = SignalingClientFactory.standard();
    final MediaEngine aliceMedia;
    final MediaEngine bobMedia = MediaEngine.headless();
    final SignalingClient aliceSignaling;
    final SignalingClient bobSignaling;
    final CallEngine alice;
    final CallEngine bob;
    final LinkedBlockingQueue<CallSession> bobsIncoming = new LinkedBlockingQueue<>();
    volatile boolean bobAnswers = true;

    CallPair(URI signaling, CallOptions options) throws Exception {
        this(signaling, options, MediaEngine.headless(), options);
    }

    /** Alice with her own media engine (cameras a test plugs in) and options; bob with {@code options}. */
    CallPair(URI signaling, CallOptions aliceOptions, MediaEngine aliceMedia, CallOptions options) throws Exception {
        this(signaling, aliceOptions, aliceMedia, options, null);
    }

    /** As above; unless null, bob's signaling retries a lost link after half to all of {@code bobRetry}. */
    CallPair(URI signaling, CallOptions aliceOptions, MediaEngine aliceMedia, CallOptions options, Duration bobRetry)
            throws Exception {
        this.aliceMedia = aliceMedia;
        aliceSignaling = client(signaling, "alice");
        bobSignaling = bobRetry == null ? client(signaling, "bob") : client(signaling, "bob", bobRetry, bobRetry);
        alice = new CallEngine(aliceMedia, aliceSignaling, aliceOptions, s -> {});
        bob = new CallEngine(bobMedia, bobSignaling, options.withToneHz(660), s -> {
            bobsIncoming.add(s);
            if (bobAnswers) {
                s.accept();
            }
        });
    }

    /**
     * Alice signs in on the first of {@code aliceServers}, bob on the first of {@code bobServers} (nodes of one
     * cluster); each client moves to its next node when its node dies, with a user's default backoff.
     */
    CallPair(List<URI> aliceServers, List<URI> bobServers, CallOptions options) throws Exception {
        this.aliceMedia = MediaEngine.headless();
        aliceSignaling = nodesClient(aliceServers, "alice");
        bobSignaling = nodesClient(bobServers, "bob");
        alice = new CallEngine(aliceMedia, aliceSignaling, options, s -> {});
        bob = new CallEngine(bobMedia, bobSignaling, options.withToneHz(660), s -> {
            bobsIncoming.add(s);
            if (bobAnswers) {
                s.accept();
            }
        });
    }

    private SignalingClient nodesClient(List<URI> nodes, String user) throws Exception {
        SignalingClient c = factory.create(
                ClientConfig.of(nodes.get(0), user, null).withAlternates(nodes.subList(1, nodes.size())));
        c.connect().get(10, TimeUnit.SECONDS);
        return c;
    }

    /** A signaling client for {@code user}, signed in (quick to retry, so a test's server restart is short). */
    SignalingClient client(URI uri, String user) throws Exception {
        return client(uri, user, Duration.ofMillis(100), Duration.ofMillis(400));
    }

    private SignalingClient client(URI uri, String user, Duration retryMin, Duration retryMax) throws Exception {
        SignalingClient c = factory.create(ClientConfig.of(uri, user, null).withBackoff(retryMin, retryMax));
        c.connect().get(10, TimeUnit.SECONDS);
        return c;
    }

    /** Alice calls bob, bob answers; returns {alice's session, bob's session}, both connected, video both ways. */
    CallSession[] connected() throws Exception {
        CallSession outgoing = alice.dial("bob");
        CompletableFuture<CallState> connected = reaches(outgoing, CallState.CONNECTED);
        CallSession incoming = bobsIncoming.poll(10, TimeUnit.SECONDS);
        assertNotNull(incoming, "bob was never called");
        connected.get(15, TimeUnit.SECONDS);
        reaches(incoming, CallState.CONNECTED).get(15, TimeUnit.SECONDS);
        for (CallSession side : new CallSession[] {outgoing, incoming}) {
            Await.until(() -> side.remoteVideo().framesReceived() > 0, WAIT, side.peer() + "'s video never arrived");
        }
        return new CallSession[] {outgoing, incoming};
    }

    /** Waits for the session's security code and returns it (a failed or missing verification fails the test). */
    static String securityCode(CallSession s) {
        return Await.value(
                        s::securityCode,
                        c -> c.status() != SecurityCode.Status.PENDING,
                        WAIT,
                        () -> s.peer() + "'s call never got a security code")
                .code();
    }

    /** Completes when the session reaches the state (at once if it is there already). */
    static CompletableFuture<CallState> reaches(CallSession s, CallState wanted) {
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

    /** Waits until no frame has arrived for 500 ms (frames in flight when a source stopped have landed). */
    static void awaitStill(RemoteVideoSink sink) {
        long[] last = {sink.framesReceived(), System.nanoTime()};
        Await.until(
                () -> {
                    long now = sink.framesReceived();
                    if (now != last[0]) {
                        last[0] = now;
                        last[1] = System.nanoTime();
                    }
                    return System.nanoTime() - last[1] > TimeUnit.MILLISECONDS.toNanos(500);
                },
                WAIT,
                "frames kept arriving");
    }

    /** Frames that arrive over {@code millis}: a measurement window, not a wait. */
    static long framesDuring(RemoteVideoSink sink, long millis) throws InterruptedException {
        long before = sink.framesReceived();
        Thread.sleep(millis);
        return sink.framesReceived() - before;
    }

    @Override
    public void close() {
        alice.close();
        bob.close();
        aliceMedia.close();
        bobMedia.close();
        aliceSignaling.close();
        bobSignaling.close();
        factory.close();
    }
}
