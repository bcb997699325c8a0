package dev.parley.call;

import dev.onvoid.webrtc.RTCDtlsTransport;
import dev.onvoid.webrtc.RTCDtlsTransportObserver;
import dev.onvoid.webrtc.RTCDtlsTransportState;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.parley.media.CallStats;
import dev.parley.media.StatsReader;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where WebRTC's view of the connection becomes call events: connection states, "not receiving",
 * the bytes counted in each second's statistics, and the peer's DTLS close_notify. It decides nothing about the
 * call itself; it tells the session what happened. Runs on the session's thread.
 */
final class ConnectionWatch {
    private static final Logger log = LoggerFactory.getLogger(ConnectionWatch.class);
    /** No byte from the peer for this long while connected is an interruption. */
    static final long SILENCE_NANOS = TimeUnit.SECONDS.toNanos(2);

    /** What the connection did, in the call's terms; called on the session's thread. */
    interface Events {
        /** Media flows: the first time, or again after an interruption. */
        void mediaFlowing();

        /** Media stopped while connected. */
        void mediaInterrupted();

        /** ICE found no path while the call was connecting. */
        void noPath();

        /** The peer closed its connection (it hung up, and signaling could not tell us). */
        void peerClosed();

        /** This second's statistics (after the watch has read the connection's health from them). */
        void stats(CallStats stats);
    }

    private final String callId;
    private final Supplier<CallState> state;
    private final Events events;
    private RTCDtlsTransport dtls;
    private long bytesSeen = -1;
    private long bytesChangedNanos;

    ConnectionWatch(String callId, Supplier<CallState> state, Events events) {
        this.callId = callId;
        this.state = state;
        this.events = events;
    }

    void onConnectionChange(RTCPeerConnectionState s) {
        switch (s) {
            case CONNECTED -> {
                bytesChangedNanos = System.nanoTime();
                events.mediaFlowing();
            }
            case DISCONNECTED -> events.mediaInterrupted();
            case FAILED -> {
                if (state.get() == CallState.CONNECTING) {
                    events.noPath();
                } else {
                    events.mediaInterrupted(); // an ICE restart may still find a path before the lost timer runs out
                }
            }
            default -> {}
        }
    }

    /** "Not receiving" (no packet for about 2.5 s) is an interruption too. */
    void onReceivingChange(boolean receiving) {
        if (!receiving) {
            events.mediaInterrupted();
        }
    }

    /** Reads the connection's statistics; the result comes back on the session's thread through {@code session}. */
    void poll(RTCPeerConnection pc, StatsReader reader, Executor session) {
        pc.getStats(report -> session.execute(() -> {
            CallStats s = reader.read(report);
            onStats(s);
            events.stats(s);
        }));
    }

    /**
     * Statistics also watch the connection: libwebrtc can take ~8 s to report a dead peer as "disconnected"
     * (measured here), too slow to end a call within 10 s. No byte from the peer for 2 s is an interruption,
     * bytes coming back are a recovery. Bytes count everything (audio, video, RTCP, ICE checks), so a peer with
     * its camera off and its microphone muted still counts as alive.
     */
    void onStats(CallStats s) {
        long now = System.nanoTime();
        if (s.bytesReceived() != bytesSeen) {
            bytesSeen = s.bytesReceived();
            bytesChangedNanos = now;
            if (state.get() == CallState.RECONNECTING && s.route() != null) {
                events.mediaFlowing();
            }
        } else if (state.get() == CallState.CONNECTED && now - bytesChangedNanos >= SILENCE_NANOS) {
            events.mediaInterrupted();
        }
    }

    /**
     * The peer hanging up when the signaling server cannot tell us (it is gone: the call outlives it): closing its
     * connection sends a DTLS close_notify, and our DTLS transport goes "closed" (W3C webrtc-pc,
     * RTCDtlsTransportState: "closed as the result of receipt of a close_notify alert").
     */
    void watchDtls(RTCPeerConnection pc, Executor session) {
        if (dtls != null || pc.getSenders().length == 0) {
            return;
        }
        dtls = pc.getSenders()[0].getTransport();
        dtls.registerObserver(new RTCDtlsTransportObserver() {
            @Override
            public void onStateChange(RTCDtlsTransportState s) {
                if (s == RTCDtlsTransportState.CLOSED) {
                    session.execute(() -> {
                        CallState now = state.get();
                        if (now == CallState.CONNECTED || now == CallState.RECONNECTING) {
                            log.info("Call {}: the peer closed the connection (DTLS close_notify)", callId);
                            events.peerClosed();
                        }
                    });
                }
            }

            @Override
            public void onError(String error) {
                log.debug("Call {}: DTLS transport error: {}", callId, error);
            }
        });
    }

    /** Stops watching (before the connection closes, so our own close is not taken for the peer's). */
    void stop() {
        if (dtls != null) {
            dtls.unregisterObserver();
            dtls = null;
        }
        bytesSeen = -1;
    }
}
