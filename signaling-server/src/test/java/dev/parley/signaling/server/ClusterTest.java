package dev.parley.signaling.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.signaling.client.ClientConfig;
import dev.parley.signaling.client.ConnectionState;
import dev.parley.signaling.protocol.Accept;
import dev.parley.signaling.protocol.Answer;
import dev.parley.signaling.protocol.CallMessage;
import dev.parley.signaling.protocol.Cancel;
import dev.parley.signaling.protocol.Candidate;
import dev.parley.signaling.protocol.ContactAnswer;
import dev.parley.signaling.protocol.ContactRemove;
import dev.parley.signaling.protocol.ContactRequest;
import dev.parley.signaling.protocol.Contacts;
import dev.parley.signaling.protocol.ErrorCode;
import dev.parley.signaling.protocol.ErrorMessage;
import dev.parley.signaling.protocol.Hangup;
import dev.parley.signaling.protocol.Invite;
import dev.parley.signaling.protocol.MediaKind;
import dev.parley.signaling.protocol.Message;
import dev.parley.signaling.protocol.Offer;
import dev.parley.signaling.protocol.Presence;
import dev.parley.signaling.protocol.PresenceStatus;
import dev.parley.signaling.protocol.Ringing;
import dev.parley.signaling.protocol.Subscribe;
import dev.parley.testsupport.SystemTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two server nodes over a real Redis (Debian's redis-server on a loopback port): users signed in on different
 * nodes see each other's presence and call each other as on one node (multi-device, crossing invites), and the
 * cluster survives a node's death (mid-ringing and mid-call) and a Redis restart.
 */
@SystemTest
@Timeout(120)
class ClusterTest {
    private static final Set<MediaKind> AV = Set.of(MediaKind.AUDIO, MediaKind.VIDEO);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private LocalRedis redis;
    private ServerFixture a;
    private ServerFixture b;

    @BeforeEach
    void twoNodes() throws Exception {
        redis = LocalRedis.start(dir);
        a = node();
        b = node();
    }

    @AfterEach
    void stop() throws Exception {
        b.close();
        a.close();
        redis.close();
    }

    private ServerFixture node() throws Exception {
        return new ServerFixture(ServerConfig.builder().cluster(redis.uri(), null));
    }

    /** A user's client signed in on {@code first}, moving to {@code then} if its node dies (default backoff). */
    private static ServerFixture.Client user(ServerFixture first, ServerFixture then, String name, String device)
            throws Exception {
        return first.client(
                ClientConfig.of(first.uri(), name, null).withDevice(device).withAlternates(List.of(then.uri())));
    }

    private static void awaitPresence(ServerFixture.Client watcher, String user, PresenceStatus status)
            throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end) {
            Presence p = watcher.recorder.next(Presence.class, 10_000);
            if (p.user().equals(user) && p.status() == status) {
                return;
            }
        }
        throw new AssertionError(user + " never read as " + status);
    }

    private static void await(BooleanSupplier condition, long millis, String what) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError(what + " not within " + millis + " ms");
            }
            Thread.sleep(20);
        }
    }

    /** Alice on node A sees bob on node B come online: the nodes have heard of each other's devices. */
    private static void seeEachOther(ServerFixture.Client watcher, String user) throws InterruptedException {
        watcher.signaling.send(new Subscribe(List.of(user)));
        awaitPresence(watcher, user, PresenceStatus.ONLINE);
    }

    private static String health(ServerFixture node) throws Exception {
        URI ws = node.uri();
        URI health = URI.create("http://" + ws.getHost() + ":" + ws.getPort() + "/health");
        return HTTP.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }

    @Test
    void aUserOnOneNodeCallsAUserOnTheOtherAsOnOneNode() throws Exception {
        ServerFixture.Client alice = user(a, b, "alice", "alice-laptop");
        ServerFixture.Client bob = user(b, a, "bob", "bob-laptop");
        ServerFixture.Client carol = user(b, a, "carol", "carol-laptop");
        seeEachOther(alice, "bob");

        alice.signaling.send(new Invite("c1", null, "bob", AV));
        assertEquals(new Invite("c1", "alice", "bob", AV), bob.recorder.next(Invite.class));
        alice.signaling.send(new Offer("c1", null, "bob", "v=0 early offer")); // held by alice's node until an accept
        bob.signaling.send(new Ringing("c1", null, "alice"));
        alice.recorder.next(Ringing.class);
        bob.signaling.send(new Accept("c1", null, "alice"));
        assertEquals("bob", alice.recorder.next(Accept.class).from());
        assertEquals("v=0 early offer", bob.recorder.next(Offer.class).sdp());
        bob.signaling.send(new Answer("c1", null, "alice", "v=0 answer"));
        assertEquals("v=0 answer", alice.recorder.next(Answer.class).sdp());
        alice.signaling.send(
                new Candidate("c1", null, "bob", "0", 0, "candidate:1 1 udp 1 198.18.0.1 5000 typ host", false));
        assertEquals("alice", bob.recorder.next(Candidate.class).from());
        bob.signaling.send(new Hangup("c1", null, "alice", "hangup"));
        assertEquals("hangup", alice.recorder.next(Hangup.class).reason());
        carol.recorder.assertNone(CallMessage.class, 300);

        // Validation holds across nodes: the call is over for both, and carol cannot speak in it.
        carol.signaling.send(new Hangup("c1", null, "alice", "hangup"));
        assertEquals(
                ErrorCode.UNKNOWN_CALL, carol.recorder.next(ErrorMessage.class).code());
        alice.signaling.send(new Offer("c1", null, "bob", "late"));
        assertEquals(
                ErrorCode.UNKNOWN_CALL, alice.recorder.next(ErrorMessage.class).code());

        assertTrue(health(a).contains("\"cluster\":\"attached\""), health(a));
        assertTrue(health(a).contains("\"nodes\":2"), health(a));
    }

    @Test
    void presenceAndDevicesFollowAUserAcrossNodes() throws Exception {
        ServerFixture.Client alice = user(a, b, "alice", "alice-laptop");
        alice.signaling.send(new Subscribe(List.of("bob")));
        awaitPresence(alice, "bob", PresenceStatus.OFFLINE);
        ServerFixture.Client bob = user(b, a, "bob", "bob-laptop");
        awaitPresence(alice, "bob", PresenceStatus.ONLINE);
        bob.signaling.send(new Presence(null, PresenceStatus.AWAY));
        awaitPresence(alice, "bob", PresenceStatus.AWAY);

        // The same device signing in on the other node replaces its connection there, as on one node.
        ServerFixture.Client bobAgain = user(a, b, "bob", "bob-laptop");
        assertEquals(ErrorCode.REPLACED, bob.recorder.next(ErrorMessage.class).code());
        awaitPresence(alice, "bob", PresenceStatus.ONLINE);
        bobAgain.signaling.close();
        awaitPresence(alice, "bob", PresenceStatus.OFFLINE);
    }

    @Test
    void anInviteRingsTheCalleesDevicesOnEveryNodeAndTheFirstAcceptWins() throws Exception {
        ServerFixture.Client alice = user(a, b, "alice", "alice-laptop");
        ServerFixture.Client bobHere = user(a, b, "bob", "bob-desk");
        ServerFixture.Client bobThere = user(b, a, "bob", "bob-phone");
        seeEachOther(alice, "bob");
        await(() -> a.server.stats().onlineUsers() == 2 && b.server.stats().onlineUsers() == 2, 5000, "both nodes");

        alice.signaling.send(new Invite("c2", null, "bob", AV));
        bobHere.recorder.next(Invite.class);
        bobThere.recorder.next(Invite.class);
        alice.signaling.send(new Offer("c2", null, "bob", "v=0 offer"));
        bobThere.signaling.send(new Accept("c2", null, "alice"));
        assertEquals("bob", alice.recorder.next(Accept.class).from());
        assertEquals("answered-elsewhere", bobHere.recorder.next(Cancel.class).reason());
        assertEquals("v=0 offer", bobThere.recorder.next(Offer.class).sdp());
        bobHere.recorder.assertNone(Offer.class, 300);
        // The device that lost cannot take part any more.
        bobHere.signaling.send(new Answer("c2", null, "alice", "v=0 answer"));
        assertEquals(
                ErrorCode.FORBIDDEN, bobHere.recorder.next(ErrorMessage.class).code());
    }

    @Test
    void crossingInvitesBetweenNodesBothArrive() throws Exception {
        ServerFixture.Client alice = user(a, b, "alice", "alice-laptop");
        ServerFixture.Client bob = user(b, a, "bob", "bob-laptop");
        seeEachOther(alice, "bob");
        seeEachOther(bob, "alice");
        alice.signaling.send(new Invite("glare-a", null, "bob", AV));
        bob.signaling.send(new Invite("glare-b", null, "alice", AV));
        assertEquals("glare-a", bob.recorder.next(Invite.class).callId());
        assertEquals("glare-b", alice.recorder.next(Invite.class).callId());
        // The clients settle on one call (the smaller id); the other is cancelled by its caller.
        bob.signaling.send(new Cancel("glare-b", null, "alice", "glare"));
        assertEquals("glare-b", alice.recorder.next(Cancel.class).callId());
        bob.signaling.send(new Accept("glare-a", null, "alice"));
        assertEquals("glare-a", alice.recorder.next(Accept.class).callId());
    }

    @Test
    void whenTheCalleesNodeDiesWhileRingingTheCallerHearsAndTheCalleeMovesOver() throws Exception {
        ServerFixture.Client alice = user(a, b, "alice", "alice-laptop");
        ServerFixture.Client bob = user(b, a, "bob", "bob-laptop");
        seeEachOther(alice, "bob");
        alice.signaling.send(new Invite("c3", null, "bob", AV));
        bob.recorder.next(Invite.class);

        long start = System.nanoTime();
        b.server.halt();
        ErrorMessage gone = alice.recorder.next(ErrorMessage.class, 10_000);
        assertEquals(ErrorCode.UNAVAILABLE, gone.code(), gone.toString());
        assertEquals("c3", gone.callId());
        long heardMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(heardMillis < 6_000, heardMillis + " ms");
        // bob's client signs in on node A; alice sees him online there (asked afresh: the error skipped past
        // whatever presence came before it).
        bob.recorder.awaitState(ConnectionState.CONNECTED);
        seeEachOther(alice, "bob");
        assertEquals(1, a.server.stats().onlineUsers() - 1, "bob signed in on node A");
    }

    @Test
    void whenTheCallersNodeDiesWhileRingingTheCalleeStopsRinging() throws Exception {
        // alice has no other node to go to, and bob says nothing: only node B's own watch can end the ring
        ServerFixture.Client alice = a.client(ClientConfig.of(a.uri(), "alice", null));
        ServerFixture.Client bob = user(b, a, "bob", "bob-laptop");
        seeEachOther(alice, "bob");
        alice.signaling.send(new Invite("c7", null, "bob", AV)); // node A routes it; bob rings on node B
        bob.recorder.next(Invite.class);

        long start = System.nanoTime();
        a.server.halt();
        Cancel cancel = bob.recorder.next(Cancel.class, 10_000);
        assertEquals("c7", cancel.callId());
        assertEquals("caller-unavailable", cancel.reason());
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < 6_000, millis + " ms");
    }

    @Test
    void whenTheNodeRoutingACallDiesTheCallGoesOnAndItsSignalingMovesToTheOtherNode() throws Exception {
        ServerFixture.Client alice = user(a, b, "alice", "alice-laptop");
        ServerFixture.Client bob = user(b, a, "bob", "bob-laptop");
        seeEachOther(alice, "bob");
        alice.signaling.send(new Invite("c4", null, "bob", AV)); // node A routes the call
        bob.recorder.next(Invite.class);
        bob.signaling.send(new Accept("c4", null, "alice"));
        alice.recorder.next(Accept.class);

        a.server.halt();
        alice.recorder.awaitState(ConnectionState.CONNECTED); // on node B now
        await(() -> b.server.stats().onlineUsers() == 2, 10_000, "alice on node B");

        // Mid-call signaling (an ICE restart, say) still flows both ways, and so does the hang-up.
        alice.signaling.send(new Offer("c4", null, "bob", "v=0 restart"));
        assertEquals("v=0 restart", bob.recorder.next(Offer.class).sdp());
        bob.signaling.send(new Answer("c4", null, "alice", "v=0 restart answer"));
        assertEquals("v=0 restart answer", alice.recorder.next(Answer.class).sdp());
        bob.signaling.send(new Hangup("c4", null, "alice", "hangup"));
        assertEquals("hangup", alice.recorder.next(Hangup.class).reason());
    }

    @Test
    void withoutRedisANodeServesItsOwnUsersAndRejoinsWhenRedisReturns() throws Exception {
        ServerFixture.Client alice = user(a, b, "alice", "alice-laptop");
        ServerFixture.Client carol = user(a, b, "carol", "carol-laptop");
        ServerFixture.Client bob = user(b, a, "bob", "bob-laptop");
        seeEachOther(alice, "bob");
        alice.signaling.send(new Invite("before", null, "bob", AV)); // answered before Redis goes: media flows
        bob.recorder.next(Invite.class);
        bob.signaling.send(new Accept("before", null, "alice"));
        alice.recorder.next(Accept.class);

        redis.stop();
        awaitPresence(alice, "bob", PresenceStatus.OFFLINE); // the other node's users read as signed out
        awaitHealth(a, h -> h.contains("\"cluster\":\"detached\""), 5_000, "node A saying it is detached");
        // Its own users still call each other.
        alice.signaling.send(new Invite("c5", null, "carol", AV));
        assertEquals("alice", carol.recorder.next(Invite.class).from());
        carol.signaling.send(new Accept("c5", null, "alice"));
        alice.recorder.next(Accept.class);

        redis.start();
        awaitPresence(alice, "bob", PresenceStatus.ONLINE); // rejoined: presence converges
        awaitHealth(
                b,
                h -> h.contains("\"cluster\":\"attached\"") && h.contains("\"nodes\":2"),
                10_000,
                "node B attached with two nodes");
        alice.signaling.send(new Invite("c6", null, "bob", AV));
        assertEquals("c6", bob.recorder.next(Invite.class).callId());
        // The call answered before the outage is still routed: Redis came back empty, its owner wrote it again.
        bob.signaling.send(new Offer("before", null, "alice", "v=0 restart after the outage"));
        assertEquals(
                "v=0 restart after the outage", alice.recorder.next(Offer.class).sdp());
    }

    /** A client chooses its call ids: one already routed by another node cannot be taken over by reusing it. */
    @Test
    void aCallIdInUseOnAnotherNodeCannotBeReused() throws Exception {
        ServerFixture.Client alice = user(a, b, "alice", "alice-laptop");
        ServerFixture.Client bob = user(b, a, "bob", "bob-laptop");
        ServerFixture.Client mallory = user(b, a, "mallory", "mallory-laptop");
        ServerFixture.Client carol = user(a, b, "carol", "carol-laptop");
        seeEachOther(alice, "bob");
        seeEachOther(mallory, "carol");
        alice.signaling.send(new Invite("x1", null, "bob", AV)); // node A routes x1
        bob.recorder.next(Invite.class);
        bob.signaling.send(new Accept("x1", null, "alice"));
        alice.recorder.next(Accept.class);

        mallory.signaling.send(new Invite("x1", null, "carol", AV)); // on node B, with alice's call's id
        ErrorMessage refused = mallory.recorder.next(ErrorMessage.class);
        assertEquals(ErrorCode.FORBIDDEN, refused.code(), refused.toString());
        carol.recorder.assertNone(Invite.class, 300);
        // alice's call is untouched: bob's messages still reach her through its owner.
        bob.signaling.send(new Answer("x1", null, "alice", "v=0 answer"));
        assertEquals("v=0 answer", alice.recorder.next(Answer.class).sdp());
    }

    /** A device that moves to another node leaves nothing behind in its old node's list in Redis. */
    @Test
    void aDeviceThatMovesNodesLeavesNoGhostInTheOldNodesList() throws Exception {
        ServerFixture.Client bob = user(a, b, "bob", "bob-laptop");
        ServerFixture.Client alice = user(b, a, "alice", "alice-laptop");
        seeEachOther(alice, "bob");
        String nodeA = nodeOf(a);
        try (redis.clients.jedis.Jedis jedis =
                new redis.clients.jedis.Jedis(redis.uri().getHost(), redis.uri().getPort())) {
            await(() -> jedis.hgetAll("parley:devices:" + nodeA).containsKey("bob\nbob-laptop"), 5000, "bob on A");
            ServerFixture.Client bobMoved = user(b, a, "bob", "bob-laptop"); // the same device, now on node B
            assertEquals(
                    ErrorCode.REPLACED, bob.recorder.next(ErrorMessage.class).code());
            await(
                    () -> !jedis.hgetAll("parley:devices:" + nodeA).containsKey("bob\nbob-laptop"),
                    5000,
                    "node A's list without bob's moved device");
            assertEquals(ConnectionState.CONNECTED, bobMoved.signaling.state());
        }
    }

    private static void awaitHealth(ServerFixture node, Predicate<String> match, long millis, String what)
            throws InterruptedException {
        await(
                () -> {
                    try {
                        return match.test(health(node));
                    } catch (Exception e) {
                        return false; // not answering yet counts as not yet
                    }
                },
                millis,
                what);
    }

    private static String nodeOf(ServerFixture node) throws Exception {
        String body = health(node);
        int at = body.indexOf("\"node\":\"") + 8;
        return body.substring(at, body.indexOf('"', at));
    }

    /**
     * With accounts, presence is shared between contacts only: a request made on one node reaches the other user on
     * another node, the answer opens presence both ways across the nodes, a node that joins later knows the contacts
     * (Redis holds them, not only the nodes' own files), and a removal closes presence again everywhere.
     */
    @Test
    void contactsAreSharedAcrossNodes() throws Exception {
        nodesWithContactsOnly();
        ServerFixture.Client alice = user(a, b, "alice", "laptop");
        ServerFixture.Client bob = user(b, a, "bob", "phone");
        assertEquals(new Contacts(List.of(), List.of(), List.of()), alice.recorder.next(Contacts.class));
        assertEquals(new Contacts(List.of(), List.of(), List.of()), bob.recorder.next(Contacts.class));
        await(() -> nodes(a) == 2 && nodes(b) == 2, 10_000, "two nodes");

        alice.signaling.send(new Subscribe(List.of("bob")));
        assertEquals(new Presence("bob", PresenceStatus.OFFLINE), alice.recorder.next(Presence.class));

        // The request itself and bob's new list come by two ways (the request from alice's node, the list from bob's
        // own, which applies the change): in either order.
        alice.signaling.send(new ContactRequest(null, "bob"));
        awaitAll(bob, new ContactRequest("alice", "bob"), new Contacts(List.of(), List.of("alice"), List.of()));
        awaitContacts(alice, new Contacts(List.of(), List.of(), List.of("bob")));
        alice.recorder.assertNone(Presence.class, 300);

        bob.signaling.send(new ContactAnswer(null, "alice", true));
        awaitAll(
                alice,
                new ContactAnswer("bob", "alice", true),
                new Contacts(List.of("bob"), List.of(), List.of()),
                new Presence("bob", PresenceStatus.ONLINE));

        // A third node, with a contacts file of its own that knows nothing, learns them from Redis.
        try (ServerFixture c = contactsOnlyNode("c")) {
            ServerFixture.Client aliceAgain = user(c, a, "alice", "tablet");
            awaitContacts(aliceAgain, new Contacts(List.of("bob"), List.of(), List.of()));
            aliceAgain.signaling.send(new Subscribe(List.of("bob")));
            awaitPresence(aliceAgain, "bob", PresenceStatus.ONLINE);

            bob.signaling.send(new ContactRemove(null, "alice"));
            awaitPresence(alice, "bob", PresenceStatus.OFFLINE);
            awaitAll(
                    aliceAgain,
                    new Presence("bob", PresenceStatus.OFFLINE),
                    new Contacts(List.of(), List.of(), List.of()));
        }
    }

    /**
     * Two users on two nodes asking each other at the same moment: each node works the change out from its copy and
     * Redis takes it only if the pair is still as that node saw it, so both nodes and Redis agree whichever order the
     * changes crossed in. And contacts outlive a
     * Redis that restarts empty: the nodes give it back what they hold.
     */
    @Test
    void nodesRacingOnOnePairAgreeAndContactsOutliveARedisRestart() throws Exception {
        nodesWithContactsOnly();
        await(() -> nodes(a) == 2 && nodes(b) == 2, 10_000, "two nodes");
        for (int round = 0; round < 5; round++) {
            ServerFixture.Client carol = user(a, b, "carol" + round, "laptop");
            ServerFixture.Client dave = user(b, a, "dave" + round, "phone");
            Thread.sleep(300); // each node knows the other's device
            carol.signaling.send(new ContactRequest(null, "dave" + round));
            dave.signaling.send(new ContactRequest(null, "carol" + round));
            Contacts carols = lastContactsWhenQuiet(carol);
            Contacts daves = lastContactsWhenQuiet(dave);
            String pair = "carol" + round + "\ndave" + round;
            String shared;
            try (redis.clients.jedis.Jedis jedis = new redis.clients.jedis.Jedis(
                    redis.uri().getHost(), redis.uri().getPort())) {
                shared = jedis.hget(RedisCluster.CONTACTS, pair);
            }
            // Mirror images of each other, and of what Redis holds.
            assertEquals(carols.accepted().isEmpty(), daves.accepted().isEmpty(), carols + " / " + daves);
            assertEquals(carols.outgoing(), daves.incoming().isEmpty() ? List.of() : List.of("dave" + round));
            assertEquals(daves.outgoing(), carols.incoming().isEmpty() ? List.of() : List.of("carol" + round));
            String expected = !carols.accepted().isEmpty()
                    ? "linked"
                    : !carols.outgoing().isEmpty() ? "first-asked" : "second-asked";
            assertEquals(expected, shared, carols + " / " + daves);
            // A removal and a request from the other side at the same moment: the request, decided with the pair
            // still linked, changes nothing; it cannot bring the link back over the removal.
            if (carols.accepted().isEmpty()) {
                carol.signaling.send(new ContactRequest(null, "dave" + round));
                lastContactsWhenQuiet(carol);
                lastContactsWhenQuiet(dave);
            }
            carol.signaling.send(new ContactRemove(null, "dave" + round));
            dave.signaling.send(new ContactRequest(null, "carol" + round));
            lastContactsWhenQuiet(carol);
            lastContactsWhenQuiet(dave);
            try (redis.clients.jedis.Jedis jedis = new redis.clients.jedis.Jedis(
                    redis.uri().getHost(), redis.uri().getPort())) {
                assertTrue(
                        !"linked".equals(jedis.hget(RedisCluster.CONTACTS, pair)),
                        "the removal was undone by a request decided on a stale copy");
                if (round < 2) { // linked again for the restart below
                    carol.signaling.send(new ContactRequest(null, "dave" + round));
                    dave.signaling.send(new ContactRequest(null, "carol" + round));
                    await(() -> "linked".equals(jedisGet(pair)), 5_000, "linked again");
                }
            }
            carol.signaling.close();
            dave.signaling.close();
        }

        // Cut off from Redis, a node refuses contact changes instead of making ones Redis would later undo.
        ServerFixture.Client erin = user(a, b, "erin", "laptop");
        erin.recorder.next(Contacts.class);
        redis.stop();
        awaitHealth(a, h -> h.contains("\"cluster\":\"detached\""), 5_000, "node A detached");
        erin.signaling.send(new ContactRequest(null, "frank"));
        assertEquals(ErrorCode.INTERNAL, erin.recorder.next(ErrorMessage.class).code());

        redis.start(); // empty: this Redis keeps nothing on disk
        await(
                () -> {
                    try (redis.clients.jedis.Jedis jedis = new redis.clients.jedis.Jedis(
                            redis.uri().getHost(), redis.uri().getPort())) {
                        return jedis.hlen(RedisCluster.CONTACTS) >= 2
                                && "linked".equals(jedis.hget(RedisCluster.CONTACTS, "carol0\ndave0"));
                    } catch (RuntimeException notYet) {
                        return false;
                    }
                },
                15_000,
                "the pairs back in Redis");
    }

    private String jedisGet(String pair) {
        try (redis.clients.jedis.Jedis jedis =
                new redis.clients.jedis.Jedis(redis.uri().getHost(), redis.uri().getPort())) {
            return jedis.hget(RedisCluster.CONTACTS, pair);
        }
    }

    /** The last contact list a client was sent, once nothing more came for a second. */
    private static Contacts lastContactsWhenQuiet(ServerFixture.Client client) throws InterruptedException {
        Contacts last = null;
        while (true) {
            Message m;
            try {
                m = client.recorder.next(Message.class, 1000);
            } catch (AssertionError quiet) {
                return last;
            }
            if (m instanceof Contacts c) {
                last = c;
            }
        }
    }

    /** Nodes A and B again, as with accounts: presence between contacts only, each with a contacts file of its own. */
    private void nodesWithContactsOnly() throws Exception {
        b.close();
        a.close();
        a = contactsOnlyNode("a");
        b = contactsOnlyNode("b");
    }

    private ServerFixture contactsOnlyNode(String name) throws Exception {
        return new ServerFixture(ServerConfig.builder()
                .contactsOnly(dir.resolve("contacts-" + name))
                .cluster(redis.uri(), null));
    }

    /** The live nodes a node counts, or -1 if it does not answer. */
    private static int nodes(ServerFixture node) {
        try {
            String body = health(node);
            int at = body.indexOf("\"nodes\":");
            return at < 0 ? -1 : Integer.parseInt(body.substring(at + 8).replaceAll("[^0-9].*", ""));
        } catch (Exception e) {
            return -1;
        }
    }

    /** Waits until every one of {@code expected} has arrived, in any order, other messages between them. */
    private static void awaitAll(ServerFixture.Client client, Message... expected) throws InterruptedException {
        List<Message> missing = new java.util.ArrayList<>(List.of(expected));
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!missing.isEmpty() && System.nanoTime() < end) {
            missing.remove(client.recorder.next(Message.class, 10_000));
        }
        assertTrue(missing.isEmpty(), () -> "never arrived: " + missing);
    }

    /** Waits for a contact list equal to {@code expected} (earlier ones may be on their way). */
    private static void awaitContacts(ServerFixture.Client client, Contacts expected) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Contacts last = null;
        while (System.nanoTime() < end) {
            last = client.recorder.next(Contacts.class, 10_000);
            if (last.equals(expected)) {
                return;
            }
        }
        throw new AssertionError("contacts never read " + expected + "; last " + last);
    }
}
