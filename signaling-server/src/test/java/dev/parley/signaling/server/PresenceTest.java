package dev.parley.signaling.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.signaling.protocol.ErrorCode;
import dev.parley.signaling.protocol.ErrorMessage;
import dev.parley.signaling.protocol.Presence;
import dev.parley.signaling.protocol.PresenceStatus;
import dev.parley.signaling.protocol.Subscribe;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class PresenceTest {

    @Test
    void subscribersSeeOnlineAwayAndOffline() throws Exception {
        try (ServerFixture f = ServerFixture.open()) {
            ServerFixture.Client alice = f.client("alice");
            alice.signaling.send(new Subscribe(List.of("bob")));
            assertEquals(new Presence("bob", PresenceStatus.OFFLINE), alice.recorder.next(Presence.class));

            ServerFixture.Client bob = f.client("bob");
            assertEquals(new Presence("bob", PresenceStatus.ONLINE), alice.recorder.next(Presence.class));

            bob.signaling.send(new Presence(null, PresenceStatus.AWAY));
            assertEquals(new Presence("bob", PresenceStatus.AWAY), alice.recorder.next(Presence.class));

            bob.signaling.close();
            assertEquals(new Presence("bob", PresenceStatus.OFFLINE), alice.recorder.next(Presence.class));
        }
    }

    @Test
    void presenceReachesOnlyThoseWhoSubscribed() throws Exception {
        try (ServerFixture f = ServerFixture.open()) {
            ServerFixture.Client alice = f.client("alice");
            ServerFixture.Client carol = f.client("carol");
            alice.signaling.send(new Subscribe(List.of("bob")));
            alice.recorder.next(Presence.class);
            f.client("bob");
            alice.recorder.next(Presence.class);
            carol.recorder.assertNone(Presence.class, 500);
        }
    }

    @Test
    void aNewSubscriptionReplacesTheOld() throws Exception {
        try (ServerFixture f = ServerFixture.open()) {
            ServerFixture.Client alice = f.client("alice");
            alice.signaling.send(new Subscribe(List.of("bob")));
            alice.recorder.next(Presence.class);
            alice.signaling.send(new Subscribe(List.of("dave")));
            assertEquals("dave", alice.recorder.next(Presence.class).user());
            f.client("bob");
            alice.recorder.assertNone(Presence.class, 500);
        }
    }

    @Test
    void aUserOnTwoDevicesIsOnlineWhileEitherIs() throws Exception {
        try (ServerFixture f = ServerFixture.open()) {
            ServerFixture.Client alice = f.client("alice");
            alice.signaling.send(new Subscribe(List.of("bob")));
            alice.recorder.next(Presence.class);
            ServerFixture.Client laptop = f.client(f.config("bob", null).withDevice("laptop"));
            alice.recorder.next(Presence.class);
            ServerFixture.Client phone = f.client(f.config("bob", null).withDevice("phone"));
            laptop.signaling.send(new Presence(null, PresenceStatus.AWAY));
            alice.recorder.assertNone(Presence.class, 300); // the phone is still online
            phone.signaling.close();
            assertEquals(new Presence("bob", PresenceStatus.AWAY), alice.recorder.next(Presence.class));
        }
    }

    @Test
    void settingYourselfOfflineIsRefused() throws Exception {
        try (ServerFixture f = ServerFixture.open()) {
            ServerFixture.Client bob = f.client("bob");
            bob.signaling.send(new Presence(null, PresenceStatus.OFFLINE));
            assertEquals(
                    ErrorCode.INVALID_MESSAGE,
                    bob.recorder.next(ErrorMessage.class).code());
        }
    }
}
