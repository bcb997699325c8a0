package dev.parley.call;

import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelBuffer;
import dev.onvoid.webrtc.RTCDataChannelInit;
import dev.onvoid.webrtc.RTCDataChannelObserver;
import dev.onvoid.webrtc.RTCDataChannelState;
import dev.onvoid.webrtc.RTCPeerConnection;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The call's data channel ("parley", ordered and reliable): chat and each side's camera/microphone/screen state,
 * as {@link PeerMessages}. Opened only when first needed (webrtc-java 0.14.0 leaks a closed connection's SCTP
 * buffers, ~1.2 MB per call and side), so chat sent before it opens waits here. Runs on the session's thread;
 * the channel's native callbacks only hand over to it.
 */
final class PeerChannel {
    private static final Logger log = LoggerFactory.getLogger(PeerChannel.class);
    static final String LABEL = "parley";

    /** What the peer says, and the channel opening; called on the session's thread. */
    interface Events {
        void chat(String text);

        void peerMedia(PeerMedia media);

        /** The channel we send on is open: time to say our media state. */
        void opened();

        /** A file message ({@code file-offer}, {@code file-answer}, {@code file-cancel}, {@code file-received}). */
        void file(PeerMessages.PeerMessage m);

        /** A verification step the peer sent over the channel (its signaling could not carry it). */
        void verify(PeerMessages.VerifyStep step);

        /** A channel the peer opened for a file's bytes ({@code file:ID}); kept here (closed and freed with ours). */
        void fileChannel(RTCDataChannel c);

        /** A file link's description or candidate ({@code file-link}, {@code file-link-candidate}). */
        void fileLink(PeerMessages.PeerMessage m);

        /** The call is over. */
        void ended();
    }

    private final String callId;
    private final Executor session;
    private final Events events;
    private RTCDataChannel channel; // the one we send on
    private final List<RTCDataChannel> channels = new ArrayList<>(); // every one we hear (both sides may open one)
    private final List<Map.Entry<String, CompletableFuture<Boolean>>> unsent = new ArrayList<>();

    PeerChannel(String callId, Executor session, Events events) {
        this.callId = callId;
        this.session = session;
        this.events = events;
    }

    /** Opens our channel unless one is open or opening; true if it did (the caller renegotiates: SCTP is new). */
    boolean ensure(RTCPeerConnection pc) {
        if (channel != null || pc == null) {
            return false;
        }
        adopt(pc.createDataChannel(LABEL, reliable()));
        return true;
    }

    /** An ordered, reliable channel whose id SCTP picks: ours, and each file's. */
    static RTCDataChannelInit reliable() {
        RTCDataChannelInit init = new RTCDataChannelInit();
        init.ordered = true;
        init.negotiated = false;
        init.maxPacketLifeTime = -1;
        init.maxRetransmits = -1;
        init.id = -1;
        return init;
    }

    /** A channel the peer opened (or ours): we listen on every one and send on the first. */
    void adopt(RTCDataChannel c) {
        channels.add(c);
        if (channel == null) {
            channel = c;
        }
        c.registerObserver(new RTCDataChannelObserver() {
            @Override
            public void onBufferedAmountChange(long previousAmount) {}

            @Override
            public void onStateChange() {
                session.execute(() -> {
                    if (channel == c && c.getState() == RTCDataChannelState.OPEN) {
                        events.opened();
                        for (var waiting : unsent) {
                            waiting.getValue().complete(send(waiting.getKey()));
                        }
                        unsent.clear();
                    }
                });
            }

            @Override
            public void onMessage(RTCDataChannelBuffer buffer) {
                // A native thread, and the buffer lives only during this call: copy, then hand over.
                try {
                    if (buffer.binary) {
                        return;
                    }
                    byte[] bytes = new byte[buffer.data.remaining()];
                    buffer.data.get(bytes);
                    String text = new String(bytes, StandardCharsets.UTF_8);
                    session.execute(() -> received(text));
                } catch (Throwable e) {
                    log.warn("Call {}: dropped a peer message: {}", callId, e.toString());
                }
            }
        });
        if (channel == c && c.getState() == RTCDataChannelState.OPEN) {
            events.opened();
        }
    }

    /** Sends a message if our channel is open; false if not (yet). */
    boolean send(String text) {
        if (channel == null || channel.getState() != RTCDataChannelState.OPEN) {
            return false;
        }
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocateDirect(utf8.length).put(utf8);
        buffer.flip();
        try {
            channel.send(new RTCDataChannelBuffer(buffer, false));
            return true;
        } catch (Exception e) {
            log.warn("Call {}: peer message not sent: {}", callId, e.toString());
            return false;
        }
    }

    /** A message for when the channel opens; {@code sent} completes then. */
    void sendWhenOpen(String message, CompletableFuture<Boolean> sent) {
        unsent.add(Map.entry(message, sent));
    }

    /**
     * A data channel the peer opened: ours ({@value #LABEL}) is adopted, a file's ({@code file:ID}) goes to the
     * files, anything else is closed (and freed with the others).
     */
    void offered(RTCDataChannel c) {
        String label = c.getLabel();
        if (LABEL.equals(label)) {
            adopt(c);
        } else if (label != null && label.startsWith(FileTransfers.CHANNEL_PREFIX)) {
            keep(c);
            events.fileChannel(c);
        } else {
            keep(c);
            c.close();
        }
    }

    /** A channel closed and freed with the call's others (file channels). */
    void keep(RTCDataChannel c) {
        if (!channels.contains(c)) {
            channels.add(c);
        }
    }

    private void received(String text) {
        PeerMessages.PeerMessage m = PeerMessages.decode(text);
        if (m instanceof PeerMessages.Chat chat) {
            events.chat(chat.text());
        } else if (m instanceof PeerMessages.Media media) {
            events.peerMedia(media.media());
        } else if (m instanceof PeerMessages.FileOffer
                || m instanceof PeerMessages.FileAnswer
                || m instanceof PeerMessages.FileCancel
                || m instanceof PeerMessages.FileReceived) {
            events.file(m);
        } else if (m instanceof PeerMessages.VerifyStep step) {
            events.verify(step);
        } else if (m instanceof PeerMessages.LinkDescription || m instanceof PeerMessages.LinkCandidate) {
            events.fileLink(m);
        } else {
            log.debug("Call {}: ignored a peer message we do not know ({} chars)", callId, text.length());
        }
    }

    /** Before the connection closes: no more callbacks, channels closed. */
    void close() {
        for (RTCDataChannel c : channels) {
            c.unregisterObserver();
            c.close();
        }
    }

    /** After the connection closed (shared/WEBRTC-NOTES.md: disposing earlier throws): frees the channels. */
    void dispose() {
        for (RTCDataChannel c : channels) {
            c.dispose();
        }
        channels.clear();
        channel = null;
    }

    /** The call is over: messages still waiting are not sent, and the files stop. */
    void dropUnsent() {
        unsent.forEach(waiting -> waiting.getValue().complete(false));
        unsent.clear();
        events.ended();
    }
}
