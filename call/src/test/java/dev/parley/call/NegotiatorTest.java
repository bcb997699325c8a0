package dev.parley.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Perfect negotiation, candidate buffering and the restart re-send, against a small fake peer connection whose
 * callbacks the test releases one at a time: the interleavings that matter (an offer arriving while ours is being
 * made) are set up exactly, without native code.
 */
class NegotiatorTest {
    /** A peer connection's description side: its signaling state, and callbacks held until the test runs them. */
    static final class FakePeer implements Negotiator.Peer {
        final Deque<Runnable> pending = new ArrayDeque<>();
        final List<String> calls = new ArrayList<>();
        final List<String> candidates = new ArrayList<>();
        String signaling = "stable";
        String localOffer;
        int offers;
        String refuseRemote; // a remote description containing this fails to apply

        void runAll() {
            while (!pending.isEmpty()) {
                pending.poll().run();
            }
        }

        @Override
        public void createOffer(boolean iceRestart, Consumer<String> done, Consumer<String> failed) {
            calls.add("createOffer" + (iceRestart ? "(restart)" : ""));
            String sdp = "offer-" + (++offers) + (iceRestart ? "-restart" : "");
            pending.add(() -> done.accept(sdp));
        }

        @Override
        public void createAnswer(Consumer<String> done, Consumer<String> failed) {
            calls.add("createAnswer");
            pending.add(() -> done.accept("answer"));
        }

        @Override
        public void setLocal(String type, String sdp, Runnable done, Consumer<String> failed) {
            calls.add("setLocal " + type);
            pending.add(() -> {
                switch (type) {
                    case "offer" -> {
                        signaling = "have-local-offer";
                        localOffer = sdp;
                    }
                    case "answer", "rollback" -> {
                        signaling = "stable";
                        localOffer = null;
                    }
                    default -> throw new AssertionError(type);
                }
                done.run();
            });
        }

        @Override
        public void setRemote(String type, String sdp, Runnable done, Consumer<String> failed) {
            calls.add("setRemote " + type);
            pending.add(() -> {
                if (refuseRemote != null && sdp.contains(refuseRemote)) {
                    failed.accept("setting the peer's " + type + ": SessionDescription is NULL");
                    return;
                }
                signaling = type.equals("offer") ? "have-remote-offer" : "stable";
                if (type.equals("answer")) {
                    localOffer = null;
                }
                done.run();
            });
        }

        @Override
        public void addCandidate(String sdpMid, int sdpMLineIndex, String candidate) {
            candidates.add(candidate);
        }

        @Override
        public boolean stable() {
            return signaling.equals("stable");
        }

        @Override
        public String pendingLocalOffer() {
            return signaling.equals("have-local-offer") ? localOffer : null;
        }
    }

    /** What the negotiator sent to the peer, and failures, in order. */
    static final class Sent implements Negotiator.Out {
        final List<String> out = new ArrayList<>();

        @Override
        public void sendOffer(String sdp) {
            out.add("offer " + sdp);
        }

        @Override
        public void sendAnswer(String sdp) {
            out.add("answer " + sdp);
        }

        @Override
        public void failed(String what) {
            out.add("failed " + what);
        }
    }

    /** Descriptions as far as the negotiator looks at them (SdpCheck); the fake peer takes them as they are. */
    private static final String OFFER = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\n";

    private static final String ANSWER = OFFER.replace("o=- 1 1", "o=- 2 1");

    private final FakePeer peer = new FakePeer();
    private final Sent sent = new Sent();

    private Negotiator negotiator(boolean polite) {
        return new Negotiator("call-1", polite, peer, sent, sdp -> sdp + "+tuned");
    }

    @Test
    void anOfferIsMadeSetAndSentTuned() {
        Negotiator n = negotiator(false);
        n.negotiate(false);
        peer.runAll();
        assertEquals(List.of("createOffer", "setLocal offer"), peer.calls);
        assertEquals(List.of("offer offer-1+tuned"), sent.out);
    }

    @Test
    void remoteCandidatesWaitForTheRemoteDescriptionThenGoInInOrder() {
        Negotiator n = negotiator(true);
        n.onCandidate("0", 0, "c1");
        n.onCandidate("0", 0, "c2");
        assertEquals(List.of(), peer.candidates, "added before the remote description");
        assertFalse(n.remoteDescriptionKnown());
        n.onOffer(OFFER);
        peer.runAll();
        assertEquals(List.of("c1", "c2"), peer.candidates);
        n.onCandidate("0", 0, "c3");
        assertEquals(List.of("c1", "c2", "c3"), peer.candidates, "later ones go straight in");
        assertEquals(List.of("answer answer+tuned"), sent.out);
    }

    @Test
    void whenOffersCrossThePolitePeerRollsBackAnswersThemAndOffersAgain() {
        Negotiator n = negotiator(true);
        n.negotiate(false);
        peer.runAll(); // our offer is out: have-local-offer
        n.onOffer(OFFER); // theirs crosses ours
        peer.runAll();
        assertEquals(
                List.of(
                        "createOffer",
                        "setLocal offer",
                        "setLocal rollback",
                        "setRemote offer",
                        "createAnswer",
                        "setLocal answer",
                        "createOffer",
                        "setLocal offer"),
                peer.calls);
        assertEquals(List.of("offer offer-1+tuned", "answer answer+tuned", "offer offer-2+tuned"), sent.out);
    }

