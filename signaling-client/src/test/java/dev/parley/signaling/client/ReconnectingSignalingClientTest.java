package dev.parley.signaling.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.signaling.protocol.ErrorCode;
import dev.parley.signaling.protocol.ErrorMessage;
import dev.parley.signaling.protocol.Hangup;
import dev.parley.signaling.protocol.Invite;
import dev.parley.signaling.protocol.MediaKind;
import dev.parley.signaling.protocol.Message;
import dev.parley.signaling.protocol.Presence;
import dev.parley.signaling.protocol.PresenceStatus;
import dev.parley.signaling.protocol.Subscribe;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The client's own behaviour, over the in-memory hub (no network). */
@Timeout(30)
class ReconnectingSignalingClientTest {
    private static final URI HUB = URI.create("loopback:test");
    private final SignalingClientFactory factory = SignalingClientFactory.standard();
    private final LoopbackHub hub = factory.transport(LoopbackTransport.class).hub("test");

    @AfterEach
    void tearDown() {
        factory.close();
    }

    private static final class Inbox implements SignalingClient.Listener {
        final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
        final BlockingQueue<ConnectionState> states = new LinkedBlockingQueue<>();
        final BlockingQueue<String> threads = new LinkedBlockingQueue<>();
        /** Every state event as "STATE detail", in order; guarded by this. */
        private final List<String> events = new ArrayList<>();

        @Override
        public void onMessage(Message message) {
            threads.add(Thread.currentThread().getName());
            messages.add(message);
        }

        @Override
        public void onStateChanged(ConnectionState state, String detail) {
            synchronized (this) {
                events.add(state + " " + detail);
                notifyAll();
            }
            states.add(state);
        }

        /** Waits until at least {@code count} state events match, counting from event {@code from}; returns them. */
        synchronized List<String> awaitEvents(int from, Predicate<String> match, int count, Duration timeout)
                throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                List<String> matching = events.subList(Math.min(from, events.size()), events.size()).stream()
                        .filter(match)
                        .toList();
                if (matching.size() >= count) {
                    return matching;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("fewer than " + count + " matching state events: " + events);
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }

        synchronized int eventCount() {
            return events.size();
        }

        /** Fails if any state event arrives within the time (a negative check needs a window). */
        void assertNoStateChange(Duration window) throws InterruptedException {
            ConnectionState s = states.poll(window.toMillis(), TimeUnit.MILLISECONDS);
            if (s != null) {
                throw new AssertionError("unexpected state " + s + "; events: " + snapshot());
            }
        }

        synchronized List<String> snapshot() {
            return List.copyOf(events);
        }

        <T extends Message> T next(Class<T> type) throws InterruptedException {
            while (true) {
                Message m = messages.poll(10, TimeUnit.SECONDS);
                if (m == null) {
                    throw new AssertionError("no " + type.getSimpleName() + " within 10 s");
                }
                if (type.isInstance(m)) {
                    return type.cast(m);
                }
            }
        }

        void await(ConnectionState wanted) throws InterruptedException {
            while (true) {
                ConnectionState s = states.poll(10, TimeUnit.SECONDS);
                if (s == null) {
                    throw new AssertionError("never reached " + wanted + "; events: " + snapshot());
                }
                if (s == wanted) {
                    return;
                }
            }
        }
    }

    /** A connected client with this keep-alive, short connect timeouts and backoff. */
    private SignalingClient quickToRecover(String user, Duration pingInterval, Inbox inbox) throws Exception {
        SignalingClient c = factory.create(ClientConfig.of(HUB, user, null)
                .withPingInterval(pingInterval)
                .withConnectTimeout(Duration.ofMillis(500))
                .withBackoff(Duration.ofMillis(20), Duration.ofMillis(100)));
        c.addListener(inbox);
        c.connect().get(5, TimeUnit.SECONDS);
        inbox.await(ConnectionState.CONNECTED);
        return c;
    }

    private SignalingClient client(String user, Inbox inbox) throws Exception {
        SignalingClient c = factory.create(
                ClientConfig.of(HUB, user, null).withBackoff(Duration.ofMillis(20), Duration.ofMillis(100)));
        c.addListener(inbox);
        c.connect().get(5, TimeUnit.SECONDS);
        return c;
    }

    @Test
    void messagesAreDeliveredInOrderOnTheClientsOwnThread() throws Exception {
        Inbox alice = new Inbox();
        Inbox bob = new Inbox();
        SignalingClient a = client("alice", alice);
        client("bob", bob);
        for (int i = 0; i < 50; i++) {
            assertTrue(a.send(new Invite("c" + i, null, "bob", Set.of(MediaKind.AUDIO))));
        }
        for (int i = 0; i < 50; i++) {
            Invite invite = bob.next(Invite.class);
            assertEquals("c" + i, invite.callId());
            assertEquals("alice", invite.from());
        }
        String thread = bob.threads.poll();
        assertTrue(thread.startsWith("parley-signaling"), thread);
        assertEquals(ConnectionState.CONNECTED, a.state());
        assertEquals("alice", a.session().user());
    }

