package dev.parley.signaling.client;

import dev.parley.signaling.protocol.ErrorCode;
import dev.parley.signaling.protocol.ErrorMessage;
import dev.parley.signaling.protocol.Hangup;
import dev.parley.signaling.protocol.Invite;
import dev.parley.signaling.protocol.MediaKind;
import dev.parley.signaling.protocol.Message;
import dev.parley.signaling.protocol.Presence;
import dev.parley.signaling.protocol.PresenceStatus;
import dev.parley.signaling.protocol.Subscribe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

        @Override
        public void onMessage(Message message) {
            threads.add(Thread.currentThread().getName());
            messages.add(message);
        }

        @Override
        public void onStateChanged(ConnectionState state, String detail) {
            states.add(state);
        }

        <T extends Message> T next(Class<T> type) throws InterruptedException {
            while (true) {
                Message m = messages.poll(10, TimeUnit.SECONDS);
                assertNotNull(m, "no " + type.getSimpleName());
                if (type.isInstance(m)) {
                    return type.cast(m);
                }
            }
        }

        void await(ConnectionState wanted) throws InterruptedException {
            while (true) {
                ConnectionState s = states.poll(10, TimeUnit.SECONDS);
                assertNotNull(s, "never reached " + wanted);
                if (s == wanted) {
                    return;
                }
            }
        }
    }

    /** A connected client with this keep-alive, short connect timeouts and backoff. */
    private SignalingClient quickToRecover(String user, Duration pingInterval, Inbox inbox) throws Exception {
        SignalingClient c = factory.create(ClientConfig.of(HUB, user, null)
                .withPingInterval(pingInterval).withConnectTimeout(Duration.ofMillis(500))
                .withBackoff(Duration.ofMillis(20), Duration.ofMillis(100)));
        c.addListener(inbox);
        c.connect().get(5, TimeUnit.SECONDS);
        inbox.await(ConnectionState.CONNECTED);
        return c;
    }

        private SignalingClient client(String user, Inbox inbox) throws Exception {
        SignalingClient c = factory.create(ClientConfig.of(HUB, user, null)
                .withBackoff(Duration.ofMillis(20), Duration.ofMillis(100)));
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
    void afterTheHubDropsEveryoneClientsReconnectAndRestoreTheirSubscription() throws Exception {
        Inbox alice = new Inbox();
        SignalingClient a = client("alice", alice);
        a.send(new Subscribe(List.of("bob")));
        assertEquals(PresenceStatus.OFFLINE, alice.next(Presence.class).status());
        client("bob", new Inbox());
        assertEquals(PresenceStatus.ONLINE, alice.next(Presence.class).status());

        hub.setReachable(false);
        hub.disconnectAll();
        alice.await(ConnectionState.RECONNECTING);
        assertTrue(a.send(new Invite("queued", null, "bob", Set.of(MediaKind.VIDEO))));
        Thread.sleep(300); // several failed attempts
        assertEquals(ConnectionState.RECONNECTING, a.state());
        hub.setReachable(true);
        alice.await(ConnectionState.CONNECTED);
        // The subscription comes back by itself (bob may still be reconnecting: offline, then online).
        Presence p;
        do {
            p = alice.next(Presence.class);
        } while (p.status() != PresenceStatus.ONLINE);
        assertEquals("bob", p.user());
    }

    @Test
    void aServerThatStopsAnsweringIsDetectedByKeepAliveAndLeft() throws Exception {
        Inbox inbox = new Inbox();
        SignalingClient c = quickToRecover("erin", Duration.ofMillis(100), inbox);
        hub.setFrozen(true); // the connection stays open, but pings go unanswered
        inbox.await(ConnectionState.RECONNECTING);
        Thread.sleep(700); // sign-in attempts time out while the hub is frozen
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
        Thread.sleep(400);
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
        SignalingClient c = factory.create(ClientConfig.of(HUB, "carol", null).withSendQueueLimit(3)
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

    @Test
    void theTransportIsChosenByScheme() {
        assertThrows(IllegalArgumentException.class,
                () -> factory.create(ClientConfig.of(URI.create("http://example.org/"), "a", null)));
        assertNotNull(factory.create(ClientConfig.of(URI.create("ws://127.0.0.1:1/signal"), "a", null)));
        assertNotNull(factory.create(ClientConfig.of(URI.create("wss://127.0.0.1:1/signal"), "a", null)));
    }
}