    @Test
    void whenOffersCrossTheImpolitePeerKeepsItsOwn() {
        Negotiator n = negotiator(false);
        n.negotiate(false);
        peer.runAll();
        n.onOffer(OFFER);
        peer.runAll();
        assertEquals(List.of("createOffer", "setLocal offer"), peer.calls, "theirs was ignored");
        n.onAnswer(ANSWER);
        peer.runAll();
        assertTrue(peer.stable());
    }

    @Test
    void anOfferAskedForWhileAnExchangeRunsIsMadeAfterItKeepingTheIceRestart() {
        Negotiator n = negotiator(false);
        n.negotiate(false);
        peer.runAll();
        n.negotiate(true); // an ICE restart while our first offer is unanswered
        assertEquals(2, peer.calls.size(), "no second offer before the answer");
        n.onAnswer(ANSWER);
        peer.runAll();
        assertEquals("createOffer(restart)", peer.calls.get(3));
        assertEquals(List.of("offer offer-1+tuned", "offer offer-2-restart+tuned"), sent.out);
    }

    @Test
    void whenSignalingReturnsTheUnansweredOfferIsSentAgainElseANewRestartOffer() {
        Negotiator n = negotiator(false);
        n.negotiate(true);
        peer.runAll();
        n.offerAgainAfterSignalingLoss(); // the restart offer is still unanswered: the same one again
        assertEquals(List.of("offer offer-1-restart+tuned", "offer offer-1-restart+tuned"), sent.out);
        n.onAnswer(ANSWER);
        peer.runAll();
        n.offerAgainAfterSignalingLoss(); // nothing outstanding: a fresh restart offer
        peer.runAll();
        assertEquals("offer offer-2-restart+tuned", sent.out.get(2));
    }

    @Test
    void aDescriptionThatFailsToApplyFailsTheCallAndNothingIsSent() {
        peer.refuseRemote = "m=audio";
        Negotiator n = negotiator(true);
        n.onOffer(OFFER);
        peer.runAll();
        assertEquals(List.of("failed setting the peer's offer: SessionDescription is NULL"), sent.out);
        assertNull(peer.pendingLocalOffer());
        assertFalse(n.remoteDescriptionKnown());
    }

    @Test
    void textThatIsNotADescriptionFailsAtOnceWithoutReachingThePeerConnection() {
        Negotiator n = negotiator(true);
        n.onOffer("v=0\r\ngarbage\r\n");
        n.onAnswer("hello");
        assertEquals(
                List.of(
                        "failed the peer's offer is not a session description: line 2 is not of the form <letter>=<value>",
                        "failed the peer's answer is not a session description: it does not start with v=0"),
                sent.out);
        assertEquals(List.of(), peer.calls, "libwebrtc would have answered nothing at all");
    }

    @Test
    void aResetForgetsHeldCandidatesAndOutstandingWork() {
        Negotiator n = negotiator(true);
        n.onCandidate("0", 0, "old");
        n.reset();
        n.onOffer(OFFER);
        peer.runAll();
        assertEquals(List.of(), peer.candidates, "a candidate of the replaced connection was applied");
    }

    /** An offer that may have been lost (no answer while reconnecting) goes again, unchanged; none when answered. */
    @Test
    void theRestartOfferWaitingForAnAnswerIsSentAgainAndOnlyThen() {
        Negotiator n = negotiator(false);
        n.resendPendingOffer();
        assertEquals(List.of(), sent.out, "nothing outstanding, nothing to send again");
        n.negotiate(true);
        peer.runAll();
        n.resendPendingOffer();
        assertEquals(List.of("offer offer-1-restart+tuned", "offer offer-1-restart+tuned"), sent.out);
        n.onAnswer(ANSWER);
        peer.runAll();
        n.resendPendingOffer();
        assertEquals(2, sent.out.size(), "sent again after the answer: " + sent.out);
    }

    /** The same offer twice (a re-send): the answer goes again and nothing is applied twice. */
    @Test
    void theSameOfferAgainGetsTheSameAnswerWithoutBeingAppliedAgain() {
        Negotiator n = negotiator(true);
        n.onOffer(OFFER);
        peer.runAll();
        List<String> firstCalls = List.copyOf(peer.calls);
        n.onOffer(OFFER);
        peer.runAll();
        assertEquals(firstCalls, peer.calls, "the repeated offer was applied again");
        assertEquals(List.of("answer answer+tuned", "answer answer+tuned"), sent.out);

        String next = OFFER.replace("o=- 1 1", "o=- 1 2"); // a new version: a new offer, applied
        n.onOffer(next);
        peer.runAll();
        assertEquals(firstCalls.size() * 2, peer.calls.size(), "a new offer was not applied: " + peer.calls);
    }

    /** Both copies of a re-sent offer answered: the second answer finds no offer outstanding and changes nothing. */
    @Test
    void anAnswerWithNoOfferOutstandingIsIgnoredNotFatal() {
        Negotiator n = negotiator(false);
        n.negotiate(true);
        peer.runAll();
        n.onAnswer(ANSWER);
        peer.runAll();
        int callsBefore = peer.calls.size();
        n.onAnswer(ANSWER);
        peer.runAll();
        assertEquals(callsBefore, peer.calls.size(), "the repeated answer was applied: " + peer.calls);
        assertTrue(sent.out.stream().noneMatch(o -> o.startsWith("failed")), "the call failed: " + sent.out);
        assertTrue(peer.stable());
    }
}
