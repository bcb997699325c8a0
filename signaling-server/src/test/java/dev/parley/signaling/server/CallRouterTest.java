package dev.parley.signaling.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.signaling.protocol.Accept;
import dev.parley.signaling.protocol.CallMessage;
import dev.parley.signaling.protocol.Cancel;
import dev.parley.signaling.protocol.Decline;
import dev.parley.signaling.protocol.EndCause;
import dev.parley.signaling.protocol.ErrorCode;
import dev.parley.signaling.protocol.ErrorMessage;
import dev.parley.signaling.protocol.Hangup;
import dev.parley.signaling.protocol.Invite;
import dev.parley.signaling.protocol.MediaKind;
import dev.parley.signaling.protocol.MessageCodec;
import dev.parley.signaling.protocol.Offer;
import dev.parley.signaling.protocol.Ringing;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Routing rules on fake devices and a fake clock; the same rules end to end are in RoutingTest. */
class CallRouterTest {
    private final MessageCodec codec = new MessageCodec();
    private final PresenceBook<FakeEndpoint> presence = new PresenceBook<>(codec);
    private long now = TimeUnit.DAYS.toNanos(2);
    private final CallRouter router = new CallRouter(codec, 2, presence, () -> now);
    private final FakeEndpoint alice = signedIn("alice", "a1");
    private final FakeEndpoint laptop = signedIn("bob", "laptop");
    private final FakeEndpoint phone = signedIn("bob", "phone");

    private FakeEndpoint signedIn(String user, String device) {
        FakeEndpoint e = new FakeEndpoint(user, device);
        presence.add(e);
        return e;
    }

    /** Routes as the hub does, stamping the sender, and sends the outbox. */
    private void send(FakeEndpoint from, CallMessage m) {
        CallMessage stamped = m.withFrom(from.user());
        Outbox out = new Outbox();
        router.route(from, stamped, codec.encode(stamped), out);
        out.send();
    }

    private static Invite invite(String callId) {
        return new Invite(callId, null, "bob", Set.of(MediaKind.AUDIO));
    }

    private static void assertRefused(FakeEndpoint sender, ErrorCode code) {
        ErrorMessage error = sender.takeOnly(ErrorMessage.class);
        assertEquals(code, error.code(), error::toString);
    }

    private static void assertCancelled(FakeEndpoint device, EndCause cause) {
        assertEquals(cause.wire(), device.takeOnly(Cancel.class).reason());
    }

    @Test
    void anInviteRingsEveryDeviceOfTheCalleeStampedWithTheSender() {
        send(alice, invite("c1"));
        Invite expected = new Invite("c1", "alice", "bob", Set.of(MediaKind.AUDIO));
        assertEquals(List.of(expected), laptop.take());
        assertEquals(List.of(expected), phone.take());
        assertEquals(List.of(), alice.take());
        assertEquals(1, router.openCalls());
    }

    @Test
    void nothingIsSentUntilTheOutboxIs() {
        Outbox out = new Outbox();
        router.route(
                alice, invite("c1").withFrom("alice"), codec.encode(invite("c1").withFrom("alice")), out);
        assertEquals(List.of(), laptop.take());
        out.send();
        assertEquals(1, laptop.take().size());
    }

    @Test
    void invitesThatCannotRingAreRefusedInOrder() {
        send(alice, invite("c1"));
        laptop.take();
        phone.take();
        send(alice, invite("c1"));
        assertRefused(alice, ErrorCode.FORBIDDEN); // call id in use
        send(alice, new Invite("c2", null, "alice", Set.of(MediaKind.AUDIO)));
        assertRefused(alice, ErrorCode.FORBIDDEN); // yourself
        send(alice, new Invite("c3", null, "carol", Set.of(MediaKind.AUDIO)));
        assertRefused(alice, ErrorCode.UNAVAILABLE); // not signed in
        send(alice, invite("c4"));
        send(alice, invite("c5"));
        assertRefused(alice, ErrorCode.RATE_LIMITED); // a third open call placed; at most 2
        assertEquals(2, router.openCalls());
    }

    @Test
    void theFirstDeviceToAcceptWinsAndTheOthersStopRinging() {
        send(alice, invite("c1"));
        laptop.take();
        phone.take();
        send(phone, new Ringing("c1", null, "alice"));
        send(laptop, new Ringing("c1", null, "alice"));
        assertEquals(2, alice.take().size(), "the caller may hear ringing from each device");
        send(phone, new Accept("c1", null, "alice"));
        assertEquals(new Accept("c1", "bob", "alice"), alice.takeOnly(Accept.class));
        assertCancelled(laptop, EndCause.ANSWERED_ELSEWHERE);
        assertEquals(List.of(), phone.take());

        send(laptop, new Offer("c1", null, "alice", "v=0"));
        assertRefused(laptop, ErrorCode.FORBIDDEN); // answered on another device
        send(alice, new Offer("c1", null, "bob", "v=0"));
        assertEquals(List.of(), laptop.take());
        phone.takeOnly(Offer.class);
    }

