package dev.parley.call;

import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCAnswerOptions;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDtlsTransport;
import dev.onvoid.webrtc.RTCDtlsTransportObserver;
import dev.onvoid.webrtc.RTCDtlsTransportState;
import dev.onvoid.webrtc.RTCDataChannelBuffer;
import dev.onvoid.webrtc.RTCDataChannelInit;
import dev.onvoid.webrtc.RTCDataChannelObserver;
import dev.onvoid.webrtc.RTCDataChannelState;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCIceServer;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCRtpCodecCapability;
import dev.onvoid.webrtc.RTCRtpSender;
import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.RTCSignalingState;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import dev.onvoid.webrtc.media.MediaStreamTrack;
import dev.onvoid.webrtc.media.MediaType;
import dev.onvoid.webrtc.media.audio.AudioOptions;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.audio.AudioTrackSource;
import dev.onvoid.webrtc.media.video.VideoDevice;
import dev.onvoid.webrtc.media.video.VideoTrack;
import dev.parley.media.AudioFeed;
import dev.parley.media.CallStats;
import dev.parley.media.CameraSource;
import dev.parley.media.MediaEngine;
import dev.parley.media.EchoSource;
import dev.parley.media.RemoteAudioSink;
import dev.parley.media.RemoteVideoSink;
import dev.parley.media.SdpTracks;
import dev.parley.media.SdpTuning;
import dev.parley.media.StatsReader;
import dev.parley.media.SyntheticVideoSource;
import dev.parley.media.ToneAudioSource;
import dev.parley.media.VideoSource;
import dev.parley.signaling.protocol.Accept;
import dev.parley.signaling.protocol.Answer;
import dev.parley.signaling.protocol.Busy;
import dev.parley.signaling.protocol.CallMessage;
import dev.parley.signaling.protocol.Cancel;
import dev.parley.signaling.protocol.Candidate;
import dev.parley.signaling.protocol.Decline;
import dev.parley.signaling.protocol.EndCause;
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

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One call. Everything that changes it runs on its own single thread: signaling messages, WebRTC callbacks and
 * timers only enqueue work there (STYLE.md, "one thread owns a call"), so nothing here races. WebRTC's states are
 * translated into {@link CallEvent}s in {@link #onConnectionChange}, {@link #onReceivingChange} and
 * {@link #onStats}, and only there.
 *
 * <p>Media: a camera track ("camera"), a microphone track ("microphone") and, while sharing, a screen track
 * ("screen"), all in one stream; the receiver tells them apart by the peer's description. A data channel
 * ("parley") carries chat and each side's camera/microphone/screen state ({@link PeerMessages}). It is opened
 * only when first needed, by renegotiation: webrtc-java 0.14.0 never frees a closed peer connection, and with a
 * data channel that leaks the SCTP association's buffers, about 1.2 MB per call and side (measured).
 *
 * <p>Negotiation follows "perfect negotiation" (W3C webrtc-pc §10.7): either side may offer again (screen share,
 * ICE restart); when offers cross, the callee is the polite peer and rolls its own back.
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

    /** Hears the peer turn its camera, microphone or screen share on or off, on the session's thread. */
    public interface PeerMediaListener {
        void onPeerMedia(CallSession session, PeerMedia media);
    }

    /** Hears the call's statistics once a second while media is set up, on the session's thread. */
    public interface StatsListener {
        void onStats(CallSession session, CallStats stats);
    }

    /** Longest chat message, in characters. */
    public static final int MAX_CHAT_CHARS = 4000;
    static final String CHANNEL_LABEL = "parley";
    static final String CAMERA = "camera";
    static final String MICROPHONE = "microphone";
    static final String SCREEN = "screen";
    /** No byte from the peer for this long while connected is an interruption. */
    private static final long SILENCE_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final CallEngine engine;
    private final ScheduledExecutorService thread;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final List<ChatListener> chatListeners = new CopyOnWriteArrayList<>();
    private final List<PeerMediaListener> mediaListeners = new CopyOnWriteArrayList<>();
    private final List<PeerMediaListener> localMediaListeners = new CopyOnWriteArrayList<>();
    private final List<StatsListener> statsListeners = new CopyOnWriteArrayList<>();
    private final RemoteVideoSink remoteVideo = new RemoteVideoSink();
    private final RemoteVideoSink remoteScreen = new RemoteVideoSink();
    private final RemoteVideoSink localVideo = new RemoteVideoSink(); // the self-view
    private final RemoteAudioSink remoteAudio = new RemoteAudioSink();
    private final CountDownLatch ended = new CountDownLatch(1);
    private final String peer;
    private final String streamId;

    // Changed only on the session's thread (a glare turns an outgoing call into the peer's call); read anywhere.
    private volatile String callId;
    private volatile boolean outgoing;
    private volatile CallState state = CallState.IDLE;
    private volatile EndReason endReason;
    private volatile PeerMedia localMedia = PeerMedia.INITIAL;
    private volatile PeerMedia peerMedia = PeerMedia.INITIAL;
    private volatile CallStats stats;

    // Owned by the session's thread.
    private RTCPeerConnection pc;
    private VideoSource camera;
    private EchoSource echo; // when this side only sends the peer's media back
    private VideoTrack cameraTrack;
    private AudioFeed microphone;
    private AudioTrack microphoneTrack;
    private VideoSource screen;
    private RTCRtpSender screenSender;
    private final List<Runnable> sinkRemovals = new ArrayList<>();
    private final java.util.Map<String, String> remoteTrackNames = new java.util.HashMap<>();
    private RTCDtlsTransport dtls; // watched for the peer's close_notify
    private RTCDataChannel channel; // the one we send on
    private final List<RTCDataChannel> channels = new ArrayList<>(); // every one we hear (both sides may open one)
    private final List<java.util.Map.Entry<String, CompletableFuture<Boolean>>> unsentChat = new ArrayList<>();
    private boolean remoteDescriptionSet;
    private final List<RTCIceCandidate> earlyCandidates = new ArrayList<>();
    private boolean makingOffer;
    private boolean offerPending;
    private boolean iceRestartPending;
    private ScheduledFuture<?> timer;
    private ScheduledFuture<?> statsTicker;
    private final StatsReader statsReader = new StatsReader();
    private long bytesSeen = -1;
    private long bytesChangedNanos;
    private boolean audioStarted;
    private Offer stashedOffer; // an offer that came while ringing, kept until we accept
    private int mediaGeneration; // which peer connection's callbacks count (a glare replaces the first one)

    CallSession(CallEngine engine, String callId, String peer, boolean outgoing) {
        this.engine = engine;
        this.callId = callId;
        this.peer = peer;
        this.outgoing = outgoing;
        this.streamId = "parley-" + callId;
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

    /** True if this side placed the call (after a glare, the side whose call survived). */
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

    /** The peer's camera. */
    public RemoteVideoSink remoteVideo() {
        return remoteVideo;
    }

    /** Our own camera as sent, for the self-view (no frames while the camera is off). */
    public RemoteVideoSink localVideo() {
        return localVideo;
    }

    /** The peer's shared screen, while it shares one. */
    public RemoteVideoSink remoteScreen() {
        return remoteScreen;
    }

    /** The peer's microphone. */
    public RemoteAudioSink remoteAudio() {
        return remoteAudio;
    }

    /** What this side sends. */
    public PeerMedia localMedia() {
        return localMedia;
    }

    /** What the peer says it sends. */
    public PeerMedia peerMedia() {
        return peerMedia;
    }

    /** The newest statistics, or null before the first second of media. */
    public CallStats stats() {
        return stats;
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    public void addChatListener(ChatListener listener) {
        chatListeners.add(listener);
    }

    public void addPeerMediaListener(PeerMediaListener listener) {
        mediaListeners.add(listener);
    }

    /** Hears our own camera/microphone/screen state as the session changes it (toggles, no camera found). */
    public void addLocalMediaListener(PeerMediaListener listener) {
        localMediaListeners.add(listener);
    }

        public void addStatsListener(StatsListener listener) {
        statsListeners.add(listener);
    }

    /**
     * Sends a chat message over the call's data channel, opening the channel first if need be. Completes with true
     * once handed to the channel, false if the text is empty or too long or the call has no media (yet, or any
     * more).
     */
    public CompletableFuture<Boolean> sendChat(String text) {
        CompletableFuture<Boolean> sent = new CompletableFuture<>();
        if (text == null || text.isBlank() || text.length() > MAX_CHAT_CHARS) {
            sent.complete(false);
            return sent;
        }
        run(() -> {
            if (sendOnChannel(PeerMessages.chat(text))) {
                sent.complete(true);
            } else if (pc != null && state != CallState.ENDED) {
                unsentChat.add(java.util.Map.entry(text, sent)); // sent when the channel opens
                ensureChannel();
            } else {
                sent.complete(false);
            }
        });
        if (state == CallState.ENDED) {
            sent.complete(false); // the session's thread is gone: nothing will answer
        }
        return sent;
    }

    /** Turns the camera on or off; the peer is told, and its view shows "camera off" instead of a frozen frame. */
    public void setCameraEnabled(boolean on) {
        run(() -> {
            setLocalMedia(localMedia.withCamera(on));
            if (cameraTrack != null) {
                cameraTrack.setEnabled(on);
            }
            sendMediaState();
        });
    }

    /** Mutes or unmutes the microphone; the peer is told. */
    public void setMicrophoneEnabled(boolean on) {
        run(() -> {
            setLocalMedia(localMedia.withMicrophone(on));
            if (microphoneTrack != null) {
                microphoneTrack.setEnabled(on);
            }
            sendMediaState();
        });
    }

    /**
     * Shares a screen (or a window) as a second video track, renegotiating the call. The session owns the source
     * from here on and closes it when sharing stops or the call ends. Completes with false, closing the source, if
     * the call has no media yet or already shares a screen.
     */
    public CompletableFuture<Boolean> shareScreen(VideoSource source) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        run(() -> {
            if (pc == null || screen != null || state == CallState.ENDED) {
                source.close();
                done.complete(false);
                return;
            }
            screen = source;
            VideoTrack track = engine.media().factory().createVideoTrack(SCREEN, source.videoSource());
            screenSender = pc.addTrack(track, List.of(streamId));
            source.start();
            setLocalMedia(localMedia.withScreen(true));
            sendMediaState();
            negotiate(false);
            done.complete(true);
        });
        if (state == CallState.ENDED) {
            source.close();
            done.complete(false);
        }
        return done;
    }

    /** Stops sharing the screen, if it is shared. */
    public void stopScreenShare() {
        run(() -> {
            if (screen == null) {
                return;
            }
            pc.removeTrack(screenSender);
            screenSender = null;
            screen.close();
            screen = null;
            setLocalMedia(localMedia.withScreen(false));
            sendMediaState();
            negotiate(false);
        });
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

    /** Takes an incoming call with camera and microphone. */
    public void accept() {
        accept(true);
    }

    /** Takes an incoming call; without video the camera starts off (the user can turn it on later). */
    public void accept(boolean withVideo) {
        run(() -> {
            if (state != CallState.RINGING) {
                return;
            }
            setLocalMedia(localMedia.withCamera(withVideo));
            move(CallEvent.ACCEPTED);
            send(new Accept(callId, null, peer));
            startMedia();
            armConnectTimer();
            if (stashedOffer != null) {
                onOffer(stashedOffer); // the caller sent it while we were ringing
                stashedOffer = null;
            }
        });
    }

    /** Refuses an incoming call. */
    public void decline() {
        run(() -> {
            if (state == CallState.RINGING) {
                send(new Decline(callId, null, peer, EndCause.DECLINED));
                end(EndReason.DECLINED);
            }
        });
    }

    /** Ends the call from this side: a cancel while dialing, a hangup afterwards. */
    public void hangup() {
        run(() -> {
            switch (state) {
                case DIALING -> {
                    send(new Cancel(callId, null, peer, EndCause.CANCELLED));
                    end(EndReason.CANCELLED);
                }
                case RINGING -> {
                    send(new Decline(callId, null, peer, EndCause.DECLINED));
                    end(EndReason.DECLINED);
                }
                case CONNECTING, CONNECTED, RECONNECTING -> {
                    send(new Hangup(callId, null, peer, EndCause.HUNG_UP));
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
                    send(new Cancel(callId, null, peer, EndCause.NO_ANSWER));
                    end(EndReason.NO_ANSWER);
                }
            }, engine.options().noAnswerTimeout().toMillis(), TimeUnit.MILLISECONDS);
            // Media and the offer are made while it rings, so that an accept only has the answer and the
            // connectivity checks left to wait for (the callee keeps the offer until it accepts). The callee
            // learns the caller's candidates early; its own stay private until it accepts.
            startMedia();
            negotiate(false);
        });
    }

    void invited() {
        run(() -> {
            move(CallEvent.INVITED);
            send(new Ringing(callId, null, peer));
            engine.announceIncoming(this);
        });
    }

    /**
     * Glare: both sides called each other at once, and the peer's call wins (CallEngine decides). Our own invite is
     * withdrawn and this session becomes the peer's call, accepted at once: the user wanted this call.
     */
    void yieldTo(String theirCallId) {
        run(() -> {
            if (state != CallState.DIALING) {
                return;
            }
            cancelTimer();
            send(new Cancel(callId, null, peer, EndCause.GLARE));
            log.info("Call {} with {} crossed {}; taking theirs", callId, peer, theirCallId);
            releaseMedia(); // made for our own offer, which is void now
            callId = theirCallId;
            outgoing = false;
            move(CallEvent.CROSSED);
            send(new Accept(callId, null, peer));
            startMedia();
            armConnectTimer();
        });
    }

    /** The signaling connection dropped (CallEngine#onStateChanged). */
    void signalingLost() {
        run(() -> {
            boolean settingUp = state == CallState.DIALING || state == CallState.RINGING
                    || state == CallState.CONNECTING && !remoteDescriptionSet;
            if (settingUp) {
                end(EndReason.SIGNALING_LOST);
            }
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
        if (state == CallState.ENDED || !peer.equals(m.from()) || !callId.equals(m.callId())) {
            return;
        }
        if (m instanceof Ringing && state == CallState.DIALING) {
            move(CallEvent.REMOTE_RINGING);
        } else if (m instanceof Accept && state == CallState.DIALING) {
            cancelTimer();
            move(CallEvent.REMOTE_ACCEPTED);
            armConnectTimer();
        } else if (m instanceof Offer offer && pc == null && state == CallState.RINGING) {
            stashedOffer = offer;
        } else if (m instanceof Offer offer && pc != null) {
            onOffer(offer);
        } else if (m instanceof Answer answer && pc != null) {
            remoteTrackNames.putAll(SdpTracks.trackIdsByMid(answer.sdp()));
            pc.setRemoteDescription(new RTCSessionDescription(RTCSdpType.ANSWER, answer.sdp()), set(() -> {
                remoteDescriptionSet = true;
                flushCandidates();
                if (offerPending) {
                    offerPending = false;
                    negotiate(iceRestartPending);
                }
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
        } else if (m instanceof Cancel cancel) {
            end(EndReason.ofCancel(cancel.cause()));
        } else if (m instanceof Hangup hangup) {
            end(EndReason.ofHangup(hangup.cause()));
        }
    }

    /** An offer, first or renegotiating. Crossing offers: the caller ignores the callee's, the callee rolls back. */
    private void onOffer(Offer offer) {
        boolean collision = makingOffer || pc.getSignalingState() != RTCSignalingState.STABLE;
        if (collision && outgoing) {
            log.debug("Call {}: offers crossed; ours stands", callId);
            return;
        }
        remoteTrackNames.putAll(SdpTracks.trackIdsByMid(offer.sdp()));
        RTCSessionDescription remote = new RTCSessionDescription(RTCSdpType.OFFER, offer.sdp());
        Runnable apply = () -> pc.setRemoteDescription(remote, set(() -> {
            remoteDescriptionSet = true;
            flushCandidates();
            pc.createAnswer(new RTCAnswerOptions(), created(answer ->
                    pc.setLocalDescription(answer, set(() -> {
                        send(new Answer(callId, null, peer, tuned(answer.sdp)));
                        if (offerPending) {
                            offerPending = false;
                            negotiate(iceRestartPending);
                        }
                    }))));
        }));
        if (collision) {
            log.debug("Call {}: offers crossed; rolling ours back", callId);
            makingOffer = false;
            offerPending = true; // ours again, after theirs
            pc.setLocalDescription(new RTCSessionDescription(RTCSdpType.ROLLBACK, ""), set(apply));
        } else {
            apply.run();
        }
    }

    /** Makes and sends an offer, now or once the current exchange is over. */
    private void negotiate(boolean iceRestart) {
        if (pc == null || state == CallState.ENDED) {
            return;
        }
        if (makingOffer || pc.getSignalingState() != RTCSignalingState.STABLE) {
            offerPending = true;
            iceRestartPending |= iceRestart;
            return;
        }
        makingOffer = true;
        iceRestartPending = false;
        RTCOfferOptions options = new RTCOfferOptions();
        options.iceRestart = iceRestart;
        pc.createOffer(options, created(offer -> {
            if (!makingOffer) {
                return; // rolled back for the peer's offer meanwhile
            }
            pc.setLocalDescription(offer, set(() -> {
                makingOffer = false;
                send(new Offer(callId, null, peer, tuned(offer.sdp)));
            }));
        }));
    }

    /** The description as the peer gets it: with the video start rate our video needs (SdpTuning). */
    private String tuned(String sdp) {
        CallOptions o = engine.options();
        return SdpTuning.withStartBitrate(sdp, SdpTuning.startKbps(o.width(), o.height(), o.fps()));
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
        List<IceServer> servers = new ArrayList<>(engine.extraIceServers());
        if (welcome != null) {
            servers.addAll(welcome.iceServers());
        }
        {
            for (IceServer s : servers) {
                RTCIceServer ice = new RTCIceServer();
                ice.urls = s.urls();
                ice.username = s.username();
                ice.password = s.credential();
                config.iceServers.add(ice);
            }
        }
        pc = engine.media().factory().createPeerConnection(config, new Observer(++mediaGeneration));
        CallOptions o = engine.options();
        MediaEngine media = engine.media();
        AudioTrackSource microphoneSource;
        if (o.echo()) {
            echo = new EchoSource();
            microphone = echo.audioSource();
            camera = echo.videoSource();
            microphoneSource = microphone.audioSource();
        } else if (o.fakeMedia()) {
            microphone = new ToneAudioSource(o.toneHz());
            camera = new SyntheticVideoSource(o.width(), o.height(), o.fps());
            microphoneSource = microphone.audioSource();
        } else {
            // The devices: the microphone through the audio module (silence if headless), the first camera if any.
            AudioOptions processing = new AudioOptions();
            processing.echoCancellation = true;
            processing.noiseSuppression = true;
            processing.autoGainControl = true;
            processing.highpassFilter = true;
            microphoneSource = media.factory().createAudioSource(processing);
            List<VideoDevice> cameras = media.devices().cameras();
            VideoDevice chosen = media.devices().camera(engine.preferredCamera())
                    .orElse(cameras.isEmpty() ? null : cameras.get(0));
            camera = chosen == null ? null : new CameraSource(chosen, o.width(), o.height(), o.fps());
            if (camera == null) {
                setLocalMedia(localMedia.withCamera(false));
            }
        }
        microphoneTrack = media.factory().createAudioTrack(MICROPHONE, microphoneSource);
        microphoneTrack.setEnabled(localMedia.microphone());
        pc.addTrack(microphoneTrack, List.of(streamId));
        if (camera != null) {
            cameraTrack = media.factory().createVideoTrack(CAMERA, camera.videoSource());
            cameraTrack.setEnabled(localMedia.camera());
            pc.addTrack(cameraTrack, List.of(streamId));
            VideoTrack selfView = cameraTrack;
            selfView.addSink(localVideo);
            sinkRemovals.add(() -> selfView.removeSink(localVideo));
            preferVideoCodec(o.videoCodec());
            camera.start();
        }
    }

    /**
     * Puts a video codec first in every video transceiver's preferences, so the offer or answer lists it first and
     * both sides send it; the others stay as fall-backs. Unknown names leave libwebrtc's order (VP8 first).
     */
    private void preferVideoCodec(String name) {
        if (name == null || name.isBlank()) {
            return;
        }
        List<RTCRtpCodecCapability> codecs = new ArrayList<>(engine.media().factory()
                .getRtpSenderCapabilities(MediaType.VIDEO).getCodecs());
        List<RTCRtpCodecCapability> preferred = codecs.stream().filter(c -> c.getName().equalsIgnoreCase(name)).toList();
        if (preferred.isEmpty()) {
            log.warn("Call {}: no {} video codec here; using libwebrtc's default", callId, name);
            return;
        }
        codecs.removeAll(preferred);
        codecs.addAll(0, preferred);
        for (RTCRtpTransceiver t : pc.getTransceivers()) {
            if (t.getSender().getTrack() instanceof VideoTrack) {
                t.setCodecPreferences(codecs);
            }
        }
    }

    /** An answered call whose media never flows ends rather than hanging in "connecting". */
    private void armConnectTimer() {
        cancelTimer();
        timer = thread.schedule(() -> timeout(EndReason.CONNECTION_FAILED),
                engine.options().connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        statsTicker = thread.scheduleWithFixedDelay(this::pollStats, 1, 1, TimeUnit.SECONDS);
    }

    /**
     * The tone starts only after the headless audio module's own recording thread is stopped: both feeding the
     * send stream at once aborts the JVM (shared/WEBRTC-NOTES.md). libwebrtc starts that thread on its worker
     * thread when the audio send stream starts, which can come after "connected"; stopping it earlier lets it
     * start again under the tone (measured: an abort within 50 calls). So wait until audio packets are actually
     * sent: by then the send stream, and with it the recording, has started, and stopping it sticks.
     */
    private void startAudioOnceSending() {
        if (audioStarted || pc == null || state == CallState.ENDED) {
            return;
        }
        pc.getStats(report -> run(() -> {
            if (audioStarted || state == CallState.ENDED) {
                return;
            }
            CallStats.Stream sent = new StatsReader().read(report).find("audio", true);
            if (sent != null && sent.packets() > 0) {
                audioStarted = true;
                engine.media().yieldHeadlessRecording();
                if (microphone != null) {
                    microphone.start();
                }
            } else {
                thread.schedule(() -> run(this::startAudioOnceSending), 50, TimeUnit.MILLISECONDS);
            }
        }));
    }

    /** Opens the data channel if none is open or opening; the renegotiation it needs runs at once. */
    private void ensureChannel() {
        if (channel != null || pc == null || state == CallState.ENDED) {
            return;
        }
        RTCDataChannelInit init = new RTCDataChannelInit();
        init.ordered = true;
        init.negotiated = false;
        init.maxPacketLifeTime = -1;
        init.maxRetransmits = -1;
        init.id = -1;
        adoptChannel(pc.createDataChannel(CHANNEL_LABEL, init));
        negotiate(false); // the first channel adds the SCTP section to the session
    }

    private void adoptChannel(RTCDataChannel c) {
        channels.add(c);
        if (channel == null) {
            channel = c;
        }
        c.registerObserver(new RTCDataChannelObserver() {
            @Override
            public void onBufferedAmountChange(long previousAmount) {
            }

            @Override
            public void onStateChange() {
                run(() -> {
                    if (channel == c && c.getState() == RTCDataChannelState.OPEN) {
                        sendMediaState();
                        for (var unsent : unsentChat) {
                            unsent.getValue().complete(sendOnChannel(PeerMessages.chat(unsent.getKey())));
                        }
                        unsentChat.clear();
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
                    run(() -> onPeerMessage(text));
                } catch (Throwable e) {
                    log.warn("Call {}: dropped a peer message: {}", callId, e.toString());
                }
            }
        });
        if (channel == c && c.getState() == RTCDataChannelState.OPEN) {
            sendMediaState();
        }
    }

    private void onPeerMessage(String text) {
        if (state == CallState.ENDED) {
            return;
        }
        PeerMessages.PeerMessage m = PeerMessages.decode(text);
        if (m instanceof PeerMessages.Chat chat) {
            for (ChatListener l : chatListeners) {
                try {
                    l.onChat(this, chat.text());
                } catch (RuntimeException e) {
                    log.error("A chat listener failed", e);
                }
            }
        } else if (m instanceof PeerMessages.Media media) {
            if (!media.media().equals(peerMedia)) {
                peerMedia = media.media();
                for (PeerMediaListener l : mediaListeners) {
                    try {
                        l.onPeerMedia(this, peerMedia);
                    } catch (RuntimeException e) {
                        log.error("A media listener failed", e);
                    }
                }
            }
        } else {
            log.debug("Call {}: ignored a peer message we do not know ({} chars)", callId, text.length());
        }
    }

    private void setLocalMedia(PeerMedia next) {
        if (next.equals(localMedia)) {
            return;
        }
        localMedia = next;
        for (PeerMediaListener l : localMediaListeners) {
            try {
                l.onPeerMedia(this, next);
            } catch (RuntimeException e) {
                log.error("A media listener failed", e);
            }
        }
    }

        private void sendMediaState() {
        if (!sendOnChannel(PeerMessages.media(localMedia))) {
            ensureChannel(); // it sends the state when it opens
        }
    }

    private boolean sendOnChannel(String text) {
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

    private void pollStats() {
        if (pc == null || state == CallState.ENDED) {
            return;
        }
        pc.getStats(report -> run(() -> {
            if (state == CallState.ENDED) {
                return;
            }
            onStats(statsReader.read(report));
        }));
    }

    /**
     * Statistics also watch the connection: libwebrtc can take ~8 s to report a dead peer as "disconnected"
     * (measured here), too slow to end a call within 10 s. No byte from the peer for 2 s is an interruption,
     * bytes coming back are a recovery. Bytes count everything (audio, video, RTCP, ICE checks), so a peer with
     * its camera off and its microphone muted still counts as alive.
     */
    private void onStats(CallStats s) {
        stats = s;
        long now = System.nanoTime();
        if (s.bytesReceived() != bytesSeen) {
            bytesSeen = s.bytesReceived();
            bytesChangedNanos = now;
            if (state == CallState.RECONNECTING && s.route() != null) {
                recovered();
            }
        } else if (state == CallState.CONNECTED && now - bytesChangedNanos >= SILENCE_NANOS) {
            interrupted();
        }
        for (StatsListener l : statsListeners) {
            try {
                l.onStats(this, s);
            } catch (RuntimeException e) {
                log.error("A stats listener failed", e);
            }
        }
    }

    /** The one place where WebRTC's connection states become call events. */
    private void onConnectionChange(RTCPeerConnectionState s) {
        if (state == CallState.ENDED) {
            return;
        }
        switch (s) {
            case CONNECTED -> {
                if (state == CallState.CONNECTING) {
                    cancelTimer();
                    move(CallEvent.MEDIA_CONNECTED);
                    watchDtls();
                    bytesChangedNanos = System.nanoTime();
                    startAudioOnceSending();
                    if (!localMedia.equals(PeerMedia.INITIAL)) {
                        sendMediaState(); // muted or camera off before the call connected
                    }
                } else if (state == CallState.RECONNECTING) {
                    recovered();
                }
            }
            case DISCONNECTED -> interrupted();
            case FAILED -> {
                if (state == CallState.CONNECTING) {
                    end(EndReason.CONNECTION_FAILED);
                } else {
                    interrupted(); // an ICE restart may still find a path before the lost timer runs out
                }
            }
            default -> {
            }
        }
    }

    /**
     * The peer hanging up when the signaling server cannot tell us (it is gone: the call outlives it): closing its
     * connection sends a DTLS close_notify, and our DTLS transport goes "closed" (W3C webrtc, RTCDtlsTransportState:
     * "closed as the result of receipt of a close_notify alert"). Without this the call would end as lost ~6 s later.
     */
    private void watchDtls() {
        if (dtls != null || pc == null || pc.getSenders().length == 0) {
            return;
        }
        int generation = mediaGeneration;
        dtls = pc.getSenders()[0].getTransport();
        dtls.registerObserver(new RTCDtlsTransportObserver() {
            @Override
            public void onStateChange(RTCDtlsTransportState s) {
                if (s == RTCDtlsTransportState.CLOSED) {
                    run(() -> {
                        if (generation == mediaGeneration
                                && (state == CallState.CONNECTED || state == CallState.RECONNECTING)) {
                            log.info("Call {}: the peer closed the connection (DTLS close_notify)", callId);
                            end(EndReason.REMOTE_HUNG_UP);
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

    /** "Not receiving" (no packet for about 2.5 s) is an interruption too. */
    private void onReceivingChange(boolean receiving) {
        if (!receiving) {
            interrupted();
        }
    }

    /**
     * Media stopped. The call shows "reconnecting"; the caller restarts ICE (a network change needs new
     * candidates on both sides), and the call ends as lost unless media comes back in time.
     */
    private void interrupted() {
        if (state != CallState.CONNECTED) {
            return; // still connecting (its own timer runs), or already reconnecting (the lost timer runs)
        }
        move(CallEvent.MEDIA_INTERRUPTED);
        // The path that broke may be ours (a new address, a NAT that forgot us): then the signaling connection is
        // dead too, and the ICE restart below must not wait for the keep-alive to notice.
        engine.signaling().checkLink(java.time.Duration.ofMillis(1500));
        cancelTimer();
        timer = thread.schedule(() -> timeout(EndReason.CONNECTION_LOST),
                engine.options().lostTimeout().toMillis(), TimeUnit.MILLISECONDS);
        if (outgoing) {
            log.info("Call {}: media interrupted; restarting ICE", callId);
            negotiate(true);
        }
    }

    /**
     * The signaling connection is back after a drop. An ICE restart offered while it was down may have been lost
     * with the dead link (a renumbered NAT kills both paths at once): offer again, candidates included.
     */
    void signalingRestored() {
        run(() -> {
            if (!outgoing || state != CallState.RECONNECTING || pc == null) {
                return;
            }
            RTCSessionDescription pending = pc.getLocalDescription();
            if (pc.getSignalingState() == RTCSignalingState.HAVE_LOCAL_OFFER && pending != null) {
                log.info("Call {}: signaling is back; sending the ICE restart offer again", callId);
                send(new Offer(callId, null, peer, tuned(pending.sdp)));
            } else {
                negotiate(true);
            }
        });
    }

        private void recovered() {
        cancelTimer();
        move(CallEvent.MEDIA_CONNECTED);
    }

    private void timeout(EndReason reason) {
        if (state == CallState.CONNECTING || state == CallState.RECONNECTING) {
            send(new Hangup(callId, null, peer, reason.cause()));
            end(reason);
        }
    }

    // ---- state ----

    private void move(CallEvent event) {
        CallState next = CallStateMachine.next(state, event);
        if (next != state) {
            state = next;
            if (next == CallState.CONNECTED) {
                log.info("Call {} with {} connected", callId, peer);
            }
            notifyListeners();
        }
    }

    private void end(EndReason reason) {
        if (state == CallState.ENDED) {
            return;
        }
        cancelTimer();
        endReason = reason;
        state = CallStateMachine.next(state, CallEvent.END);
        releaseMedia();
        // Each sink holds its newest native frame for a display; let go of them (counters stay readable).
        remoteVideo.close();
        remoteScreen.close();
        localVideo.close();
        unsentChat.forEach(unsent -> unsent.getValue().complete(false));
        unsentChat.clear();
        log.info("Call {} with {} ended: {}", callId, peer, reason.wireName());
        notifyListeners();
        engine.forget(this);
        ended.countDown();
        thread.shutdown();
    }

    /**
     * Closes the call's media. Close order that webrtc-java 0.14 survives: stop the sources, remove sinks, close
     * the channels and the connection, then dispose the channels. Tracks added to a connection are not disposed
     * (that throws). Callbacks of the closed connection are ignored from here on.
     */
    private void releaseMedia() {
        mediaGeneration++;
        if (dtls != null) {
            dtls.unregisterObserver();
            dtls = null;
        }
        if (statsTicker != null) {
            statsTicker.cancel(false);
            statsTicker = null;
        }
        for (AutoCloseable source : new AutoCloseable[]{camera, microphone, screen}) {
            try {
                if (source != null) {
                    source.close();
                }
            } catch (Exception e) {
                log.warn("Call {}: closing a source failed: {}", callId, e.toString());
            }
        }
        sinkRemovals.forEach(Runnable::run);
        sinkRemovals.clear();
        for (RTCDataChannel c : channels) {
            c.unregisterObserver();
            c.close();
        }
        if (pc != null) {
            pc.close();
        }
        for (RTCDataChannel c : channels) {
            c.dispose(); // only after the connection is closed (shared/WEBRTC-NOTES.md)
        }
        channels.clear();
        channel = null;
        pc = null;
        camera = null;
        echo = null;
        cameraTrack = null;
        microphone = null;
        microphoneTrack = null;
        screen = null;
        screenSender = null;
        remoteDescriptionSet = false;
        earlyCandidates.clear();
        makingOffer = false;
        offerPending = false;
        iceRestartPending = false;
        audioStarted = false;
        remoteTrackNames.clear();
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

    private CreateSessionDescriptionObserver created(Consumer<RTCSessionDescription> next) {
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
                run(() -> {
                    if (state != CallState.ENDED) {
                        next.run();
                    }
                });
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

    /** A track the peer sends, named by the peer's description (its own id here is random). */
    private void addRemoteTrack(String mid, MediaStreamTrack track) {
        if (state == CallState.ENDED) {
            return;
        }
        String name = mid == null ? null : remoteTrackNames.get(mid);
        if (name != null) {
            statsReader.nameReceivedTrack(mid, name);
        }
        if (track instanceof VideoTrack video) {
            RemoteVideoSink sink = SCREEN.equals(name) ? remoteScreen : remoteVideo;
            video.addSink(sink);
            sinkRemovals.add(() -> video.removeSink(sink));
            if (echo != null && !SCREEN.equals(name)) {
                var back = echo.videoSink();
                video.addSink(back);
                sinkRemovals.add(() -> video.removeSink(back));
            }
        } else if (track instanceof AudioTrack audio) {
            audio.addSink(remoteAudio);
            sinkRemovals.add(() -> audio.removeSink(remoteAudio));
            if (echo != null) {
                var back = echo.audioSink();
                audio.addSink(back);
                sinkRemovals.add(() -> audio.removeSink(back));
            }
        }
    }

    /** WebRTC's callbacks arrive on a native thread: they only enqueue, and never throw. */
    private final class Observer implements PeerConnectionObserver {
        private final int generation;

        Observer(int generation) {
            this.generation = generation;
        }

        /** Runs a callback's work on the session's thread, unless its connection was closed meanwhile. */
        private void run(Runnable task) {
            CallSession.this.run(() -> {
                if (generation == mediaGeneration) {
                    task.run();
                }
            });
        }

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
        public void onDataChannel(RTCDataChannel c) {
            run(() -> {
                if (state != CallState.ENDED && CHANNEL_LABEL.equals(c.getLabel())) {
                    adoptChannel(c);
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
                String mid = transceiver.getMid();
                run(() -> addRemoteTrack(mid, track));
            } catch (RuntimeException e) {
                log.error("Call {}: onTrack failed", callId, e);
            }
        }
    }
}
