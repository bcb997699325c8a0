package dev.parley.call;

import dev.parley.media.CallStats;
import dev.parley.media.SdpTuning;
import dev.parley.signaling.protocol.CallMessage;
import dev.parley.signaling.protocol.Candidate;
import dev.parley.signaling.protocol.EndCause;
import dev.parley.signaling.protocol.ErrorCode;
import dev.parley.signaling.protocol.ErrorMessage;
import dev.parley.signaling.protocol.Offer;
import dev.parley.signaling.protocol.Verify;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of one call on its own thread, as {@link CallStateMachine} allows it: setup (dial, ring, accept, a
 * glare), the peer connection started and connected, media interrupted and recovered (the lost timer, the ICE
 * restart and its re-send), and the end, which closes every part whatever fails. A part of {@link CallSession},
 * which is its public face; every method hands its work to the call's thread.
 */
final class CallFlow {
    private static final Logger log = LoggerFactory.getLogger(CallFlow.class);

    /** How often the caller sends an unanswered ICE restart offer again while reconnecting. */
    private static final Duration RESTART_RESEND = Duration.ofSeconds(2);

    private final CallSession session;
    private final CallSession.Host host;
    private final CallContext context;
    private final String peer;
    private final ScheduledExecutorService thread;
    private final SessionTimers timers;
    private final CallMedia media;
    private final PeerChannel channel;
    private volatile boolean calledBack; // set by the engine's thread before the accept it queues
    private final OwnMedia own;
    private final Listeners<CallSession.Listener> listeners;
    private final Consumer<CallStats> onStats;
    private final CallVerifier verifier;
    private final CallSignals signals;
    private final ConnectionWatch watch;
    private final CountDownLatch ended = new CountDownLatch(1);

    // Changed only on the call's thread (a glare turns an outgoing call into the peer's call); read anywhere.
    private volatile String callId;
    private volatile boolean outgoing;
    private volatile CallState state = CallState.IDLE;
    private volatile EndReason endReason;

    // Owned by the call's thread.
    private CallConnection connection; // null until media starts, and after it is released
    private Offer stashedOffer; // an offer that came while ringing, kept until we accept
    private final List<Candidate> candidatesBeforeMedia = new ArrayList<>(); // the caller's, while we ring