    @Test
    void aDeclineWhileRingingEndsTheCallForEveryDevice() {
        send(alice, invite("c1"));
        laptop.take();
        phone.take();
        send(laptop, new Decline("c1", null, "alice", "declined"));
        alice.takeOnly(Decline.class);
        assertCancelled(phone, EndCause.DECLINED_ELSEWHERE);
        assertEquals(0, router.openCalls());
        send(phone, new Accept("c1", null, "alice"));
        assertRefused(phone, ErrorCode.UNKNOWN_CALL);
    }

    @Test
    void eachSideMaySendOnlyItsOwnMessages() {
        FakeEndpoint mallory = signedIn("mallory", "m1");
        send(alice, invite("c1"));
        laptop.take();
        phone.take();
        send(alice, new Accept("c1", null, "bob"));
        assertRefused(alice, ErrorCode.FORBIDDEN); // callee only
        send(laptop, new Cancel("c1", null, "alice", "cancelled"));
        assertRefused(laptop, ErrorCode.FORBIDDEN); // caller only
        send(mallory, new Hangup("c1", null, "bob", "hangup"));
        assertRefused(mallory, ErrorCode.FORBIDDEN); // not a party
        send(laptop, new Offer("c1", null, "carol", "v=0"));
        assertRefused(laptop, ErrorCode.FORBIDDEN); // to the wrong peer
        assertEquals(1, router.openCalls());
    }

    @Test
    void aMessageForAPartyWithoutAConnectionIsRefusedButStillEndsTheCall() {
        send(alice, invite("c1"));
        laptop.take();
        phone.take();
        send(phone, new Accept("c1", null, "alice"));
        alice.take();
        laptop.take();
        presence.remove(phone); // gone, but an answered call keeps its route
        router.deviceGone(phone, new Outbox());
        send(alice, new Hangup("c1", null, "bob", "hangup"));
        assertRefused(alice, ErrorCode.UNAVAILABLE);
        assertEquals(0, router.openCalls());
    }

    @Test
    void theCallersDeviceGoingAwayCancelsItsUnansweredCalls() {
        send(alice, invite("c1"));
        laptop.take();
        phone.take();
        presence.remove(alice);
        Outbox out = new Outbox();
        router.deviceGone(alice, out);
        out.send();
        assertCancelled(laptop, EndCause.CALLER_UNAVAILABLE);
        assertCancelled(phone, EndCause.CALLER_UNAVAILABLE);
        assertEquals(0, router.openCalls());
    }

    @Test
    void theCalleesLastDeviceGoingAwayTellsTheCaller() {
        send(alice, invite("c1"));
        presence.remove(laptop);
        router.deviceGone(laptop, new Outbox());
        assertEquals(List.of(), alice.take(), "bob still has his phone");
        presence.remove(phone);
        Outbox out = new Outbox();
        router.deviceGone(phone, out);
        out.send();
        ErrorMessage error = alice.takeOnly(ErrorMessage.class);
        assertEquals(ErrorCode.UNAVAILABLE, error.code());
        assertEquals("c1", error.callId());
        assertEquals(0, router.openCalls());
    }

    @Test
    void theSweepEndsCallsThatRangFiveMinutesAndForgetsAnsweredOnesAfterADay() {
        send(alice, invite("ringing"));
        send(alice, invite("answered"));
        send(laptop, new Accept("answered", null, "alice"));
        laptop.take();
        phone.take();
        alice.take();

        sweepAfter(TimeUnit.MINUTES.toNanos(5));
        assertEquals(2, router.openCalls(), "exactly five minutes is not too long");
        sweepAfter(1);
        assertCancelled(phone, EndCause.NO_ANSWER);
        assertCancelled(laptop, EndCause.NO_ANSWER);
        ErrorMessage error = alice.takeOnly(ErrorMessage.class);
        assertEquals(ErrorCode.UNAVAILABLE, error.code());
        assertEquals("ringing", error.callId());
        assertEquals(1, router.openCalls());

        sweepAfter(TimeUnit.HOURS.toNanos(24));
        assertEquals(0, router.openCalls());
        assertEquals(List.of(), alice.take(), "an answered call is forgotten silently");
        assertEquals(List.of(), laptop.take());
    }

    private void sweepAfter(long nanos) {
        now += nanos;
        Outbox out = new Outbox();
        router.sweep(now, out);
        out.send();
    }
}
