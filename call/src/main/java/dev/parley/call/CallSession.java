package dev.parley.call;

import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCAnswerOptions;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelBuffer;
import dev.onvoid.webrtc.RTCDataChannelInit;
import dev.onvoid.webrtc.RTCDataChannelObserver;
import dev.onvoid.webrtc.RTCDataChannelState;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCIceServer;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import dev.onvoid.webrtc.media.MediaStreamTrack;
import dev.onvoid.webrtc.media.video.VideoTrack;
import dev.parley.media.RemoteVideoSink;
import dev.parley.media.SyntheticVideoSource;
import dev.parley.signaling.protocol.Accept;
import dev.parley.signaling.protocol.Answer;
import dev.parley.signaling.protocol.Busy;
import dev.parley.signaling.protocol.CallMessage;
import dev.parley.signaling.protocol.Cancel;
import dev.parley.signaling.protocol.Candidate;
import dev.parley.signaling.protocol.Decline;
import dev.parley.signaling.protocol.ErrorCode;
import dev.parley.signaling.protocol.ErrorMessage;
import dev.parley.signaling.protocol.Hangup;
import dev.parley.signaling.protocol.IceServer;
import dev.parley.signaling.protocol.Invite;
import dev.parley.signaling.protocol.Offer;
import dev.parley.signaling.protocol.Ringing;
import dev.parley.signaling.protocol.Welcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One call. Everything that changes it runs on its own single thread: signaling messages, WebRTC callbacks and
 * timers only enqueue work there (STYLE.md, "one thread owns a call"), so nothing here races. WebRTC's states are
 * translated into {@link CallEvent}s in {@link #onConnectionChange}, and only there.
 */
public final class CallSession {
    private static final Logger log = LoggerFactory.getLogger(CallSession.class);

    /** Hears a session's state changes, on the session's thread; must not block. */
    public interface Listener {
        void onStateChanged(CallSession session, CallState state, EndReason reason);
    }

    /** Hears chat messages from the peer, on the session's thread; must not block. */
    public interface ChatListener {
        void onChat(CallSession session, String text);
    }

    /** Longest chat message, in characters. */
    public static final int MAX_CHAT_CHARS = 4000;
    private static final String CHAT_LABEL = "chat";

    private final CallEngine engine;
    private final String callId;
    private final String peer;
    private final boolean outgoing;
    private final ScheduledExecutorService thread;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final List<ChatListener> chatListeners = new CopyOnWriteArrayList<>();
    private final RemoteVideoSink remoteVideo = new RemoteVideoSink();
    private final CountDownLatch ended = new CountDownLatch(1);

    // Owned by the session's thread.
    private volatile CallState state = CallState.IDLE;
    private volatile EndReason endReason;
    private RTCPeerConnection pc;
    private SyntheticVideoSource camera;
    private VideoTrack remoteTrack;
    private RTCDataChannel chat;
    private boolean remoteDescriptionSet;
    private final List<RTCIceCandidate> earlyCandidates = new ArrayList<>();
    private ScheduledFuture<?> timer;
    private ScheduledFuture<?> watchdog;
    private long framesSeen;
    private long framesChangedNanos;

    CallSession(CallEngine engine, String callId, String peer, boolean outgoing) {
        this.engine = engine;
        this.callId = callId;
        this.peer = peer;
        this.outgoing = outgoing;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "parley-call-" + callId.substring(0, Math.min(8, callId.length())));
            t.setDaemon(true);
            return t;
        });
    }

    public String callId() {
        return callId;
    }

    public String peer() {
        return peer;
    }

    public boolean outgoing() {
        return outgoing;
    }

    public CallState state() {
        return state;
    }

    /** Why the call ended, or null while it lasts. */
    public EndReason endReason() {
        return endReason;
    }

    /** The peer's video. */
    public RemoteVideoSink remoteVideo() {
        return remoteVideo;
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    public void addChatListener(ChatListener listener) {
        chatListeners.add(listener);
    }

    /**
     * Sends a chat message over the call's data channel. Completes with true once handed to the channel, false if
     * the channel is not open (yet, or any more) or the text is empty or too long.
     */
    public java.util.concurrent.CompletableFuture<Boolean> sendChat(String text) {
        java.util.concurrent.CompletableFuture<Boolean> sent = new java.util.concurrent.CompletableFuture<>();
        if (text == null || text.isBlank() || text.length() > MAX_CHAT_CHARS) {
            sent.complete(false);
            return sent;
        }
        run(() -> {
            if (chat == null || chat.getState() != RTCDataChannelState.OPEN) {
                sent.complete(false);
                return;
            }
            byte[] utf8 = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocateDirect(utf8.length).put(utf8);
            buffer.flip();
            try {
                chat.send(new RTCDataChannelBuffer(buffer, false));
                sent.complete(true);
            } catch (Exception e) {
                log.warn("Call {}: chat message not sent: {}", callId, e.toString());
                sent.complete(false);
            }
        });
        if (state == CallState.ENDED) {
            sent.complete(false); // the session's thread is gone: nothing will answer
        }
        return sent;
    }

    /** Waits for the end; true if it came in time. Never call it on the FX thread. */
    public boolean awaitEnd(long millis) {
        try {
            return ended.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    // ---- commands (any thread) ----

    /** Takes an incoming call. */
    public void accept() {
        run(() -> {
            if (state != CallState.RINGING) {
                return;
            }
            move(CallEvent.ACCEPTED);
            send(new Accept(callId, null, peer));
            startMedia();
        });
    }

    /** Refuses an incoming call. */
    public void decline() {
        run(() -> {
            if (state == CallState.RINGING) {
                send(new Decline(callId, null, peer, EndReason.DECLINED.wireName()));
                end(EndReason.DECLINED);
            }
        });
    }

    /** Ends the call from this side: a cancel while dialing, a hangup afterwards. */
    public void hangup() {
        run(() -> {
            switch (state) {
                case DIALING -> {
                    send(new Cancel(callId, null, peer, EndReason.CANCELLED.wireName()));
                    end(EndReason.CANCELLED);
                }
                case RINGING -> {
                    send(new Decline(callId, null, peer, EndReason.DECLINED.wireName()));
                    end(EndReason.DECLINED);
                }
                case CONNECTING, CONNECTED, RECONNECTING -> {
                    send(new Hangup(callId, null, peer, EndReason.HUNG_UP.wireName()));
                    end(EndReason.HUNG_UP);
                }
                default -> {
                }
            }
        });
    }

    // ---- from the engine ----

    void dial() {
        run(() -> {
            move(CallEvent.DIAL);
            send(new Invite(callId, null, peer, CallEngine.audioVideo()));
            timer = thread.schedule(() -> {
                if (state == CallState.DIALING) {
                    send(new Cancel(callId, null, peer, EndReason.NO_ANSWER.wireName()));
                    end(EndReason.NO_ANSWER);
                }
            }, engine.options().noAnswerTimeout().toMillis(), TimeUnit.MILLISECONDS);
        });
    }

    void invited() {
        run(() -> {
            move(CallEvent.INVITED);
            send(new Ringing(callId, null, peer));
            engine.announceIncoming(this);
        });
    }

    void signal(CallMessage m) {
        run(() -> onSignal(m));
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

    private void onSignal(CallMessage m) {
        if (state == CallState.ENDED || !peer.equals(m.from())) {
            return;
        }
        if (m instanceof Ringing && state == CallState.DIALING) {
            move(CallEvent.REMOTE_RINGING);
        } else if (m instanceof Accept && state == CallState.DIALING) {
            cancelTimer();
            move(CallEvent.REMOTE_ACCEPTED);
            startMedia();
            pc.createOffer(new RTCOfferOptions(), created(description -> {
                pc.setLocalDescription(description, set(() -> send(new Offer(callId, null, peer, description.sdp))));
            }));
        } else if (m instanceof Offer offer && pc != null) {
            RTCSessionDescription remote = new RTCSessionDescription(RTCSdpType.OFFER, offer.sdp());
            pc.setRemoteDescription(remote, set(() -> {
                remoteDescriptionSet = true;
                flushCandidates();
                pc.createAnswer(new RTCAnswerOptions(), created(answer ->
                        pc.setLocalDescription(answer, set(() -> send(new Answer(callId, null, peer, answer.sdp))))));
            }));
        } else if (m instanceof Answer answer && pc != null) {
            pc.setRemoteDescription(new RTCSessionDescription(RTCSdpType.ANSWER, answer.sdp()), set(() -> {
                remoteDescriptionSet = true;
                flushCandidates();
            }));
        } else if (m instanceof Candidate c && c.candidate() != null) {
            RTCIceCandidate candidate = new RTCIceCandidate(c.sdpMid(), c.sdpMLineIndex(), c.candidate());
            if (remoteDescriptionSet && pc != null) {
                pc.addIceCandidate(candidate);
            } else {
                earlyCandidates.add(candidate); // only after the remote description (RFC 8829 §4.1.17)
            }
        } else if (m instanceof Decline) {
            end(EndReason.DECLINED);
        } else if (m instanceof Busy) {
            end(EndReason.BUSY);
        } else if (m instanceof Cancel) {
            end(EndReason.CANCELLED);
        } else if (m instanceof Hangup) {
            end(EndReason.REMOTE_HUNG_UP);
        }
    }

    private void flushCandidates() {
        earlyCandidates.forEach(pc::addIceCandidate);
        earlyCandidates.clear();
    }

    // ---- media ----

    private void startMedia() {
        RTCConfiguration config = new RTCConfiguration();
        if (config.iceServers == null) {
            config.iceServers = new ArrayList<>();
        }
        Welcome welcome = engine.signaling().session();
        if (welcome != null) {
            for (IceServer s : welcome.iceServers()) {
                RTCIceServer ice = new RTCIceServer();
                ice.urls = s.urls();
                ice.username = s.username();
                ice.password = s.credential();
                config.iceServers.add(ice);
            }
        }
        pc = engine.media().factory().createPeerConnection(config, new Observer());
        if (outgoing) {
            // The caller opens the chat channel before its offer, so the offer negotiates it.
            RTCDataChannelInit init = new RTCDataChannelInit();
            init.ordered = true;
            init.negotiated = false;
            init.maxPacketLifeTime = -1;
            init.maxRetransmits = -1;
            init.id = -1;
            adoptChat(pc.createDataChannel(CHAT_LABEL, init));
        }
        CallOptions o = engine.options();
        camera = new SyntheticVideoSource(o.width(), o.height(), o.fps());
        VideoTrack track = engine.media().factory().createVideoTrack("camera", camera.videoSource());
        pc.addTrack(track, List.of("parley-" + callId));
        camera.start();
        // An answered call whose media never flows ends rather than hanging in "connecting".
        timer = thread.schedule(() -> timeout(EndReason.CONNECTION_FAILED),
                engine.options().connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void adoptChat(RTCDataChannel channel) {
        chat = channel;
        channel.registerObserver(new RTCDataChannelObserver() {
            @Override
            public void onBufferedAmountChange(long previousAmount) {
            }

            @Override
            public void onStateChange() {
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
                    String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
                    run(() -> chatListeners.forEach(l -> {
                        try {
                            l.onChat(CallSession.this, text);
                        } catch (RuntimeException e) {
                            log.error("A chat listener failed", e);
                        }
                    }));
                } catch (Throwable e) {
                    log.warn("Call {}: dropped a chat message: {}", callId, e.toString());
                }
            }
        });
    }

    /**
     * The one place where WebRTC's connection states become call events. "Not receiving" (no packet for about
     * 2.5 s) counts as an interruption: libwebrtc reports "disconnected" only seconds later, and a dead peer
     * must end the call within 10 s.
     */
    private void onConnectionChange(RTCPeerConnectionState s) {
        if (state == CallState.ENDED) {
            return;
        }
        switch (s) {
            case CONNECTED -> {
                cancelTimer();
                move(CallEvent.MEDIA_CONNECTED);
                startWatchdog();
            }
            case DISCONNECTED -> interrupted();
            case FAILED -> end(state == CallState.CONNECTING ? EndReason.CONNECTION_FAILED : EndReason.CONNECTION_LOST);
            default -> {
            }
        }
    }

    private void onReceivingChange(boolean receiving) {
        if (!receiving) {
            interrupted();
        } else if (state == CallState.RECONNECTING) {
            cancelTimer();
            move(CallEvent.MEDIA_CONNECTED);
        }
    }

    /**
     * libwebrtc can take ~8 s to report a dead peer as "disconnected" (measured here), too slow to end the call
     * within 10 s. So the flow of remote video is watched too: no frame for 2 s is an interruption, frames coming
     * back are a recovery. (When "camera off" exists, the watchdog must rest while the peer's camera is off.)
     */
    private void startWatchdog() {
        if (watchdog != null) {
            return;
        }
        framesChangedNanos = System.nanoTime();
        watchdog = thread.scheduleWithFixedDelay(() -> {
            if (state == CallState.ENDED) {
                return;
            }
            long frames = remoteVideo.framesReceived();
            long now = System.nanoTime();
            if (frames != framesSeen) {
                framesSeen = frames;
                framesChangedNanos = now;
                if (state == CallState.RECONNECTING) {
                    cancelTimer();
                    move(CallEvent.MEDIA_CONNECTED);
                }
            } else if (frames > 0 && now - framesChangedNanos > TimeUnit.SECONDS.toNanos(2)) {
                interrupted();
            }
        }, 500, 500, TimeUnit.MILLISECONDS);
    }

    private void interrupted() {
        if (state != CallState.CONNECTED) {
            return; // still connecting (its own timer runs), or already reconnecting (the lost timer runs)
        }
        move(CallEvent.MEDIA_INTERRUPTED);
        cancelTimer();
        timer = thread.schedule(() -> timeout(EndReason.CONNECTION_LOST),
                engine.options().lostTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void timeout(EndReason reason) {
        if (state == CallState.CONNECTING || state == CallState.RECONNECTING) {
            send(new Hangup(callId, null, peer, reason.wireName()));
            end(reason);
        }
    }

    // ---- state ----

    private void move(CallEvent event) {
        CallState next = CallStateMachine.next(state, event);
        if (next != state) {
            state = next;
            notifyListeners();
        }
    }

    private void end(EndReason reason) {
        if (state == CallState.ENDED) {
            return;
        }
        cancelTimer();
        if (watchdog != null) {
            watchdog.cancel(false);
        }
        endReason = reason;
        state = CallStateMachine.next(state, CallEvent.END);
        // Close order that webrtc-java 0.14 survives: stop the source, remove sinks, close the connection.
        if (camera != null) {
            camera.close();
        }
        if (remoteTrack != null) {
            remoteTrack.removeSink(remoteVideo);
        }
        if (chat != null) {
            chat.unregisterObserver();
            chat.close();
        }
        if (pc != null) {
            pc.close();
        }
        if (chat != null) {
            chat.dispose(); // only after the connection is closed (shared/WEBRTC-NOTES.md)
            chat = null;
        }
        log.info("Call {} with {} ended: {}", callId, peer, reason.wireName());
        notifyListeners();
        engine.forget(this);
        ended.countDown();
        thread.shutdown();
    }

    private void notifyListeners() {
        CallState s = state;
        EndReason r = endReason;
        for (Listener l : listeners) {
            try {
                l.onStateChanged(this, s, r);
            } catch (RuntimeException e) {
                log.error("A call listener failed", e);
            }
        }
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void send(CallMessage m) {
        if (!engine.signaling().send(m)) {
            log.warn("Call {}: could not send {}", callId, m.getClass().getSimpleName());
        }
    }

    /** Runs on the session's thread; after the end, commands are ignored. Never throws to the caller. */
    private void run(Runnable task) {
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

    private CreateSessionDescriptionObserver created(java.util.function.Consumer<RTCSessionDescription> next) {
        return new CreateSessionDescriptionObserver() {
            @Override
            public void onSuccess(RTCSessionDescription description) {
                run(() -> next.accept(description));
            }

            @Override
            public void onFailure(String error) {
                run(() -> {
                    log.warn("Call {}: creating a description failed: {}", callId, error);
                    end(EndReason.CONNECTION_FAILED);
                });
            }
        };
    }

    private SetSessionDescriptionObserver set(Runnable next) {
        return new SetSessionDescriptionObserver() {
            @Override
            public void onSuccess() {
                run(next);
            }

            @Override
            public void onFailure(String error) {
                run(() -> {
                    log.warn("Call {}: setting a description failed: {}", callId, error);
                    end(EndReason.CONNECTION_FAILED);
                });
            }
        };
    }

    /** WebRTC's callbacks arrive on a native thread: they only enqueue, and never throw. */
    private final class Observer implements PeerConnectionObserver {
        @Override
        public void onIceCandidate(RTCIceCandidate candidate) {
            run(() -> {
                if (state != CallState.ENDED) {
                    send(new Candidate(callId, null, peer, candidate.sdpMid, candidate.sdpMLineIndex, candidate.sdp,
                            false));
                }
            });
        }

        @Override
        public void onConnectionChange(RTCPeerConnectionState s) {
            run(() -> CallSession.this.onConnectionChange(s));
        }

        @Override
        public void onDataChannel(RTCDataChannel channel) {
            run(() -> {
                if (state != CallState.ENDED && chat == null && CHAT_LABEL.equals(channel.getLabel())) {
                    adoptChat(channel);
                }
            });
        }

        @Override
        public void onIceConnectionReceivingChange(boolean receiving) {
            run(() -> onReceivingChange(receiving));
        }

        @Override
        public void onTrack(RTCRtpTransceiver transceiver) {
            try {
                MediaStreamTrack track = transceiver.getReceiver().getTrack();
                if (track instanceof VideoTrack video) {
                    run(() -> {
                        if (state != CallState.ENDED && remoteTrack == null) {
                            remoteTrack = video;
                            video.addSink(remoteVideo);
                        }
                    });
                }
            } catch (RuntimeException e) {
                log.error("Call {}: onTrack failed", callId, e);
            }
        }
    }
}
