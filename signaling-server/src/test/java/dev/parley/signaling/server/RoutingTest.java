package dev.parley.signaling.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.parley.signaling.client.ConnectionState;
import dev.parley.signaling.protocol.Accept;
import dev.parley.signaling.protocol.Answer;
import dev.parley.signaling.protocol.CallMessage;
import dev.parley.signaling.protocol.Cancel;
import dev.parley.signaling.protocol.Candidate;
import dev.parley.signaling.protocol.Decline;
import dev.parley.signaling.protocol.ErrorCode;
import dev.parley.signaling.protocol.ErrorMessage;
import dev.parley.signaling.protocol.Hangup;
import dev.parley.signaling.protocol.Hello;
import dev.parley.signaling.protocol.Invite;
import dev.parley.signaling.protocol.MediaKind;
import dev.parley.signaling.protocol.Message;
import dev.parley.signaling.protocol.Offer;
import dev.parley.signaling.protocol.Ping;
import dev.parley.signaling.protocol.Pong;
import dev.parley.signaling.protocol.Ringing;
import dev.parley.signaling.protocol.Welcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class RoutingTest {
    private static final Set<MediaKind> AV = Set.of(MediaKind.AUDIO, MediaKind.VIDEO);

    @Test
    void aWholeCallSetupFlowsBetweenTheTwoPartiesOnly() throws Exception {
        try (ServerFixture f = ServerFixture.open()) {
            ServerFixture.Client alice = f.client("alice");
            ServerFixture.Client bob = f.client("bob");
            ServerFixture.Client carol = f.client("carol");

            alice.signaling.send(new Invite("c1", null, "bob", AV));
            assertEquals(new Invite("c1", "alice", "bob", AV), bob.recorder.next(Invite.class));
            bob.signaling.send(new Ringing("c1", null, "alice"));
            alice.recorder.next(Ringing.class);
            bob.signaling.send(new Accept("c1", null, "alice"));
            assertEquals("bob", alice.recorder.next(Accept.class).from());
            alice.signaling.send(new Offer("c1", null, "bob", "v=0 offer"));
            assertEquals("v=0 offer", bob.recorder.next(Offer.class).sdp());
            bob.signaling.send(new Answer("c1", null, "alice", "v=0 answer"));
            assertEquals("v=0 answer", alice.recorder.next(Answer.class).sdp());
            alice.signaling.send(
                    new Candidate("c1", null, "bob", "0", 0, "candidate:1 1 udp 1 198.18.0.1 5000 typ host", false));
            bob.recorder.next(Candidate.class);
            bob.signaling.send(Candidate.end("c1", "alice"));
            assertEquals(true, alice.recorder.next(Candidate.class).endOfCandidates());
            bob.signaling.send(new Hangup("c1", null, "alice", "hangup"));
            assertEquals("hangup", alice.recorder.next(Hangup.class).reason());

            carol.recorder.assertNone(CallMessage.class, 300);
            // The call is over: further messages about it are refused.
            alice.signaling.send(new Offer("c1", null, "bob", "late"));
            assertEquals(
                    ErrorCode.UNKNOWN_CALL,
                    alice.recorder.next(ErrorMessage.class).code());
        }
    }

    @Test
    void aSpoofedSenderIsOverwrittenWithTheAuthenticatedUser() throws Exception {
        try (ServerFixture f = ServerFixture.open()) {
            RawClient mallory = f.rawSignedIn("mallory");
            ServerFixture.Client bob = f.client("bob");
            mallory.send(
                    "{\"type\":\"invite\",\"v\":1,\"callId\":\"x1\",\"from\":\"alice\",\"to\":\"bob\",\"media\":[\"audio\"]}");
            assertEquals("mallory", bob.recorder.next(Invite.class).from());
        }
    }

    @Test
    void inviteToSomeoneOfflineIsUnavailable() throws Exception {
        try (ServerFixture f = ServerFixture.open()) {
            ServerFixture.Client alice = f.client("alice");
            alice.signaling.send(new Invite("c2", null, "nobody", AV));
            ErrorMessage error = alice.recorder.next(ErrorMessage.class);
            assertEquals(ErrorCode.UNAVAILABLE, error.code());
            assertEquals("c2", error.callId());
            assertEquals("invite", error.inReplyTo());
        }
    }

    @Test
    void outsidersCannotTouchSomeoneElsesCall() throws Exception {
        try (ServerFixture f = ServerFixture.open()) {
            ServerFixture.Client alice = f.client("alice");
            ServerFixture.Client bob = f.client("bob");
            ServerFixture.Client mallory = f.client("mallory");
            alice.signaling.send(new Invite("c3", null, "bob", AV));
            bob.recorder.next(Invite.class);
            mallory.signaling.send(new Hangup("c3", null, "bob", "gotcha"));
            assertEquals(
                    ErrorCode.FORBIDDEN,
                    mallory.recorder.next(ErrorMessage.class).code());
            mallory.signaling.send(new Invite("c3", null, "bob", AV));
            assertEquals(
                    ErrorCode.FORBIDDEN,
                    mallory.recorder.next(ErrorMessage.class).code());
            bob.recorder.assertNone(Hangup.class, 300);
            // A party may not redirect the call to a third user either.
            alice.signaling.send(new Offer("c3", null, "mallory", "v=0"));
            assertEquals(
                    ErrorCode.FORBIDDEN, alice.recorder.next(ErrorMessage.class).code());
            mallory.recorder.assertNone(Offer.class, 300);
        }
    }

    @Test
    void onlyTheCalleeAcceptsAndOnlyTheCallerCancels() throws Exception {
        try (ServerFixture f = ServerFixture.open()) {
            ServerFixture.Client alice = f.client("alice");
            ServerFixture.Client bob = f.client("bob");
            alice.signaling.send(new Invite("c4", null, "bob", AV));
            bob.recorder.next(Invite.class);
            alice.signaling.send(new Accept("c4", null, "bob"));
            assertEquals(
                    ErrorCode.FORBIDDEN, alice.recorder.next(ErrorMessage.class).code());
            bob.signaling.send(new Cancel("c4", null, "alice", (String) null));
            assertEquals(
                    ErrorCode.FORBIDDEN, bob.recorder.next(ErrorMessage.class).code());
            alice.signaling.send(new Cancel("c4", null, "bob", "changed my mind"));
            assertEquals("changed my mind", bob.recorder.next(Cancel.class).reason());
        }
    }

    @Test
    void allDevicesRingAndTheFirstToAcceptWins() throws Exception {
        try (ServerFixture f = ServerFixture.open()) {
            ServerFixture.Client alice = f.client("alice");
            ServerFixture.Client laptop = f.client(f.config("bob", null).withDevice("laptop"));
            ServerFixture.Client phone = f.client(f.config("bob", null).withDevice("phone"));

            alice.signaling.send(new Invite("c5", null, "bob", AV));
            laptop.recorder.next(Invite.class);
            phone.recorder.next(Invite.class);
            // The early offer and a candidate wait for the device that accepts: no ringing device gets them.
            alice.signaling.send(new Offer("c5", null, "bob", "early"));
            alice.signaling.send(
                    new Candidate("c5", null, "bob", "0", 0, "candidate:1 1 udp 1 198.51.100.9 9 typ host", false));
            laptop.recorder.assertNone(Offer.class, 300);
            phone.recorder.assertNone(Candidate.class, 100);

            phone.signaling.send(new Accept("c5", null, "alice"));
            alice.recorder.next(Accept.class);
            assertEquals(
                    "answered-elsewhere", laptop.recorder.next(Cancel.class).reason());
            assertEquals("early", phone.recorder.next(Offer.class).sdp(), "the accepting device gets the held offer");
            assertEquals("c5", phone.recorder.next(Candidate.class).callId(), "and the held candidate, in order");

            alice.signaling.send(new Offer("c5", null, "bob", "renegotiate"));
            assertEquals("renegotiate", phone.recorder.next(Offer.class).sdp());
            laptop.recorder.assertNone(Offer.class, 300);
            laptop.signaling.send(new Hangup("c5", null, "alice", "hangup"));
            assertEquals(
                    ErrorCode.FORBIDDEN,
                    laptop.recorder.next(ErrorMessage.class).code());
        }
    }

    /**
     * The attack of issue 13: a device signed in under the callee's name that never accepted answers the early
     * offer and sends a candidate. The server refuses both; the caller sees neither.
     */
    @Test
    void aCalleeDeviceThatHasNotAcceptedMaySendNoMediaSetup() throws Exception {
        try (ServerFixture f = ServerFixture.open()) {
            ServerFixture.Client alice = f.client("alice");
            ServerFixture.Client impostor = f.client(f.config("bob", null).withDevice("impostor"));
            alice.signaling.send(new Invite("c9", null, "bob", AV));
            impostor.recorder.next(Invite.class);
            impostor.signaling.send(new Answer("c9", null, "alice", "v=0 answer"));
            assertEquals(
                    ErrorCode.FORBIDDEN,
                    impostor.recorder.next(ErrorMessage.class).code());
            impostor.signaling.send(
                    new Candidate("c9", null, "alice", "0", 0, "candidate:1 1 udp 1 198.51.100.7 9 typ host", false));
            assertEquals(
                    ErrorCode.FORBIDDEN,
                    impostor.recorder.next(ErrorMessage.class).code());
            impostor.signaling.send(new Offer("c9", null, "alice", "v=0 offer"));
            assertEquals(
                    ErrorCode.FORBIDDEN,
                    impostor.recorder.next(ErrorMessage.class).code());
            alice.recorder.assertNone(Answer.class, 300);
            alice.recorder.assertNone(Candidate.class, 100);
            alice.recorder.assertNone(Offer.class, 100);
        }
    }

    @Test
    void aDeclineOnOneDeviceStopsTheOthersRinging() throws Exception {
        try (ServerFixture f = ServerFixture.open()) {
            ServerFixture.Client alice = f.client("alice");
            ServerFixture.Client laptop = f.client(f.config("bob", null).withDevice("laptop"));
            ServerFixture.Client phone = f.client(f.config("bob", null).withDevice("phone"));
            alice.signaling.send(new Invite("c6", null, "bob", AV));
            laptop.recorder.next(Invite.class);
            phone.recorder.next(Invite.class);
            laptop.signaling.send(new Decline("c6", null, "alice", "declined"));
            assertEquals("declined", alice.recorder.next(Decline.class).reason());
            assertEquals("declined-elsewhere", phone.recorder.next(Cancel.class).reason());
        }
    }

    @Test
    void aCallerThatDisappearsBeforeAnAnswerCancelsTheRinging() throws Exception {
        try (ServerFixture f = ServerFixture.open()) {
            RawClient alice = f.rawSignedIn("alice");
            ServerFixture.Client bob = f.client("bob");
            alice.send(new Invite("c7", null, "bob", AV));
            bob.recorder.next(Invite.class);
            alice.close();
            assertEquals("caller-unavailable", bob.recorder.next(Cancel.class).reason());
        }
    }

    @Test
    void anAnsweredCallKeepsItsRouteAcrossAReconnectOfTheSameDevice() throws Exception {
        try (ServerFixture f = ServerFixture.open()) {
            ServerFixture.Client alice = f.client(f.config("alice", null).withDevice("a1"));
            RawClient bob = f.raw();
            bob.send(new Hello("bob", null, null, "b1", "raw"));
            bob.next(Welcome.class);
            alice.signaling.send(new Invite("c8", null, "bob", AV));
            bob.next(Invite.class);
            bob.send(new Accept("c8", null, "alice"));
            alice.recorder.next(Accept.class);

            bob.close(); // bob's signaling drops mid-call; his media would go on
            RawClient bobAgain = f.raw();
            bobAgain.send(new Hello("bob", null, null, "b1", "raw"));
            bobAgain.next(Welcome.class);
            alice.signaling.send(new Hangup("c8", null, "bob", "hangup"));
            assertEquals("alice", bobAgain.next(Hangup.class).from());
        }
    }

    @Test
    void invitesPouredOnSomeoneDoNotStopThemCallingOut() throws Exception {
        try (ServerFixture f = ServerFixture.open()) {
            ServerFixture.Client bob = f.client("bob");
            ServerFixture.Client alice = f.client("alice");
            RawClient mallory = f.rawSignedIn("mallory");
            // 40 invites: 8 more than the 32 open calls one user may place, well within the message burst (200)
            // and the 64 calls that may ring for one callee, so exactly the last 8 are refused.
            for (int i = 0; i < 40; i++) {
                mallory.send(new Invite("spam" + i, null, "bob", AV));
            }
            mallory.send(new Ping(99)); // answered after the 40 invites: everything before it has been decided
            List<ErrorMessage> refusals = new ArrayList<>();
            for (Message m = mallory.next(); !(m instanceof Pong); m = mallory.next()) {
                refusals.add(assertInstanceOf(ErrorMessage.class, m, "mallory got " + m));
            }
            List<ErrorMessage> expected = new ArrayList<>();
            for (int i = 32; i < 40; i++) {
                expected.add(new ErrorMessage(
                        ErrorCode.RATE_LIMITED, "too many open calls (at most 32)", "invite", "spam" + i));
            }
            assertEquals(expected, refusals);

            // bob rang for exactly the first 32; mallory's cancel comes after them (one sender, one order).
            mallory.send(new Cancel("spam0", null, "bob", (String) null));
            List<String> rung = new ArrayList<>();
            for (Message m = bob.recorder.next(CallMessage.class);
                    !(m instanceof Cancel);
                    m = bob.recorder.next(CallMessage.class)) {
                rung.add(assertInstanceOf(Invite.class, m, "bob got " + m).callId());
            }
            assertEquals(IntStream.range(0, 32).mapToObj(i -> "spam" + i).toList(), rung);

            bob.signaling.send(new Invite("mine", null, "alice", AV));
            assertEquals("mine", alice.recorder.next(Invite.class).callId());
        }
    }

    @Test
    void signingInAgainFromTheSameDeviceReplacesTheOldConnection() throws Exception {
        try (ServerFixture f = ServerFixture.open()) {
            ServerFixture.Client first = f.client(f.config("bob", null).withDevice("desk"));
            ServerFixture.Client second = f.client(f.config("bob", null).withDevice("desk"));
            first.recorder.awaitState(ConnectionState.FAILED);
            assertEquals(
                    ErrorCode.REPLACED, first.recorder.next(ErrorMessage.class).code());
            ServerFixture.Client alice = f.client("alice");
            alice.signaling.send(new Invite("c9", null, "bob", AV));
            second.recorder.next(Invite.class);
            assertEquals(ConnectionState.CONNECTED, second.signaling.state());
        }
    }

    @Test
    void theReplacedConnectionIsToldAndClosedWithPolicyViolation() throws Exception {
        try (ServerFixture f = ServerFixture.open()) {
            RawClient old = f.raw();
            old.send(new Hello("bob", null, null, "desk", "raw"));
            old.next(Welcome.class);
            ServerFixture.Client again = f.client(f.config("bob", null).withDevice("desk"));
            assertEquals(
                    new ErrorMessage(ErrorCode.REPLACED, "signed in again from the same device", null, null),
                    old.next(ErrorMessage.class));
            assertEquals(1008, old.closed().get(5, TimeUnit.SECONDS));
            assertEquals(ConnectionState.CONNECTED, again.signaling.state());
        }
    }
}
