package dev.parley.call;

import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCIceGatheringState;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.media.MediaStreamTrack;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gate between a peer connection's native callbacks and the call's own thread: each callback only hands its
 * event to {@code session} (which drops events of a connection that was replaced or a call that is over), and
 * never lets an exception escape into native code (it could kill the process).
 */
final class PeerConnectionEvents implements PeerConnectionObserver {
    private static final Logger log = LoggerFactory.getLogger(PeerConnectionEvents.class);

    /** The events, on the session's thread. */
    interface Handler {
        void candidate(RTCIceCandidate candidate);

        /** This side has found all its candidates (until an ICE restart). */
        void gatheringComplete();

        void connectionState(RTCPeerConnectionState state);

        void receiving(boolean receiving);

        void dataChannel(RTCDataChannel channel);

        void track(String mid, MediaStreamTrack track);
    }

    private final String callId;
    private final Executor session;
    private final Handler handler;

    PeerConnectionEvents(String callId, Executor session, Handler handler) {
        this.callId = callId;
        this.session = session;
        this.handler = handler;
    }

    @Override
    public void onIceCandidate(RTCIceCandidate candidate) {
        session.execute(() -> handler.candidate(candidate));
    }

    @Override
    public void onIceGatheringChange(RTCIceGatheringState state) {
        if (state == RTCIceGatheringState.COMPLETE) {
            session.execute(handler::gatheringComplete);
        }
    }

    @Override
    public void onConnectionChange(RTCPeerConnectionState state) {
        session.execute(() -> handler.connectionState(state));
    }

    @Override
    public void onIceConnectionReceivingChange(boolean receiving) {
        session.execute(() -> handler.receiving(receiving));
    }

    @Override
    public void onDataChannel(RTCDataChannel channel) {
        session.execute(() -> handler.dataChannel(channel)); // PeerChannel#offered sorts them
    }

    @Override
    public void onTrack(RTCRtpTransceiver transceiver) {
        try {
            MediaStreamTrack track = transceiver.getReceiver().getTrack();
            String mid = transceiver.getMid();
            session.execute(() -> handler.track(mid, track));
        } catch (RuntimeException e) {
            log.error("Call {}: onTrack failed", callId, e);
        }
    }
}
