package dev.parley.media;

import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCAnswerOptions;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import dev.onvoid.webrtc.media.MediaStreamTrack;
import dev.onvoid.webrtc.media.video.VideoTrack;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Two real peer connections in one JVM, signaled directly (no server): the shape of every WebRTC test. Remote
 * candidates are queued until the remote description is set, as a real call must.
 */
final class PeerPair implements AutoCloseable {
    final Peer caller;
    final Peer callee;

    PeerPair(MediaEngine engine) {
        caller = new Peer("caller", engine);
        callee = new Peer("callee", engine);
        caller.remote = callee;
        callee.remote = caller;
    }

    /** Offer from the caller, answer from the callee; completes when both have both descriptions. */
    CompletableFuture<Void> negotiate() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        caller.pc.createOffer(
                new RTCOfferOptions(),
                created(
                        done,
                        offer -> caller.pc.setLocalDescription(
                                offer,
                                set(
                                        done,
                                        () -> callee.setRemote(
                                                offer,
                                                done,
                                                () -> callee.pc.createAnswer(
                                                        new RTCAnswerOptions(),
                                                        created(
                                                                done,
                                                                answer -> callee.pc.setLocalDescription(
                                                                        answer,
                                                                        set(
                                                                                done,
                                                                                () -> caller.setRemote(
                                                                                        answer,
                                                                                        done,
                                                                                        () -> done.complete(
                                                                                                null)))))))))));
        return done;
    }

    private static CreateSessionDescriptionObserver created(
            CompletableFuture<?> done, Consumer<RTCSessionDescription> next) {
        return new CreateSessionDescriptionObserver() {
            @Override
            public void onSuccess(RTCSessionDescription description) {
                next.accept(description);
            }

            @Override
            public void onFailure(String error) {
                done.completeExceptionally(new IllegalStateException(error));
            }
        };
    }

    static SetSessionDescriptionObserver set(CompletableFuture<?> done, Runnable next) {
        return new SetSessionDescriptionObserver() {
            @Override
            public void onSuccess() {
                next.run();
            }

            @Override
            public void onFailure(String error) {
                done.completeExceptionally(new IllegalStateException(error));
            }
        };
    }

    @Override
    public void close() {
        caller.pc.close();
        callee.pc.close();
    }

    static final class Peer implements PeerConnectionObserver {
        final String name;
        final RTCPeerConnection pc;
        final CompletableFuture<Void> connected = new CompletableFuture<>();
        final List<VideoTrack> remoteVideo = new ArrayList<>();
        final CompletableFuture<VideoTrack> firstRemoteVideo = new CompletableFuture<>();
        private final List<RTCIceCandidate> early = new ArrayList<>();
        private boolean remoteSet;
        Peer remote;

        Peer(String name, MediaEngine engine) {
            this.name = name;
            this.pc = engine.factory().createPeerConnection(new RTCConfiguration(), this);
        }

        void setRemote(RTCSessionDescription description, CompletableFuture<?> done, Runnable next) {
            pc.setRemoteDescription(description, set(done, () -> {
                List<RTCIceCandidate> queued;
                synchronized (this) {
                    remoteSet = true;
                    queued = new ArrayList<>(early);
                    early.clear();
                }
                queued.forEach(pc::addIceCandidate);
                next.run();
            }));
        }

        void addRemoteCandidate(RTCIceCandidate candidate) {
            synchronized (this) {
                if (!remoteSet) {
                    early.add(candidate);
                    return;
                }
            }
            pc.addIceCandidate(candidate);
        }

        @Override
        public void onIceCandidate(RTCIceCandidate candidate) {
            remote.addRemoteCandidate(candidate);
        }

        @Override
        public void onConnectionChange(RTCPeerConnectionState state) {
            if (state == RTCPeerConnectionState.CONNECTED) {
                connected.complete(null);
            } else if (state == RTCPeerConnectionState.FAILED) {
                connected.completeExceptionally(new IllegalStateException(name + ": connection failed"));
            }
        }

        @Override
        public void onTrack(RTCRtpTransceiver transceiver) {
            MediaStreamTrack track = transceiver.getReceiver().getTrack();
            if (track instanceof VideoTrack video) {
                synchronized (this) {
                    remoteVideo.add(video);
                }
                firstRemoteVideo.complete(video);
            }
        }
    }
}
