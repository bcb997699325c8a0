package dev.parley.signaling.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.signaling.protocol.ErrorCode;
import dev.parley.signaling.protocol.ErrorMessage;
import dev.parley.signaling.protocol.Hello;
import dev.parley.signaling.protocol.Presence;
import dev.parley.signaling.protocol.Subscribe;
import dev.parley.signaling.protocol.Welcome;
import dev.parley.testsupport.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What one client can make the server hold is capped: per address, per user and per connection. */
@Timeout(60)
class CapsTest {

    private static ServerFixture withCaps(int unauthenticatedPerAddress, int devicesPerUser, int watchedUsers)
            throws Exception {
        return new ServerFixture(ServerConfig.builder()
                .limits(ServerConfig.Limits.defaults()
                        .withCaps(unauthenticatedPerAddress, devicesPerUser, watchedUsers)));
    }

    @Test
    void connectionsThatNeverSignInAreCappedPerAddress() throws Exception {
        try (ServerFixture f = withCaps(3, 16, 256)) {
            List<RawClient> idle = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                idle.add(f.raw());
            }
            RawClient oneTooMany = f.raw();
            ErrorMessage refusal = oneTooMany.next(ErrorMessage.class);
            assertEquals(ErrorCode.RATE_LIMITED, refusal.code());
            assertTrue(refusal.message().contains("not signed in"), refusal.message());
            assertEquals(1013, oneTooMany.closed().get(5, TimeUnit.SECONDS)); // try again later
            idle.forEach(c -> assertFalse(c.closed().isDone(), "the first three stay"));

            // Signing in frees a place: the cap is on connections that cost memory and prove nothing.
            idle.get(0).send(new Hello("alice", null, null, "d1", "raw"));
            idle.get(0).next(Welcome.class);
            RawClient next = f.raw();
            next.send(new Hello("bob", null, null, "d1", "raw"));
            assertEquals("bob", next.next(Welcome.class).user());
        }
    }

    @Test
    void aUserMaySignInOnAFewDevicesAndAgainOnEachButNotOnMore() throws Exception {
        try (ServerFixture f = withCaps(256, 2, 256)) {
            RawClient laptop = signIn(f, "alice", "laptop");
            signIn(f, "alice", "phone");
            RawClient third = f.raw();
            third.send(new Hello("alice", null, null, "desk", "raw"));
            ErrorMessage refusal = third.next(ErrorMessage.class);
            assertEquals(ErrorCode.RATE_LIMITED, refusal.code());
            assertTrue(refusal.message().contains("devices"), refusal.message());
            assertEquals(1008, third.closed().get(5, TimeUnit.SECONDS));

            // The laptop reconnecting replaces its own connection: no new device.
            RawClient laptopAgain = signIn(f, "alice", "laptop");
            assertEquals(1008, laptop.closed().get(5, TimeUnit.SECONDS)); // replaced
            assertNull(laptopAgain.poll(200));
            // Another user is not affected, and a device that leaves frees its place.
            signIn(f, "bob", "desk");
            laptopAgain.close();
            Await.until(
                    () -> f.server.stats().authenticated() == 2,
                    Duration.ofSeconds(5),
                    () -> "the laptop's connection is still there: " + f.server.stats());
            signIn(f, "alice", "desk");
        }
    }

    @Test
    void aSubscriptionBeyondTheCapIsRefusedWithAClearMessageAndChangesNothing() throws Exception {
        try (ServerFixture f = withCaps(256, 16, 5)) {
            RawClient watcher = f.rawSignedIn("watcher");
            watcher.send(new Subscribe(List.of("a1", "a2")));
            watcher.next(Presence.class);
            watcher.next(Presence.class);

            List<String> six = IntStream.range(0, 6).mapToObj(i -> "u" + i).toList();
            watcher.send(new Subscribe(six));
            ErrorMessage refusal = watcher.next(ErrorMessage.class);
            assertEquals(ErrorCode.INVALID_MESSAGE, refusal.code());
            assertEquals("subscribe", refusal.inReplyTo());
            assertTrue(refusal.message().contains("at most 5"), refusal.message());
            assertNull(watcher.poll(300), "a refused subscription answered presence");

            // The old subscription stands: a1 signing in is reported.
            f.rawSignedIn("a1");
            Presence online = watcher.next(Presence.class);
            assertEquals("a1", online.user());

            watcher.send(new Subscribe(List.of("u1", "u2", "u3", "u4", "u5", "u5"))); // duplicates count once
            for (int i = 0; i < 5; i++) {
                watcher.next(Presence.class);
            }
        }
    }

    private static RawClient signIn(ServerFixture f, String user, String device) throws Exception {
        RawClient c = f.raw();
        c.send(new Hello(user, null, null, device, "raw"));
        assertEquals(user, c.next(Welcome.class).user());
        return c;
    }

    /**
     * An office behind one NAT reconnecting at once after a server restart: sign-ins that check no password cost
     * no hash, so they do not queue per address for a password worker (8 may wait there) and all get in.
     */
    @Test
    void manySignInsWithoutAPasswordFromOneAddressAtOnceAllGetIn() throws Exception {
        try (ServerFixture f = new ServerFixture(ServerConfig.builder())) {
            List<RawClient> office = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                office.add(f.raw());
            }
            for (int i = 0; i < office.size(); i++) {
                office.get(i).send(new Hello("user" + i, null, null, "d1", "raw"));
            }
            for (int i = 0; i < office.size(); i++) {
                assertEquals("user" + i, office.get(i).next(Welcome.class).user(), "user" + i + " was refused");
            }
        }
    }
}
