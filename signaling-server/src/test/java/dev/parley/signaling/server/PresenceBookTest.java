package dev.parley.signaling.server;

import static dev.parley.signaling.protocol.PresenceStatus.AWAY;
import static dev.parley.signaling.protocol.PresenceStatus.OFFLINE;
import static dev.parley.signaling.protocol.PresenceStatus.ONLINE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.signaling.protocol.MessageCodec;
import dev.parley.signaling.protocol.Presence;
import dev.parley.signaling.protocol.PresenceStatus;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PresenceBookTest {
    private final PresenceBook<FakeEndpoint> book = new PresenceBook<>(new MessageCodec());
    private final FakeEndpoint watcher = new FakeEndpoint("wendy", "w1");
    private final FakeEndpoint laptop = new FakeEndpoint("bob", "laptop");
    private final FakeEndpoint phone = new FakeEndpoint("bob", "phone");

    private PresenceStatus watcherHears() {
        return watcher.takeOnly(Presence.class).status();
    }

    @Test
    void aSubscriptionIsAnsweredAtOnceInTheOrderAskedWithDuplicatesCollapsed() {
        book.add(laptop);
        book.subscribe(watcher, List.of("nobody", "bob", "nobody"));
        assertEquals(List.of(new Presence("nobody", OFFLINE), new Presence("bob", ONLINE)), watcher.take());
        assertEquals(List.of("nobody", "bob"), List.copyOf(watcher.watching()));
    }

    @Test
    void watchersHearOnlyChangesOfTheUsersStatusOverAllDevices() {
        book.subscribe(watcher, List.of("bob"));
        watcher.take();
        book.add(laptop);
        assertEquals(ONLINE, watcherHears());
        book.add(phone);
        book.setStatus(laptop, AWAY);
        assertEquals(List.of(), watcher.take(), "still online on the phone");
        assertEquals(ONLINE, book.statusOf("bob"));
        assertTrue(book.remove(phone));
        assertEquals(AWAY, watcherHears(), "the only device left is away");
        book.setStatus(laptop, ONLINE);
        assertEquals(ONLINE, watcherHears());
        assertTrue(book.remove(laptop));
        assertEquals(OFFLINE, watcherHears());
        assertFalse(book.isOnline("bob"));
        assertEquals(0, book.onlineUsers());
    }

    @Test
    void devicesAreListedInSignInOrderAndFoundByName() {
        book.add(phone);
        book.add(laptop);
        assertEquals(List.of(phone, laptop), List.copyOf(book.devicesOf("bob")));
        assertSame(laptop, book.device("bob", "laptop"));
        assertNull(book.device("bob", "tablet"));
        assertEquals(List.of(), List.copyOf(book.devicesOf("carol")));
        assertEquals(1, book.onlineUsers());
    }

    @Test
    void theSameDeviceSigningInAgainReplacesTheOldEndpointQuietly() {
        book.add(laptop);
        book.subscribe(watcher, List.of("bob"));
        watcher.take();
        FakeEndpoint again = new FakeEndpoint("bob", "laptop");
        assertSame(laptop, book.add(again));
        assertFalse(book.remove(laptop), "the old endpoint closing later signs nobody out");
        assertEquals(List.of(), watcher.take());
        assertSame(again, book.device("bob", "laptop"));
        assertEquals(ONLINE, book.statusOf("bob"));
    }

    @Test
    void aNewSubscriptionReplacesTheOldOneAndRemovalForgetsIt() {
        FakeEndpoint carol = new FakeEndpoint("carol", "c1");
        book.subscribe(watcher, List.of("bob"));
        book.subscribe(watcher, List.of("carol"));
        watcher.take();
        book.add(laptop);
        assertEquals(List.of(), watcher.take(), "no longer watching bob");
        book.add(carol);
        assertEquals(new Presence("carol", ONLINE), watcher.takeOnly(Presence.class));

        book.add(watcher);
        assertTrue(book.remove(watcher));
        assertEquals(Set.of(), watcher.watching());
        book.remove(carol);
        assertEquals(List.of(), watcher.take(), "a removed endpoint hears nothing more");
    }
}