    CallFlow(
            CallSession session,
            CallSession.Host host,
            CallContext context,
            String callId,
            String peer,
            boolean outgoing,
            CallMedia media,
            PeerChannel channel,
            OwnMedia own,
            Listeners<CallSession.Listener> listeners,
            Consumer<CallStats> onStats,
            Consumer<SecurityCode> onCode) {
        this.session = session;
        this.host = host;
        this.context = context;
        this.callId = callId;
        this.peer = peer;
        this.outgoing = outgoing;
        this.media = media;
        this.channel = channel;
        this.own = own;
        this.listeners = listeners;
        this.onStats = onStats;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "parley-call-" + callId.substring(0, Math.min(8, callId.length())));
            t.setDaemon(true);
            return t;
        });
        this.timers = new SessionTimers(thread);
        this.signals = new CallSignals(host, peer, () -> this.callId, () -> state, new FromPeer());
        this.verifier = new CallVerifier(signals, onCode);
        this.watch = new ConnectionWatch(callId, () -> state, new ConnectionWatch.Events() {
            @Override
            public void mediaFlowing() {
                if (state == CallState.CONNECTING) {
                    connected();
                } else if (state == CallState.RECONNECTING) {
                    timers.cancelDeadline();
                    timers.stopResend();
                    move(CallEvent.MEDIA_CONNECTED);
                }
            }

            @Override
            public void mediaInterrupted() {
                interrupted();
            }

            @Override
            public void noPath() {
                end(EndReason.CONNECTION_FAILED);
            }

            @Override
            public void peerClosed() {
                end(EndReason.REMOTE_HUNG_UP);
            }

            @Override
            public void stats(CallStats s) {
                onStats.accept(s);
            }
        });
    }

    String callId() {
        return callId;
    }

    boolean outgoing() {
        return outgoing;
    }

    CallState state() {
        return state;
    }

    EndReason endReason() {
        return endReason;
    }

    /** The call's peer connection; null before media starts and after the end. Only on the call's thread. */
    CallConnection connection() {
        return connection;
    }

    boolean awaitEnd(long millis) {
        try {
            return ended.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Takes an incoming call; without video the camera starts off (the user can turn it on later). */
    void accept(boolean withVideo) {
        run(() -> {
            if (state != CallState.RINGING) {
                return;
            }
            own.set(own.state().withCamera(withVideo));
            move(CallEvent.ACCEPTED);
            signals.accept();
            startMedia();
            armConnectTimer();
            if (stashedOffer != null) {
                onOffer(stashedOffer); // the caller sent it while we were ringing
                stashedOffer = null;
            }
            verifier.accepted();
        });
    }

    /** Refuses an incoming call. */
    void decline() {
        run(() -> {
            if (state == CallState.RINGING) {
                signals.decline();
                end(EndReason.DECLINED);
            }
        });
    }

    /** Ends the call from this side: a cancel while dialing, a hangup afterwards. */
    void hangup() {
        run(() -> {
            switch (state) {
                case DIALING -> {
                    signals.cancel(EndCause.CANCELLED);
                    end(EndReason.CANCELLED);
                }
                case RINGING -> {
                    signals.decline();
                    end(EndReason.DECLINED);
                }
                case CONNECTING, CONNECTED, RECONNECTING -> {
                    signals.hangup(EndCause.HUNG_UP);
                    end(EndReason.HUNG_UP);
                }
                default -> {}
            }
        });
    }

    // ---- from the engine ----

    /** Where a verification step goes when signaling cannot take it (see {@link CallSignals#onVerifyUnsent}). */
    void onVerifyUnsent(Consumer<Verify> elsewhere) {
        signals.onVerifyUnsent(elsewhere);
    }

    void dial() {
        run(() -> {
            move(CallEvent.DIAL);
            signals.invite();
            timers.deadline(context.options().noAnswerTimeout(), () -> {
                if (state == CallState.DIALING) {
                    signals.cancel(EndCause.NO_ANSWER);
                    end(EndReason.NO_ANSWER);
                }
            });
            // Media and the offer are made while it rings, so that an accept only has the answer and the
            // connectivity checks left to wait for (the callee keeps the offer until it accepts). The callee
            // learns the caller's candidates early; its own stay private until it accepts.
            startMedia();
            if (host.setupOnly()) {
                connection.openChannel(); // the channel in the first offer: no renegotiation will ever get through
            } else {
                connection.negotiator().negotiate(false);
            }
        });
    }

    void invited() {
        run(() -> {
            move(CallEvent.INVITED);
            signals.ringing();
            if (!calledBack) { // the user already took it by calling back: nothing to ring about
                host.announceIncoming(session);
            }
        });
    }

    /** The user called this caller back before our ringing started: take the call, and never announce it. */
    void acceptCalledBack() {
        calledBack = true;
        accept(true);
    }

    /**
     * Glare: both sides called each other at once, and the peer's call wins (CallEngine decides). Our own invite is
     * withdrawn and this session becomes the peer's call, accepted at once: the user wanted this call.
     */
    void yieldTo(String theirCallId) {
        run(() -> {
            if (state != CallState.DIALING) {
                return;
            }
            timers.cancelDeadline();
            signals.cancel(EndCause.GLARE);
            log.info("Call {} with {} crossed {}; taking theirs", callId, peer, theirCallId);
            releaseMedia()
                    .forEach(e -> log.warn("Call {}: releasing the crossed call's media: {}", callId, e.toString()));
            callId = theirCallId;
            outgoing = false;
            move(CallEvent.CROSSED);
            signals.accept();
            startMedia();
            armConnectTimer();
        });
    }

    /** The signaling connection dropped (CallEngine#onStateChanged). */
    void signalingLost() {
        run(() -> {
            boolean settingUp = state == CallState.DIALING
                    || state == CallState.RINGING
                    || state == CallState.CONNECTING
                            && (connection == null || !connection.negotiator().remoteDescriptionKnown());
            if (settingUp) {
                end(EndReason.SIGNALING_LOST);
            }
        });
    }

    /** The signaling connection is back after a drop (CallEngine#onStateChanged). */
    void signalingRestored() {
        run(() -> {
            if (outgoing && state == CallState.RECONNECTING && connection != null) {
                connection.negotiator().offerAgainAfterSignalingLoss();
            }
        });
    }

    void signal(CallMessage m) {
        run(() -> signals.receive(m));
    }

    void signalError(ErrorMessage error) {
        run(() -> {
            if (state == CallState.DIALING && error.code() == ErrorCode.UNAVAILABLE) {
                end(EndReason.UNAVAILABLE);
            } else {
                log.debug("Call {}: server says {}", callId, error);
            }
        });
    }

    /** What the peer says, as far as the call's state allows it (CallSignals). */
    private final class FromPeer implements CallSignals.Events {
        @Override
        public void remoteRinging() {
            move(CallEvent.REMOTE_RINGING);
        }

        @Override
        public void remoteAccepted() {
            timers.cancelDeadline();
            move(CallEvent.REMOTE_ACCEPTED);
            armConnectTimer();
        }

        @Override
        public void offer(Offer offer) {
            if (connection == null && state == CallState.RINGING) {
                stashedOffer = offer; // the caller's early offer: used when we accept
            } else if (connection != null) {
                onOffer(offer);
            }
        }

        @Override
        public void answer(String sdp) {
            if (connection != null) {
                media.learnTrackNames(sdp);
                connection.negotiator().onAnswer(sdp);
                verifier.applied(sdp); // after it: nothing of ours comes before the answer
            }
        }

        @Override
        public void candidate(Candidate c) {
            if (connection != null) {
                connection.negotiator().onCandidate(c.sdpMid(), c.sdpMLineIndex(), c.candidate());
            } else {
                candidatesBeforeMedia.add(c); // the caller's early candidates, while we ring
            }
        }

        @Override
        public void verify(Verify step) {
            if (connection != null || state == CallState.RINGING) {
                verifier.receive(step); // while we ring, kept until we accept
            }
        }

        @Override
        public void ended(EndReason reason) {
            end(reason);
        }
    }

    private void onOffer(Offer offer) {
        media.learnTrackNames(offer.sdp());
        connection.negotiator().onOffer(offer.sdp());
        verifier.applied(offer.sdp()); // after it: nothing of ours comes before the answer
    }

    // ---- media ----

    /** A peer connection with this call's STUN/TURN servers, its local media, and a negotiator for it. */
    private void startMedia() {
        verifier.start(callId, outgoing);
        connection = new CallConnection(
                context,
                callId,
                !outgoing,
                media,
                channel,
                watch,
                this::run,
                thread,
                () -> state != CallState.ENDED,
                signals,
                this::unusable,
                this::tuned);
        candidatesBeforeMedia.forEach(
                c -> connection.negotiator().onCandidate(c.sdpMid(), c.sdpMLineIndex(), c.candidate()));
        candidatesBeforeMedia.clear();
        own.start(connection);
    }

    /**
     * A description that cannot be used ends the call at once, for both sides, saying why (rather than
     * "connecting" until the connect timer gives up).
     */
    private void unusable(String what) {
        log.warn("Call {}: {}", callId, what);
        if (state == CallState.DIALING) {
            signals.cancel(EndCause.INCOMPATIBLE);
        } else {
            signals.hangup(EndCause.INCOMPATIBLE);
        }
        end(EndReason.INCOMPATIBLE);
    }

    /** The description as the peer gets it: with the video start rate our video needs (SdpTuning). */
    private String tuned(String sdp) {
        CallOptions o = context.options();
        return SdpTuning.withStartBitrate(sdp, SdpTuning.startKbps(o.width(), o.height(), o.fps()));
    }

    /** Media flows for the first time. */
    private void connected() {
        timers.cancelDeadline();
        move(CallEvent.MEDIA_CONNECTED);
        connection.connected(thread, host::yieldHeadlessRecording);
        if (!own.state().equals(PeerMedia.INITIAL)) {
            own.tellPeer(); // muted or camera off before the call connected
        }
    }

    /** An answered call whose media never flows ends rather than hanging in "connecting". */
    private void armConnectTimer() {
        timers.deadline(context.options().connectTimeout(), () -> timeout(EndReason.CONNECTION_FAILED));
        timers.tick(Duration.ofSeconds(1), () -> {
            if (connection != null && state != CallState.ENDED) {
                connection.pollStats();
            }
        });
    }

    /**
     * Media stopped. The call shows "reconnecting"; the caller restarts ICE (a network change needs new
     * candidates on both sides), and the call ends as lost unless media comes back in time.
     */
    private void interrupted() {
        if (state != CallState.CONNECTED) {
            return; // still connecting (its own timer runs), or already reconnecting (the lost timer runs)
        }
        move(CallEvent.MEDIA_INTERRUPTED);
        // The path that broke may be ours (a new address, a NAT that forgot us): then the signaling connection is
        // dead too, and the ICE restart below must not wait for the keep-alive to notice.
        host.checkLink(Duration.ofMillis(1500));
        timers.deadline(context.options().lostTimeout(), () -> timeout(EndReason.CONNECTION_LOST));
        if (outgoing) {
            log.info("Call {}: media interrupted; restarting ICE", callId);
            connection.negotiator().negotiate(true);
            // Sent again until answered: an offer can be lost with no error, e.g. relayed to the peer's old signaling
            // link that the server has not yet seen die while the peer reconnects. The peer answers a repeat with
            // its answer again, and a repeated answer is ignored.
            timers.resend(RESTART_RESEND, this::resendRestartOffer);
        }
    }

    private void resendRestartOffer() {
        if (state != CallState.RECONNECTING || connection == null) {
            timers.stopResend();
        } else {
            connection.negotiator().resendPendingOffer();
        }
    }

    private void timeout(EndReason reason) {
        if (state == CallState.CONNECTING || state == CallState.RECONNECTING) {
            signals.hangup(reason.cause());
            end(reason);
        }
    }

    // ---- state ----

    private void move(CallEvent event) {
        CallState next = CallStateMachine.next(state, event);
        if (next != state) {
            state = next;
            if (next == CallState.CONNECTED) {
                log.info("Call {} with {} connected", callId, peer);
            }
            notifyListeners();
        }
    }

    /**
     * Ends the call, whatever fails on the way: every part is closed in its own try, a failure is logged and the
     * closing goes on, and the listeners, the waiters and the thread always learn the end (pion's close).
     */
    private void end(EndReason reason) {
        if (state == CallState.ENDED) {
            return;
        }
        timers.cancelDeadline();
        endReason = reason;
        state = CallStateMachine.next(state, CallEvent.END);
        try {
            List<Exception> failures = releaseMedia();
            CallConnection.step(failures, media::closeSinks); // counters stay readable
            CallConnection.step(failures, channel::dropUnsent);
            if (!failures.isEmpty()) {
                log.warn(
                        "Call {}: {} part(s) failed to close; first: {}",
                        callId,
                        failures.size(),
                        failures.get(0).toString());
            }
            log.info("Call {} with {} ended: {}", callId, peer, reason.wireName());
        } finally {
            notifyListeners();
            try {
                host.forget(session);
            } finally {
                ended.countDown();
                thread.shutdown();
            }
        }
    }

    /** Stops the statistics and closes the connection with everything on it; returns what failed on the way. */
    private List<Exception> releaseMedia() {
        timers.stopMediaTimers();
        CallConnection closing = connection;
        connection = null;
        return closing == null ? new ArrayList<>() : closing.close();
    }

    private void notifyListeners() {
        CallState s = state;
        EndReason r = endReason;
        listeners.fire(l -> l.onStateChanged(session, s, r));
    }

    /** Runs on the session's thread; after the end, commands are ignored. Never throws to the caller. */
    void run(Runnable task) {
        try {
            thread.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.error("Call {} failed", callId, e);
                    end(EndReason.CONNECTION_FAILED);
                }
            });
        } catch (RejectedExecutionException e) {
            log.debug("Call {} is over; ignoring a late event", callId);
        }
    }
}
