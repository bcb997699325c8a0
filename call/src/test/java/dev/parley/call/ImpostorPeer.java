package dev.parley.call;

import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCAnswerOptions;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import dev.parley.media.MediaEngine;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A bare peer connection that turns an offer into a valid answer, for a test that plays a device the call never
 * accepted: its answer is one a real client would apply.
 */
final class ImpostorPeer implements AutoCloseable {
    private final RTCPeerConnection pc;

    ImpostorPeer(MediaEngine media) {
        pc = media.factory().createPeerConnection(new RTCConfiguration(), new PeerConnectionObserver() {
            @Override
            public void onIceCandidate(RTCIceCandidate candidate) {}
        });
    }

    String answer(String offer) throws Exception {
        CompletableFuture<String> answer = new CompletableFuture<>();
        pc.setRemoteDescription(
                new RTCSessionDescription(RTCSdpType.OFFER, offer), new SetSessionDescriptionObserver() {
                    @Override
                    public void onSuccess() {
                        pc.createAnswer(new RTCAnswerOptions(), new CreateSessionDescriptionObserver() {
                            @Override
                            public void onSuccess(RTCSessionDescription description) {
                                answer.complete(description.sdp);
                            }

                            @Override
                            public void onFailure(String error) {
                                answer.completeExceptionally(new IllegalStateException(error));
                            }
                        });
                    }

                    @Override
                    public void onFailure(String error) {
                        answer.completeExceptionally(new IllegalStateException(error));
                    }
                });
        return answer.get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        pc.close();
    }
}
