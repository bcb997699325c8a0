package dev.parley.call;

import dev.parley.signaling.protocol.Verify;
import java.security.SecureRandom;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The call's part in its verification (PROTOCOL.md 7b): one {@link Verification} per peer connection, fed with the
 * descriptions we send and apply and the peer's steps, sending ours through {@link CallSignals}, and telling the
 * session when the code appears or fails. A commitment that comes while we ring waits for the accept. Used on the
 * call's thread.
 */
final class CallVerifier {
    private static final Logger log = LoggerFactory.getLogger(CallVerifier.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final CallSignals signals;
    private final Consumer<SecurityCode> onCode;
    private Verification verification; // null until the first peer connection
    private Verify stashedCommit;
    private SecurityCode reported = SecurityCode.PENDING;
    private String callId;

    CallVerifier(CallSignals signals, Consumer<SecurityCode> onCode) {
        this.signals = signals;
        this.onCode = onCode;
        signals.onDescriptionSent(this::sent);
    }

    /** A new peer connection (the first, or after a glare): a new verification. */
    void start(String callId, boolean caller) {
        this.callId = callId;
        verification = new Verification(callId, caller, RANDOM);
    }

    /** A step from the peer; one that comes before we have a peer connection (we ring) waits for it. */
    void receive(Verify step) {
        if (verification == null) {
            stashedCommit = step;
            return;
        }
        Verification.Step next = verification.receive(step.stage(), step.value());
        if (next != null) {
            signals.verify(next);
        }
        report();
    }

    /** We accepted: the caller's commitment that came while we rang is answered now. */
    void accepted() {
        if (stashedCommit != null) {
            Verify step = stashedCommit;
            stashedCommit = null;
            receive(step);
        }
    }

    /** A description from the peer that we apply. */
    void applied(String sdp) {
        if (verification != null) {
            verification.remoteDescription(sdp);
            report();
        }
    }

    /** A description we sent: our fingerprints; after the caller's first offer, its commitment. */
    private void sent(String sdp) {
        if (verification == null) {
            return;
        }
        verification.localDescription(sdp);
        Verification.Step first = verification.start();
        if (first != null) {
            signals.verify(first); // held by the server with the offer until the callee accepts
        }
        report();
    }

    private void report() {
        SecurityCode now = verification.result();
        if (!now.equals(reported)) {
            reported = now;
            if (now.status() == SecurityCode.Status.FAILED) {
                log.warn("Call {}: cannot be verified: {}", callId, now.problem());
            }
            onCode.accept(now);
        }
    }
}
