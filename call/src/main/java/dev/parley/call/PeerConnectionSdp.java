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
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * {@link Negotiator.Peer} over a real webrtc-java peer connection. Its callbacks come on a native thread: they
 * only hand their result to {@code session} (the call's own thread, which drops them once the connection is
 * replaced or the call is over) and never throw. Every operation gets an answer: webrtc-java 0.14.0 was seen to
 * call neither success nor failure for a description it could not parse, so one that says nothing within
 * {@link #LIMIT} counts as failed.
 */
final class PeerConnectionSdp implements Negotiator.Peer {
    static final Duration LIMIT = Duration.ofSeconds(5);
    private final RTCPeerConnection pc;
    private final Executor session;
    private final ScheduledExecutorService timer;

    PeerConnectionSdp(RTCPeerConnection pc, Executor session, ScheduledExecutorService timer) {
        this.pc = pc;
        this.session = session;
        this.timer = timer;
    }

    /** The first of success, failure or the time limit wins; the others are dropped. */
    private final class Once {
        private final AtomicBoolean answered = new AtomicBoolean();

        Once(Consumer<String> failed, String what) {
            timer.schedule(
                    () -> {
                        if (answered.compareAndSet(false, true)) {
                            session.execute(() -> failed.accept(
                                    what + ": no answer from libwebrtc within " + LIMIT.toSeconds() + " s"));
                        }
                    },
                    LIMIT.toMillis(),
                    TimeUnit.MILLISECONDS);
        }

        boolean first() {
            return answered.compareAndSet(false, true);
        }
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
        pc.setRemoteDescription(
                new RTCSessionDescription(type(type), sdp), set(done, failed, "setting the peer's " + type));
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
        Once once = new Once(failed, what);
        return new CreateSessionDescriptionObserver() {
            @Override
            public void onSuccess(RTCSessionDescription description) {
                if (once.first()) {
                    session.execute(() -> done.accept(description.sdp));
                }
            }

            @Override
            public void onFailure(String error) {
                if (once.first()) {
                    session.execute(() -> failed.accept(what + ": " + error));
                }
            }
        };
    }

    private SetSessionDescriptionObserver set(Runnable done, Consumer<String> failed, String what) {
        Once once = new Once(failed, what);
        return new SetSessionDescriptionObserver() {
            @Override
            public void onSuccess() {
                if (once.first()) {
                    session.execute(done);
                }
            }

            @Override
            public void onFailure(String error) {
                if (once.first()) {
                    session.execute(() -> failed.accept(what + ": " + error));
                }
            }
        };
    }
}
