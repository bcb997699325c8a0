package dev.parley.call;

import dev.onvoid.webrtc.PortAllocatorConfig;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCIceServer;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.parley.media.DtlsIdentity;
import dev.parley.media.MediaEngine;
import dev.parley.signaling.protocol.IceServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * What a call is made with, taken once when it starts: later changes to the engine's options, STUN/TURN servers
 * or camera choice apply to the next call, never to one in progress.
 *
 * @param media          the media engine (the peer-connection factory and the devices)
 * @param options        video size and rate, codec, synthetic or echo media, timeouts
 * @param iceServers     STUN/TURN servers: the user's own, then the server's (with TURN credentials)
 * @param preferredCamera the camera by name, or null for the first one
 * @param identity       this installation's DTLS certificate, or null for one libwebrtc makes for the call
 */
record CallContext(
        MediaEngine media,
        CallOptions options,
        List<IceServer> iceServers,
        String preferredCamera,
        DtlsIdentity identity) {
    CallContext {
        iceServers = List.copyOf(iceServers);
    }

    /**
     * A new peer connection with {@link #rtcConfiguration()}, its native callbacks handed to {@code handler} through
     * {@code session} (the call's thread, guarded as the caller likes).
     */
    RTCPeerConnection peerConnection(String callId, Executor session, PeerConnectionEvents.Handler handler) {
        return connection(rtcConfiguration(), callId, session, handler);
    }

    private RTCPeerConnection connection(
            RTCConfiguration config, String callId, Executor session, PeerConnectionEvents.Handler handler) {
        return media.factory().createPeerConnection(config, new PeerConnectionEvents(callId, session, handler));
    }

    /** For a test: a firewall that drops TCP, so TCP links gather no candidate and never connect. */
    static volatile boolean tcpBlockedForTest;

    /**
     * A file link's peer connection (docs/decisions/0010). Over {@code tcp} it gathers TCP host candidates only, with
     * no STUN or TURN server: a link for two ends that reach each other directly, where TCP moves a file faster than
     * SCTP's own loss-driven control over UDP can.
     */
    RTCPeerConnection linkConnection(
            String callId, Executor session, PeerConnectionEvents.Handler handler, boolean tcp) {
        RTCConfiguration config = rtcConfiguration();
        if (tcp) {
            config.iceServers = new ArrayList<>();
            config.portAllocatorConfig = new PortAllocatorConfig()
                    .setDisableUdp(true)
                    .setDisableStun(true)
                    .setDisableRelay(true)
                    .setDisableTcp(tcpBlockedForTest);
        }
        return connection(config, callId, session, handler);
    }

    /** The peer connection's configuration: these STUN/TURN servers, and our own certificate if we keep one. */
    RTCConfiguration rtcConfiguration() {
        RTCConfiguration config = new RTCConfiguration();
        config.iceServers = new ArrayList<>();
        for (IceServer s : iceServers) {
            RTCIceServer ice = new RTCIceServer();
            ice.urls = s.urls();
            ice.username = s.username();
            ice.password = s.credential();
            config.iceServers.add(ice);
        }
        if (identity != null) {
            config.certificates = List.of(identity.toRtc());
        }
        return config;
    }
}
