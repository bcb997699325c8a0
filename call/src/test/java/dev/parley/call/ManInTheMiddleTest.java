package dev.parley.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.parley.media.MediaEngine;
import dev.parley.signaling.client.LoopbackHub;
import dev.parley.signaling.client.LoopbackTransport;
import dev.parley.signaling.client.SignalingClient;
import dev.parley.signaling.protocol.Accept;
import dev.parley.signaling.protocol.Answer;
import dev.parley.signaling.protocol.Busy;
import dev.parley.signaling.protocol.CallMessage;
import dev.parley.signaling.protocol.Cancel;
import dev.parley.signaling.protocol.Candidate;
import dev.parley.signaling.protocol.Decline;
import dev.parley.signaling.protocol.Hangup;
import dev.parley.signaling.protocol.Invite;
import dev.parley.signaling.protocol.Offer;
import dev.parley.signaling.protocol.Ringing;
import dev.parley.signaling.protocol.Verify;
import dev.parley.testsupport.Await;
import dev.parley.testsupport.SystemTest;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A man in the middle, as a compromised signaling server can be one: alice's call to bob goes to mallory's first
 * engine (m1), which answers it with a peer connection and a DTLS certificate of its own; mallory's second engine
 * (m2) calls bob in alice's name, with another. Both calls connect, media flows (each person gets mallory's
 * synthetic video instead of the other's: forwarding the frames would change nothing the codes depend on), and
 * the verification steps pass between alice and bob untouched, since mallory cannot make them up. The security
 * codes alice and bob are shown differ: read aloud, they expose mallory.
 */
@SystemTest
@Timeout(90)
class ManInTheMiddleTest {
    private static final URI HUB = URI.create("loopback:mallory");

    @Test
    void aRelayHoldingBothDtlsSessionsLeavesAliceAndBobWithDifferentCodes() throws Exception {
        try (CallPair pair = new CallPair(HUB, CallOptions.defaults());
                MediaEngine m1Media = MediaEngine.headless();
                MediaEngine m2Media = MediaEngine.headless();
                SignalingClient m1Signaling = pair.client(HUB, "m1");
                SignalingClient m2Signaling = pair.client(HUB, "m2")) {
            CallEngine m1 = new CallEngine(m1Media, m1Signaling, CallOptions.defaults(), CallSession::accept);
            CallEngine m2 = new CallEngine(m2Media, m2Signaling, CallOptions.defaults(), s -> {});
            try {
                Mallory mallory = new Mallory(m2);
                LoopbackHub hub =
                        pair.factory.transport(LoopbackTransport.class).hub("mallory");
                hub.setRelay(mallory);

                CallSession alice = pair.alice.dial("bob");
                CallSession bob = pair.bobsIncoming.poll(15, TimeUnit.SECONDS);
                assertNotNull(bob, "mallory never called bob in alice's name");
                assertEquals("alice", bob.peer());
                assertEquals(alice.callId(), bob.callId(), "bob sees alice's call id");
                CallPair.reaches(alice, CallState.CONNECTED).get(15, TimeUnit.SECONDS);
                CallPair.reaches(bob, CallState.CONNECTED).get(15, TimeUnit.SECONDS);
                for (CallSession side : new CallSession[] {alice, bob}) {
                    Await.until(
                            () -> side.remoteVideo().framesReceived() > 10,
                            CallPair.WAIT,
                            "no video reached " + (side == alice ? "alice" : "bob") + " through mallory");
                }

                String aliceCode = CallPair.securityCode(alice);
                String bobCode = CallPair.securityCode(bob);
                assertNotNull(aliceCode, "alice's verification failed: " + alice.securityCode());
                assertNotNull(bobCode, "bob's verification failed: " + bob.securityCode());
                assertNotEquals(aliceCode, bobCode, "mallory went unnoticed: both saw " + aliceCode);
                assertEquals(3, mallory.stepsRelayed(), "the three steps went between alice and bob");

                alice.hangup(); // mallory does not pass it on: each call is with one of its engines
                bob.hangup();
            } finally {
                m1.close();
                m2.close();
            }
        }
    }