    @Test
    void aThrowingListenerDoesNotStopTheOthers() throws Exception {
        Inbox bob = new Inbox();
        SignalingClient b = factory.create(ClientConfig.of(HUB, "bob", null));
        b.addListener(new SignalingClient.Listener() {
            @Override
            public void onMessage(Message message) {
                throw new IllegalStateException("a buggy listener");
            }
        });
        b.addListener(bob);
        b.connect().get(5, TimeUnit.SECONDS);
        client("alice", new Inbox()).send(new Hangup("x", null, "bob", "hangup"));
        assertEquals("x", bob.next(Hangup.class).callId());
    }

    @Test
    void afterTheHubDropsEveryoneClientsReconnectRestoreTheirSubscriptionAndSendWhatWasQueued() throws Exception {
        Inbox alice = new Inbox();
        // Alice's own backoff is a minute, so the test decides when she retries (reconnectNow): bob must be back
        // before her queued invite goes out, or the hub would answer unavailable.
        SignalingClient a = factory.create(
                ClientConfig.of(HUB, "alice", null).withBackoff(Duration.ofSeconds(60), Duration.ofSeconds(60)));
        a.addListener(alice);
        a.connect().get(5, TimeUnit.SECONDS);
        a.send(new Subscribe(List.of("bob")));
        assertEquals(PresenceStatus.OFFLINE, alice.next(Presence.class).status());
        Inbox bob = new Inbox();
        client("bob", bob);
        // connect() completes before the listener hears CONNECTED: count bob's events only once it has.
        bob.await(ConnectionState.CONNECTED);
        assertEquals(PresenceStatus.ONLINE, alice.next(Presence.class).status());

        int bobBefore = bob.eventCount();
        hub.setReachable(false);
        hub.disconnectAll();
        alice.await(ConnectionState.RECONNECTING);
        assertTrue(a.send(new Invite("queued", null, "bob", Set.of(MediaKind.VIDEO))));
        // Two attempts against the unreachable hub, each reported as a failed attempt.
        String failed = "RECONNECTING cannot reach loopback:test: loopback:test is unreachable; retrying in ";
        int before = alice.eventCount();
        for (int attempt = 1; attempt <= 2; attempt++) {
            a.reconnectNow();
            alice.awaitEvents(before, e -> e.startsWith(failed), attempt, Duration.ofSeconds(10));
        }
        assertEquals(ConnectionState.RECONNECTING, a.state());

        hub.setReachable(true);
        // bob comes back by himself, on his short backoff
        bob.awaitEvents(bobBefore, e -> e.startsWith("CONNECTED "), 1, Duration.ofSeconds(10));
        a.reconnectNow();
        alice.await(ConnectionState.CONNECTED);
        // The subscription comes back by itself.
        Presence p;
        do {
            p = alice.next(Presence.class);
        } while (p.status() != PresenceStatus.ONLINE);
        assertEquals("bob", p.user());
        // The invite sent while disconnected reaches bob once, from alice.
        assertEquals(new Invite("queued", "alice", "bob", Set.of(MediaKind.VIDEO)), bob.next(Invite.class));
    }

    @Test
    void aServerThatStopsAnsweringIsDetectedByKeepAliveAndLeft() throws Exception {
        Inbox inbox = new Inbox();
        SignalingClient c = quickToRecover("erin", Duration.ofMillis(100), inbox);
        int before = inbox.eventCount();
        hub.setFrozen(true); // the connection stays open, but pings go unanswered
        inbox.awaitEvents(
                before,
                e -> e.startsWith("RECONNECTING the server stopped answering (no answer to ping); retrying in "),
                1,
                Duration.ofSeconds(10));
        // Sign-in attempts time out (500 ms each) while the hub is frozen: two of them.
        inbox.awaitEvents(
                before,
                e -> e.startsWith("RECONNECTING no answer to sign-in from loopback:test; retrying in "),
                2,
                Duration.ofSeconds(10));
        assertEquals(ConnectionState.RECONNECTING, c.state());
        hub.setFrozen(false);
        inbox.await(ConnectionState.CONNECTED);
        c.close();
    }

