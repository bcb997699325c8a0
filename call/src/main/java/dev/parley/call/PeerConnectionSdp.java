package dev.parley.call;

import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.RTCAnswerOptions;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.RTCSignalingState;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;

import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * {@link Negotiator.Peer} over a real webrtc-java peer connection. Its callbacks come on a native thread: they
 * only hand their result to {@code session} (the call's own thread, which drops them once the connection is
 * replaced or the call is over) and never throw.
 */
final class PeerConnectionSdp implements Negotiator.Peer {
    private final RTCPeerConnection pc;
    private final Executor session;

    PeerConnectionSdp(RTCPeerConnection pc, Executor session) {
        this.pc = pc;
        this.session = session;
    }

    @Override
    public void createOffer(boolean iceRestart, Consumer<String> done, Consumer<String> failed) {
        RTCOfferOptions options = new RTCOfferOptions();
        options.iceRestart = iceRestart;
        pc.createOffer(options, created(done, failed, "creating an offer"));
    }

    @Override
    public void createAnswer(Consumer<String> done, Consumer<String> failed) {
        pc.createAnswer(new RTCAnswerOptions(), created(done, failed, "creating an answer"));
    }

    @Override
    public void setLocal(String type, String sdp, Runnable done, Consumer<String> failed) {
        pc.setLocalDescription(new RTCSessionDescription(type(type), sdp), set(done, failed, "setting our " + type));
    }

    @Override
    public void setRemote(String type, String sdp, Runnable done, Consumer<String> failed) {
        pc.setRemoteDescription(new RTCSessionDescription(type(type), sdp), set(done, failed, "setting the peer's " + type));
    }

    @Override
    public void addCandidate(String sdpMid, int sdpMLineIndex, String candidate) {
        pc.addIceCandidate(new RTCIceCandidate(sdpMid, sdpMLineIndex, candidate));
    }

    @Override
    public boolean stable() {
        return pc.getSignalingState() == RTCSignalingState.STABLE;
    }

    @Override
    public String pendingLocalOffer() {
        RTCSessionDescription local = pc.getLocalDescription();
        return pc.getSignalingState() == RTCSignalingState.HAVE_LOCAL_OFFER && local != null ? local.sdp : null;
    }

    private static RTCSdpType type(String type) {
        return switch (type) {
            case "offer" -> RTCSdpType.OFFER;
            case "answer" -> RTCSdpType.ANSWER;
            case "rollback" -> RTCSdpType.ROLLBACK;
            default -> throw new IllegalArgumentException("description type " + type);
        };
    }

    private CreateSessionDescriptionObserver created(Consumer<String> done, Consumer<String> failed, String what) {
        return new CreateSessionDescriptionObserver() {
            @Override
            public void onSuccess(RTCSessionDescription description) {
                session.execute(() -> done.accept(description.sdp));
            }

            @Override
            public void onFailure(String error) {
                session.execute(() -> failed.accept(what + ": " + error));
            }
        };
    }

    private SetSessionDescriptionObserver set(Runnable done, Consumer<String> failed, String what) {
        return new SetSessionDescriptionObserver() {
            @Override
            public void onSuccess() {
                session.execute(done);
            }

            @Override
            public void onFailure(String error) {
                session.execute(() -> failed.accept(what + ": " + error));
            }
        };
    }
}
