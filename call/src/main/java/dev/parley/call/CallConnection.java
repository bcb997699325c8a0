package dev.parley.call;

import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.media.MediaStreamTrack;
import dev.onvoid.webrtc.media.video.VideoDevice;
import dev.parley.media.VideoSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * One peer connection of a call and what hangs on it: the connection with the call's STUN/TURN servers, its
 * {@link Negotiator}, the local media's tracks on it, its native callbacks routed to the call's parts, and its
 * close in the order webrtc-java 0.14 survives. A glare replaces a call's connection with a new one; callbacks of
 * a closed connection are dropped. Used on the session's thread.
 */
final class CallConnection {
    private final RTCPeerConnection pc;
    private final Negotiator negotiator;
    private final CallMedia media;
    private final PeerChannel channel;
    private final ConnectionWatch watch;
    private final Executor guarded;
    private boolean closed;

    /**
     * @param session  runs work on the session's thread
     * @param timer    the session's timers (limits on libwebrtc's answers)
     * @param callLive false once the call is over: its callbacks are dropped too
     * @param polite   the callee: it yields when offers cross (perfect negotiation)
     * @param failed   a description we made or got cannot be used (the call must end)
     * @param tune     rewrites each description we send (SdpTuning)
     */
    CallConnection(
            CallContext context,
            String callId,
            boolean polite,
            CallMedia media,
            PeerChannel channel,
            ConnectionWatch watch,
            Executor session,
            ScheduledExecutorService timer,
            BooleanSupplier callLive,
            CallSignals signals,
            Consumer<String> failed,
            UnaryOperator<String> tune) {
        this.media = media;
        this.channel = channel;
        this.watch = watch;
        this.guarded = task -> session.execute(() -> {
            if (!closed && callLive.getAsBoolean()) {
                task.run();
            }
        });
        pc = context.peerConnection(callId, guarded, new PeerConnectionEvents.Handler() {
            @Override
            public void candidate(RTCIceCandidate candidate) {
                signals.candidate(candidate);
            }

            @Override
            public void gatheringComplete() {
                signals.candidatesDone();
            }

            @Override
            public void connectionState(RTCPeerConnectionState state) {
                watch.onConnectionChange(state);
            }

            @Override
            public void receiving(boolean receiving) {
                watch.onReceivingChange(receiving);
            }

            @Override
            public void dataChannel(RTCDataChannel c) {
                channel.offered(c);
            }

            @Override
            public void track(String mid, MediaStreamTrack track) {
                media.addRemoteTrack(mid, track);
            }
        });
        negotiator = new Negotiator(
                callId,
                polite,
                new PeerConnectionSdp(pc, guarded, timer),
                new Negotiator.Out() {
                    @Override
                    public void sendOffer(String sdp) {
                        signals.offer(sdp);
                    }

                    @Override
                    public void sendAnswer(String sdp) {
                        signals.answer(sdp);
                    }

                    @Override
                    public void failed(String what) {
                        failed.accept(what);
                    }
                },
                tune);
    }

    /** Adds the local media's tracks; returns what is really sent (no camera: camera off). */
    PeerMedia start(PeerMedia local) {
        return media.start(pc, local);
    }

    Negotiator negotiator() {
        return negotiator;
    }

    /** The screen as a second video track, offered to the peer. */
    void shareScreen(VideoSource source) {
        media.shareScreen(pc, source);
        negotiator.negotiate(false);
    }

    void stopScreenShare() {
        media.stopScreenShare(pc);
        negotiator.negotiate(false);
    }

    /** Captures from another camera; a call that had no camera track offers the new one to the peer. */
    void switchCamera(VideoDevice device, boolean enabled) {
        if (media.switchCamera(pc, device, enabled)) {
            negotiator.negotiate(false);
        }
    }

    /**
     * A further data channel (ordered, reliable) for a file's bytes; no renegotiation: the call's own channel is open,
     * so SCTP runs already. Null once closed.
     */
    RTCDataChannel createDataChannel(String label) {
        if (closed) {
            return null;
        }
        return pc.createDataChannel(label, PeerChannel.reliable());
    }

    /** Opens the data channel unless it is open or opening; the first one is offered to the peer (SCTP is new). */
    void openChannel() {
        if (channel.ensure(pc)) {
            negotiator.negotiate(false);
        }
    }

    /** Media flows for the first time: watch for the peer's close, start a pushed microphone. */
    void connected(ScheduledExecutorService timer, Runnable yieldRecording) {
        watch.watchDtls(pc, guarded);
        media.startMicrophoneOnceSending(pc, guarded, timer, yieldRecording);
    }

    /** This second's statistics, to the watch (and through it to the call). */
    void pollStats() {
        watch.poll(pc, media.stats, guarded);
    }

    /**
     * Closes in the order webrtc-java 0.14 survives: stop watching, stop the sources and remove the sinks, close
     * the channels and the connection, then dispose the channels. Each step runs even when an earlier one failed;
     * the failures are returned.
     */
    List<Exception> close() {
        closed = true;
        List<Exception> failures = new ArrayList<>();
        step(failures, watch::stop);
        step(failures, media::release);
        step(failures, channel::close);
        step(failures, pc::close);
        step(failures, channel::dispose);
        negotiator.reset();
        return failures;
    }

    static void step(List<Exception> failures, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            failures.add(e);
        }
    }
}