    @Test
    void aLinkCheckDropsADeadLinkLongBeforeTheKeepAliveWould() throws Exception {
        Inbox inbox = new Inbox();
        SignalingClient c = quickToRecover("fred", Duration.ofSeconds(30), inbox);
        c.checkLink(Duration.ofMillis(200)); // a live link answers: nothing happens
        inbox.assertNoStateChange(Duration.ofMillis(400)); // twice the check's deadline
        assertEquals(ConnectionState.CONNECTED, c.state());
        hub.setFrozen(true); // open but silent, as a link whose address went away
        long start = System.nanoTime();
        c.checkLink(Duration.ofMillis(200));
        inbox.await(ConnectionState.RECONNECTING);
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms < 2_000, "noticed after " + ms + " ms; the keep-alive alone would take 30 s");
        hub.setFrozen(false);
        inbox.await(ConnectionState.CONNECTED);
        c.close();
    }

    @Test
    void theQueueWhileDisconnectedIsBounded() throws Exception {
        hub.setReachable(false);
        SignalingClient c = factory.create(ClientConfig.of(HUB, "carol", null)
                .withSendQueueLimit(3)
                .withBackoff(Duration.ofMillis(20), Duration.ofMillis(50)));
        c.connect();
        for (int i = 0; i < 3; i++) {
            assertTrue(c.send(new Hangup("q" + i, null, "bob", "x")));
        }
        assertFalse(c.send(new Hangup("q3", null, "bob", "x")), "the fourth message does not fit");
        c.close();
    }

    @Test
    void closeIsIdempotentAndFailsAPendingConnect() throws Exception {
        hub.setReachable(false);
        SignalingClient c = factory.create(ClientConfig.of(HUB, "dave", null));
        var pending = c.connect();
        c.close();
        c.close();
        ExecutionException e = assertThrows(ExecutionException.class, () -> pending.get(5, TimeUnit.SECONDS));
        assertInstanceOf(SignalingException.class, e.getCause());
        assertEquals(ConnectionState.CLOSED, c.state());
        assertFalse(c.send(new Hangup("z", null, "bob", "x")));
    }

    @Test
    void anUnavailableAddresseeComesBackAsAnError() throws Exception {
        Inbox alice = new Inbox();
        client("alice", alice).send(new Invite("u1", null, "nobody", Set.of(MediaKind.AUDIO)));
        ErrorMessage error = alice.next(ErrorMessage.class);
        assertEquals(ErrorCode.UNAVAILABLE, error.code());
        assertEquals("u1", error.callId());
    }

    /** A transport that only records which URIs it was asked to open. */
    private static final class RecordingTransport implements Transport {
        final Set<String> schemes;
        final BlockingQueue<URI> opened = new LinkedBlockingQueue<>();

        RecordingTransport(String... schemes) {
            this.schemes = Set.of(schemes);
        }

        @Override
        public Set<String> schemes() {
            return schemes;
        }

        @Override
        public CompletableFuture<Link> open(URI uri, ClientConfig config, Link.Receiver receiver) {
            opened.add(uri);
            return new CompletableFuture<>(); // never opens: the client stays CONNECTING
        }

        @Override
        public void close() {}
    }

    @Test
    void theTransportIsChosenByScheme() throws Exception {
        RecordingTransport web = new RecordingTransport("ws", "wss");
        RecordingTransport loop = new RecordingTransport("loopback");
        try (SignalingClientFactory recording = new SignalingClientFactory(pool -> List.of(web, loop))) {
            for (String uri : List.of(
                    "ws://127.0.0.1:1/signal", "wss://127.0.0.1:1/signal", "WSS://127.0.0.1:2/signal", "loopback:x")) {
                SignalingClient c = recording.create(ClientConfig.of(URI.create(uri), "a", null));
                c.connect();
                RecordingTransport expected = uri.startsWith("loopback") ? loop : web;
                RecordingTransport other = expected == web ? loop : web;
                assertEquals(URI.create(uri), expected.opened.poll(5, TimeUnit.SECONDS), uri);
                assertTrue(other.opened.isEmpty(), () -> uri + " also went to " + other.schemes);
                c.close();
            }
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> recording.create(ClientConfig.of(URI.create("http://example.org/"), "a", null)));
            assertEquals(
                    "unsupported signaling URI http://example.org/ (supported schemes: loopback, ws, wss)",
                    e.getMessage());
        }
        // The standard factory: Tyrus for ws and wss, the in-memory hub for loopback.
        assertEquals(
                Set.of("ws", "wss"), factory.transport(TyrusTransport.class).schemes());
        assertEquals(
                Set.of("loopback"), factory.transport(LoopbackTransport.class).schemes());
        assertThrows(
                IllegalArgumentException.class,
                () -> factory.create(ClientConfig.of(URI.create("http://example.org/"), "a", null)));
    }
}