    /**
     * A relay that changes the caller's revealed nonce (as a man in the middle trying its luck after the fact):
     * the callee's verification fails with the reason, shown instead of a code, and the call itself goes on.
     */
    @Test
    void aRevealThatDoesNotMatchTheCommitmentIsShownAsUnverifiable() throws Exception {
        try (CallPair pair = new CallPair(HUB, CallOptions.defaults())) {
            pair.factory.transport(LoopbackTransport.class).hub("mallory").setRelay((m, deliver) -> {
                if (m instanceof Verify v && v.stage().equals(Verify.REVEAL)) {
                    deliver.accept(new Verify(v.callId(), v.from(), v.to(), v.stage(), "00".repeat(32)));
                } else {
                    deliver.accept(m);
                }
            });
            CallSession[] sides = pair.connected();
            SecurityCode bobs = Await.value(
                    sides[1]::securityCode,
                    c -> c.status() != SecurityCode.Status.PENDING,
                    CallPair.WAIT,
                    () -> "bob's verification never finished");
            assertEquals(SecurityCode.Status.FAILED, bobs.status());
            assertEquals(null, bobs.code());
            assertEquals("the caller's nonce does not match its commitment", bobs.problem());
            assertEquals(CallState.CONNECTED, sides[1].state(), "the call goes on, unverified");
            sides[0].hangup();
        }
    }

    /**
     * Mallory's routing: alice ↔ m1 (m1 speaks as bob), m2 ↔ bob (m2 speaks as alice, under alice's call id);
     * verification steps go straight between alice and bob, each held until its addressee has a call to put
     * it in, as the real server holds the caller's steps until the accept.
     */
    private static final class Mallory implements LoopbackHub.Relay {
        private final CallEngine m2;
        private final List<CallMessage> forBob = new ArrayList<>();
        private final List<CallMessage> forAlice = new ArrayList<>();
        private String aliceCall;
        private String m2Call;
        private boolean bobAccepted;
        private boolean m1Accepted;
        private int relayed;

        Mallory(CallEngine m2) {
            this.m2 = m2;
        }

        synchronized int stepsRelayed() {
            return relayed;
        }

        @Override
        public synchronized void route(CallMessage m, Consumer<CallMessage> deliver) {
            switch (m.from()) {
                case "alice" -> {
                    if (m instanceof Invite) {
                        aliceCall = m.callId();
                        m2Call = m2.dial("bob").callId();
                    }
                    if (m instanceof Verify v) {
                        pass(readdress(v, aliceCall, "alice", "bob"), bobAccepted, forBob, deliver);
                    } else {
                        deliver.accept(readdress(m, m.callId(), "alice", "m1"));
                    }
                }
                case "m1" -> {
                    if (m instanceof Accept) {
                        m1Accepted = true;
                        flush(forAlice, deliver);
                    }
                    if (!(m instanceof Verify)) { // mallory's own verification toward alice goes nowhere
                        deliver.accept(readdress(m, m.callId(), "bob", "alice"));
                    }
                }
                case "m2" -> {
                    if (!(m instanceof Verify)) {
                        deliver.accept(readdress(m, aliceCall, "alice", "bob"));
                    }
                }
                case "bob" -> {
                    if (m instanceof Verify v) {
                        pass(readdress(v, aliceCall, "bob", "alice"), m1Accepted, forAlice, deliver);
                    } else {
                        if (m instanceof Accept) {
                            bobAccepted = true;
                            flush(forBob, deliver);
                        }
                        deliver.accept(readdress(m, m2Call, "bob", "m2"));
                    }
                }
                default -> deliver.accept(m);
            }
        }

        private void pass(CallMessage step, boolean now, List<CallMessage> held, Consumer<CallMessage> deliver) {
            relayed++;
            if (now) {
                deliver.accept(step);
            } else {
                held.add(step);
            }
        }

        private static void flush(List<CallMessage> held, Consumer<CallMessage> deliver) {
            held.forEach(deliver);
            held.clear();
        }

        /** The same message under another call id, sender and addressee. */
        private static CallMessage readdress(CallMessage m, String callId, String from, String to) {
            if (m instanceof Invite i) {
                return new Invite(callId, from, to, i.media());
            } else if (m instanceof Ringing) {
                return new Ringing(callId, from, to);
            } else if (m instanceof Accept) {
                return new Accept(callId, from, to);
            } else if (m instanceof Decline d) {
                return new Decline(callId, from, to, d.reason());
            } else if (m instanceof Busy) {
                return new Busy(callId, from, to);
            } else if (m instanceof Cancel c) {
                return new Cancel(callId, from, to, c.reason());
            } else if (m instanceof Offer o) {
                return new Offer(callId, from, to, o.sdp());
            } else if (m instanceof Answer a) {
                return new Answer(callId, from, to, a.sdp());
            } else if (m instanceof Candidate c) {
                return new Candidate(
                        callId, from, to, c.sdpMid(), c.sdpMLineIndex(), c.candidate(), c.endOfCandidates());
            } else if (m instanceof Hangup h) {
                return new Hangup(callId, from, to, h.reason());
            } else if (m instanceof Verify v) {
                return new Verify(callId, from, to, v.stage(), v.value());
            }
            throw new AssertionError("unexpected " + m);
        }
    }
}
