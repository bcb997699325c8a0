package dev.parley.call;

import dev.parley.media.SdpCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Offers and answers for one call: "perfect negotiation" (W3C webrtc-pc §10.7) between two peers that may both
 * offer (a screen share, the data channel, an ICE restart), remote candidates held until the remote description
 * is set (RFC 8829 §4.1.17), and the restart offer sent again when signaling comes back. It talks to the peer
 * connection only through {@link Peer}, so tests drive it with a small fake. Runs on the session's thread; the
 * peer's callbacks must arrive there too.
 */
final class Negotiator {
    private static final Logger log = LoggerFactory.getLogger(Negotiator.class);

    /** The description side of a peer connection. Callbacks run on the session's thread. */
    interface Peer {
        void createOffer(boolean iceRestart, Consumer<String> done, Consumer<String> failed);

        void createAnswer(Consumer<String> done, Consumer<String> failed);

        /** Sets the local description of this type ("offer", "answer", "rollback"). */
        void setLocal(String type, String sdp, Runnable done, Consumer<String> failed);

        void setRemote(String type, String sdp, Runnable done, Consumer<String> failed);

        void addCandidate(String sdpMid, int sdpMLineIndex, String candidate);

        /** True when no offer is outstanding (RTCSignalingState "stable"). */
        boolean stable();

        /** Our own offer still waiting for an answer (signaling state "have-local-offer"), or null. */
        String pendingLocalOffer();
    }

    /** Where results go: descriptions to send, and a failure that ends the call. */
    interface Out {
        void sendOffer(String sdp);

        void sendAnswer(String sdp);

        /** Setting or creating a description failed: the call cannot go on. */
        void failed(String what);
    }

    private record Held(String sdpMid, int sdpMLineIndex, String candidate) {}

    private final String callId;
    private final boolean polite; // the callee: it yields when offers cross
    private final Peer peer;
    private final Out out;
    private final UnaryOperator<String> tune;
    private final List<Held> early = new ArrayList<>();
    private boolean remoteSet;
    private boolean makingOffer;
    private boolean offerPending;
    private boolean iceRestartPending;
    // The origin line (o=, its session version) of the peer's offer we answered last, and our answer: the same
    // offer sent again gets the same answer again (a new offer has a new version: RFC 3264 section 8).
    private String lastRemoteOffer;
    private String lastAnswer;

    /** {@code tune} rewrites each description we send (the start bit rate, SdpTuning). */
    Negotiator(String callId, boolean polite, Peer peer, Out out, UnaryOperator<String> tune) {
        this.callId = callId;
        this.polite = polite;
        this.peer = peer;
        this.out = out;
        this.tune = tune;
    }

    /** Makes and sends an offer now, or once the exchange in progress is over. */
    void negotiate(boolean iceRestart) {
        if (makingOffer || !peer.stable()) {
            offerPending = true;
            iceRestartPending |= iceRestart;
            return;
        }
        makingOffer = true;
        iceRestartPending = false;
        peer.createOffer(
                iceRestart,
                offer -> {
                    if (!makingOffer) {
                        return; // rolled back for the peer's offer meanwhile
                    }
                    peer.setLocal(
                            "offer",
                            offer,
                            () -> {
                                makingOffer = false;
                                out.sendOffer(tune.apply(offer));
                            },
                            this::fail);
                },
                this::fail);
    }

    /** An offer from the peer, first or renegotiating. Crossing offers: the impolite side ignores the peer's. */
    void onOffer(String sdp) {
        String problem = SdpCheck.problem(sdp);
        if (problem != null) {
            fail("the peer's offer is not a session description: " + problem);
            return;
        }
        boolean collision = makingOffer || !peer.stable();
        if (!collision && lastAnswer != null && origin(sdp).equals(lastRemoteOffer)) {
            log.info("Call {}: the peer sent its offer again; answering again", callId);
            out.sendAnswer(lastAnswer);
            return;
        }
        if (collision && !polite) {
            log.debug("Call {}: offers crossed; ours stands", callId);
            return;
        }
        Runnable apply = () -> peer.setRemote(
                "offer",
                sdp,
                () -> {
                    remoteDescriptionSet();
                    peer.createAnswer(
                            answer -> peer.setLocal(
                                    "answer",
                                    answer,
                                    () -> {
                                        lastRemoteOffer = origin(sdp);
                                        lastAnswer = tune.apply(answer);
                                        out.sendAnswer(lastAnswer);
                                        offerAgainIfPending();
                                    },
                                    this::fail),
                            this::fail);
                },
                this::fail);
        if (collision) {
            log.debug("Call {}: offers crossed; rolling ours back", callId);
            makingOffer = false;
            offerPending = true; // ours again, after theirs
            peer.setLocal("rollback", "", apply, this::fail);
        } else {
            apply.run();
        }
    }

    /** The peer's answer to our offer. */
    void onAnswer(String sdp) {
        String problem = SdpCheck.problem(sdp);
        if (problem != null) {
            fail("the peer's answer is not a session description: " + problem);
            return;
        }
        if (peer.pendingLocalOffer() == null) {
            log.debug("Call {}: an answer with no offer of ours outstanding (a repeat); ignored", callId);
            return;
        }
        peer.setRemote(
                "answer",
                sdp,
                () -> {
                    remoteDescriptionSet();
                    offerAgainIfPending();
                },
                this::fail);
    }

    /** A remote candidate: applied once the remote description is set, held until then. */
    void onCandidate(String sdpMid, int sdpMLineIndex, String candidate) {
        if (remoteSet) {
            peer.addCandidate(sdpMid, sdpMLineIndex, candidate);
        } else {
            early.add(new Held(sdpMid, sdpMLineIndex, candidate));
        }
    }

    /**
     * Signaling is back after a drop: an ICE-restart offer sent meanwhile may have died with the old link. Send
     * our outstanding offer again, or make a new restart offer.
     */
    void offerAgainAfterSignalingLoss() {
        String pending = peer.pendingLocalOffer();
        if (pending != null) {
            log.info("Call {}: signaling is back; sending the ICE restart offer again", callId);
            out.sendOffer(tune.apply(pending));
        } else {
            negotiate(true);
        }
    }

    /** Sends our offer that still waits for an answer again, if there is one (a lost offer gets no error). */
    void resendPendingOffer() {
        String pending = peer.pendingLocalOffer();
        if (pending != null && !makingOffer) {
            log.info("Call {}: no answer to the ICE restart offer yet; sending it again", callId);
            out.sendOffer(tune.apply(pending));
        }
    }

    /** Whether the remote description has been set (candidates flow straight in from then on). */
    boolean remoteDescriptionKnown() {
        return remoteSet;
    }

    /** Forgets everything about the connection it negotiated (a glare replaced it, or the call ended). */
    void reset() {
        early.clear();
        remoteSet = false;
        makingOffer = false;
        offerPending = false;
        iceRestartPending = false;
        lastRemoteOffer = null;
        lastAnswer = null;
    }

    private void remoteDescriptionSet() {
        remoteSet = true;
        early.forEach(c -> peer.addCandidate(c.sdpMid(), c.sdpMLineIndex(), c.candidate()));
        early.clear();
    }

    private void offerAgainIfPending() {
        if (offerPending) {
            offerPending = false;
            negotiate(iceRestartPending);
        }
    }

    /** The description's o= line: who made it, and its session id and version. */
    private static String origin(String sdp) {
        for (String line : sdp.split("\r?\n")) {
            if (line.startsWith("o=")) {
                return line;
            }
        }
        return "";
    }

    private void fail(String error) {
        out.failed(error);
    }
}
