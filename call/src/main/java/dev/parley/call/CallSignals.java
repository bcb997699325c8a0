package dev.parley.call;

import dev.onvoid.webrtc.RTCIceCandidate;
import dev.parley.signaling.protocol.Accept;
import dev.parley.signaling.protocol.Answer;
import dev.parley.signaling.protocol.Busy;
import dev.parley.signaling.protocol.CallMessage;
import dev.parley.signaling.protocol.Cancel;
import dev.parley.signaling.protocol.Candidate;
import dev.parley.signaling.protocol.Decline;
import dev.parley.signaling.protocol.EndCause;
import dev.parley.signaling.protocol.Hangup;
import dev.parley.signaling.protocol.Invite;
import dev.parley.signaling.protocol.MediaKind;
import dev.parley.signaling.protocol.Offer;
import dev.parley.signaling.protocol.Ringing;
import dev.parley.signaling.protocol.Verify;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The call's side of the signaling conversation: every message it sends, and the received messages turned into
 * what they mean for the call, as far as the call's state allows them (the counterpart of {@link ConnectionWatch}
 * for signaling). Used on the session's thread.
 *
 * <p>Nothing that sets up media is taken from the callee's side before it has accepted: while we dial, an
 * {@code answer} or a {@code candidate} comes from a device that never rang or accepted (anyone signed in under
 * the callee's name could send one), and applying it would start connectivity checks, media even, before anyone
 * said yes. They are dropped; the accepting device sends its own after its {@code accept}.
 */
final class CallSignals {
    private static final Logger log = LoggerFactory.getLogger(CallSignals.class);

    /** What the peer (or the server for it) said, in the call's terms. */
    interface Events {
        void remoteRinging();

        void remoteAccepted();

        void offer(Offer offer);

        void answer(String sdp);

        void candidate(Candidate candidate);

        /** A step of the call's verification (Verification). */
        void verify(Verify step);

        void ended(EndReason reason);
    }

    private final CallSession.Host host;
    private final String peer;
    private final Supplier<String> callId; // a glare gives the call the peer's id
    private final Supplier<CallState> state;
    private final Events events;
    private Consumer<String> descriptionSent = sdp -> {};
    private Consumer<Verify> verifyElsewhere = v -> {};

    CallSignals(CallSession.Host host, String peer, Supplier<String> callId, Supplier<CallState> state, Events events) {
        this.host = host;
        this.peer = peer;
        this.callId = callId;
        this.state = state;
        this.events = events;
    }

    /** A message for this call (its id); one from anyone but the peer, or after the end, is ignored. */
    void receive(CallMessage m) {
        CallState now = state.get();
        if (now == CallState.ENDED || !peer.equals(m.from()) || !callId.get().equals(m.callId())) {
            return;
        }
        if (m instanceof Ringing) {
            if (now == CallState.DIALING) {
                events.remoteRinging();
            }
        } else if (m instanceof Accept) {
            if (now == CallState.DIALING) {
                events.remoteAccepted();
            }
        } else if (m instanceof Offer offer) {
            if (now == CallState.DIALING) {
                dropped(m, now); // the callee offers only after it accepted (renegotiation)
            } else {
                events.offer(offer);
            }
        } else if (m instanceof Answer answer) {
            if (now == CallState.CONNECTING || now == CallState.CONNECTED || now == CallState.RECONNECTING) {
                events.answer(answer.sdp());
            } else {
                dropped(m, now);
            }
        } else if (m instanceof Candidate c) {
            if (now == CallState.DIALING) {
                dropped(m, now); // the callee's addresses, before it accepted: not ours to check
            } else if (c.candidate() != null) {
                events.candidate(c);
            }
        } else if (m instanceof Verify v) {
            if (now == CallState.DIALING) {
                dropped(m, now); // the callee verifies only after it accepted
            } else {
                events.verify(v);
            }
        } else if (m instanceof Decline) {
            events.ended(EndReason.DECLINED);
        } else if (m instanceof Busy) {
            events.ended(EndReason.BUSY);
        } else if (m instanceof Cancel cancel) {
            events.ended(EndReason.ofCancel(cancel.cause()));
        } else if (m instanceof Hangup hangup) {
            events.ended(EndReason.ofHangup(hangup.cause()));
        }
    }

    private void dropped(CallMessage m, CallState now) {
        log.info(
                "Call {}: ignored {} from {} while {} (not accepted yet)",
                callId.get(),
                m.getClass().getSimpleName().toLowerCase(Locale.ROOT),
                peer,
                now.name().toLowerCase(Locale.ROOT));
    }

    void invite() {
        send(new Invite(callId.get(), null, peer, Set.of(MediaKind.AUDIO, MediaKind.VIDEO)));
    }

    void ringing() {
        send(new Ringing(callId.get(), null, peer));
    }

    void accept() {
        send(new Accept(callId.get(), null, peer));
    }

    void decline() {
        send(new Decline(callId.get(), null, peer, EndCause.DECLINED));
    }

    /** Withdraws our unanswered call. */
    void cancel(EndCause cause) {
        send(new Cancel(callId.get(), null, peer, cause));
    }

    void hangup(EndCause cause) {
        send(new Hangup(callId.get(), null, peer, cause));
    }

    /** Hears each description we send (the verification takes our fingerprints from it). */
    void onDescriptionSent(Consumer<String> listener) {
        descriptionSent = listener;
    }

    void offer(String sdp) {
        send(new Offer(callId.get(), null, peer, sdp));
        descriptionSent.accept(sdp);
    }

    void answer(String sdp) {
        send(new Answer(callId.get(), null, peer, sdp));
        descriptionSent.accept(sdp);
    }

    void verify(Verification.Step step) {
        send(new Verify(callId.get(), null, peer, step.stage(), step.value()));
    }

    /**
     * This side has no more candidates (trickle ICE's end-of-candidates): a peer may ignore it; a call set up on
     * paper (invite codes) waits for it to write its code.
     */
    void candidatesDone() {
        send(Candidate.end(callId.get(), peer));
    }

    void candidate(RTCIceCandidate c) {
        send(new Candidate(callId.get(), null, peer, c.sdpMid, c.sdpMLineIndex, c.sdp, false));
    }

    /** Where a verification step goes when signaling cannot take it (the call's own channel). */
    void onVerifyUnsent(Consumer<Verify> elsewhere) {
        verifyElsewhere = elsewhere;
    }

    private void send(CallMessage m) {
        if (!host.send(m)) {
            if (m instanceof Verify v) {
                verifyElsewhere.accept(v);
                return;
            }
            log.warn("Call {}: could not send {}", callId.get(), m.getClass().getSimpleName());
        }
    }
}
