package dev.parley.call;

import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.media.video.VideoDevice;
import dev.parley.media.CallStats;
import dev.parley.media.Devices;
import dev.parley.media.RemoteAudioSink;
import dev.parley.media.RemoteVideoSink;
import dev.parley.media.SdpTuning;
import dev.parley.media.VideoSource;
import dev.parley.signaling.protocol.CallMessage;
import dev.parley.signaling.protocol.Candidate;
import dev.parley.signaling.protocol.EndCause;
import dev.parley.signaling.protocol.ErrorCode;
import dev.parley.signaling.protocol.ErrorMessage;
import dev.parley.signaling.protocol.Offer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call: the front door over its parts, and the one thread that owns it. Signaling messages, WebRTC callbacks
 * and timers only enqueue work on that thread (STYLE.md, "one thread owns a call"), so nothing here races. The
 * parts each have one job: {@link Negotiator} (offers, answers, candidates), {@link CallMedia} (sources, tracks,
 * sinks, screen share), {@link PeerChannel} (chat and media state peer to peer) and {@link ConnectionWatch} (the
 * one place where WebRTC's states become call events). What the call is made with is a {@link CallContext} taken
 * when it starts; the session reaches back to the engine only through {@link Host}.
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

    /** Hears what happened to the devices the call uses (a camera pulled out), on the session's thread. */
    public interface DeviceListener {
        void onDeviceNotice(CallSession session, DeviceNotice notice);

        /** A device was plugged in or out: the lists ({@link #cameraNames()}, …) changed. */
        default void onDevicesChanged(CallSession session) {}
    }

    /** What a session needs from whoever runs it (the {@link CallEngine}). */
    interface Host {
        /** Sends a message over signaling; false if it could not be queued. */
        boolean send(CallMessage message);

        /** Checks the signaling link now: a dead one is dropped and reconnected at once. */
        void checkLink(Duration within);

        void announceIncoming(CallSession session);

        void forget(CallSession session);

        /** The headless audio module's own recording must stop before a pushed microphone starts. */
        void yieldHeadlessRecording();
    }

    /** Longest chat message, in characters. */
    public static final int MAX_CHAT_CHARS = 4000;
    /** How often the caller sends an unanswered ICE restart offer again while reconnecting. */
    private static final Duration RESTART_RESEND = Duration.ofSeconds(2);

    private final Host host;
    private final CallContext context;
    private final ScheduledExecutorService thread;
    private final Listeners<Listener> listeners = new Listeners<>("call");
    private final Listeners<ChatListener> chatListeners = new Listeners<>("chat");
    private final Listeners<PeerMediaListener> mediaListeners = new Listeners<>("media");
    private final Listeners<PeerMediaListener> localMediaListeners = new Listeners<>("local media");
    private final Listeners<StatsListener> statsListeners = new Listeners<>("stats");
    private final Listeners<DeviceListener> deviceListeners = new Listeners<>("device");
    private final CountDownLatch ended = new CountDownLatch(1);
    private final String peer;
    private final CallMedia media;
    private final PeerChannel channel;
    private final ConnectionWatch watch;
    private final CallSignals signals;

    // Changed only on the session's thread (a glare turns an outgoing call into the peer's call); read anywhere.
    private volatile String callId;
    private volatile boolean outgoing;
    private volatile CallState state = CallState.IDLE;
    private volatile EndReason endReason;
    private volatile PeerMedia localMedia = PeerMedia.INITIAL;
    private volatile PeerMedia peerMedia = PeerMedia.INITIAL;
    private volatile CallStats stats;

    // Owned by the session's thread.
    private CallConnection connection; // null until media starts, and after it is released
    private ScheduledFuture<?> timer;
    private ScheduledFuture<?> statsTicker;
    private ScheduledFuture<?> restartResend; // the caller's, while reconnecting
    private Offer stashedOffer; // an offer that came while ringing, kept until we accept
    private final List<Candidate> candidatesBeforeMedia = new ArrayList<>(); // the caller's, while we ring

    CallSession(Host host, CallContext context, String callId, String peer, boolean outgoing) {
        this.host = host;
        this.context = context;
        this.callId = callId;
        this.peer = peer;
        this.outgoing = outgoing;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "parley-call-" + callId.substring(0, Math.min(8, callId.length())));
            t.setDaemon(true);
            return t;
        });
        this.media = new CallMedia(callId, context);
        this.signals = new CallSignals(host, peer, () -> this.callId, () -> state, new FromPeer());
        this.channel = new PeerChannel(callId, this::run, new PeerChannel.Events() {
            @Override
            public void chat(String text) {
                if (state != CallState.ENDED) {
                    chatListeners.fire(l -> l.onChat(CallSession.this, text));
                }
            }

            @Override
            public void peerMedia(PeerMedia m) {
                if (state != CallState.ENDED && !m.equals(peerMedia)) {
                    peerMedia = m;
                    mediaListeners.fire(l -> l.onPeerMedia(CallSession.this, m));
                }
            }

            @Override
            public void opened() {
                sendMediaState();
            }
        });
        this.watch = new ConnectionWatch(callId, () -> state, new ConnectionWatch.Events() {
            @Override
            public void mediaFlowing() {
                if (state == CallState.CONNECTING) {
                    connected();
                } else if (state == CallState.RECONNECTING) {
                    cancelTimer();
                    stopRestartResend();
                    move(CallEvent.MEDIA_CONNECTED);
                }
            }

            @Override
            public void mediaInterrupted() {
                interrupted();
            }

            @Override
            public void noPath() {
                end(EndReason.CONNECTION_FAILED);
            }

            @Override
            public void peerClosed() {
                end(EndReason.REMOTE_HUNG_UP);
            }

            @Override
            public void stats(CallStats s) {
                stats = s;
                statsListeners.fire(l -> l.onStats(CallSession.this, s));
            }
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
        return media.remoteVideo;
    }

    /** Our own camera as sent, for the self-view (no frames while the camera is off). */
    public RemoteVideoSink localVideo() {
        return media.localVideo;
    }

    /** The peer's shared screen, while it shares one. */
    public RemoteVideoSink remoteScreen() {
        return media.remoteScreen;
    }

    /** The peer's microphone. */
    public RemoteAudioSink remoteAudio() {
        return media.remoteAudio;
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

    public void addDeviceListener(DeviceListener listener) {
        deviceListeners.add(listener);
    }

    /** The cameras the call could switch to, by name (empty when it sends synthetic video). */
    public List<String> cameraNames() {
        return media.usesDevices() ? context.media().devices().cameraNames() : List.of();
    }

    /** The microphones, by name (empty without a sound system). */
    public List<String> microphoneNames() {
        return context.media().devices().microphoneNames();
    }

    /** The speakers, by name (empty without a sound system). */
    public List<String> speakerNames() {
        return context.media().devices().speakerNames();
    }

    /** The camera the call captures from, or null (synthetic video, no camera, no media yet). */
    public String cameraName() {
        return media.cameraName();
    }

    /**
     * Captures from another camera (by name, as the media engine lists it) without interrupting the call: the
     * peer's video goes on from the new camera. Completes with false if there is no such camera, the call sends
     * synthetic video, or it has no media (yet, or any more).
     */
    public CompletableFuture<Boolean> switchCamera(String name) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        run(() -> done.complete(useCamera(name)));
        if (state == CallState.ENDED) {
            done.complete(false);
        }
        return done;
    }

    /**
     * Switches the microphone and/or the speaker (by name; null keeps one) for this call and the next. False when
     * there is no sound system (nothing to switch) or the module refused.
     */
    public CompletableFuture<Boolean> switchAudio(String microphone, String speaker) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        run(() -> done.complete(context.media().switchAudioDevicesNow(microphone, speaker)));
        if (state == CallState.ENDED) {
            done.complete(false);
        }
        return done;
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
            if (channel.send(PeerMessages.chat(text))) {
                sent.complete(true);
            } else if (connection != null && state != CallState.ENDED) {
                channel.sendWhenOpen(text, sent);
                connection.openChannel();
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
            media.setCameraEnabled(on);
            sendMediaState();
        });
    }

    /** Mutes or unmutes the microphone; the peer is told. */
    public void setMicrophoneEnabled(boolean on) {
        run(() -> {
            setLocalMedia(localMedia.withMicrophone(on));
            media.setMicrophoneEnabled(on);
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
            if (connection == null || media.sharingScreen() || state == CallState.ENDED) {
                source.close();
                done.complete(false);
                return;
            }
            connection.shareScreen(source);
            setLocalMedia(localMedia.withScreen(true));
            sendMediaState();
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
            if (!media.sharingScreen() || connection == null) {
                return;
            }
            connection.stopScreenShare();
            setLocalMedia(localMedia.withScreen(false));
            sendMediaState();
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
            signals.accept();
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
                signals.decline();
                end(EndReason.DECLINED);
            }
        });
    }

    /** Ends the call from this side: a cancel while dialing, a hangup afterwards. */
    public void hangup() {
        run(() -> {
            switch (state) {
                case DIALING -> {
                    signals.cancel(EndCause.CANCELLED);
                    end(EndReason.CANCELLED);
                }
                case RINGING -> {
                    signals.decline();
                    end(EndReason.DECLINED);
                }
                case CONNECTING, CONNECTED, RECONNECTING -> {
                    signals.hangup(EndCause.HUNG_UP);
                    end(EndReason.HUNG_UP);
                }
                default -> {}
            }
        });
    }

    // ---- from the engine ----

    void dial() {
        run(() -> {
            move(CallEvent.DIAL);
            signals.invite();
            timer = thread.schedule(
                    () -> {
                        if (state == CallState.DIALING) {
                            signals.cancel(EndCause.NO_ANSWER);
                            end(EndReason.NO_ANSWER);
                        }
                    },
                    context.options().noAnswerTimeout().toMillis(),
                    TimeUnit.MILLISECONDS);
            // Media and the offer are made while it rings, so that an accept only has the answer and the
            // connectivity checks left to wait for (the callee keeps the offer until it accepts). The callee
            // learns the caller's candidates early; its own stay private until it accepts.
            startMedia();
            connection.negotiator().negotiate(false);
        });
    }

    void invited() {
        run(() -> {
            move(CallEvent.INVITED);
            signals.ringing();
            host.announceIncoming(this);
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
            signals.cancel(EndCause.GLARE);
            log.info("Call {} with {} crossed {}; taking theirs", callId, peer, theirCallId);
            releaseMedia()
                    .forEach(e -> log.warn("Call {}: releasing the crossed call's media: {}", callId, e.toString()));
            callId = theirCallId;
            outgoing = false;
            move(CallEvent.CROSSED);
            signals.accept();
            startMedia();
            armConnectTimer();
        });
    }

    /** The signaling connection dropped (CallEngine#onStateChanged). */
    void signalingLost() {
        run(() -> {
            boolean settingUp = state == CallState.DIALING
                    || state == CallState.RINGING
                    || state == CallState.CONNECTING
                            && (connection == null || !connection.negotiator().remoteDescriptionKnown());
            if (settingUp) {
                end(EndReason.SIGNALING_LOST);
            }
        });
    }

    /**
     * The devices changed (CallEngine#devicesChanged). If the camera in use is gone, the call moves to the
     * camera of the user's choice or the first one left; with none left the camera turns off (the peer is told
     * and shows "camera off" instead of a frozen frame). Either way the user is told (DeviceNotice).
     */
    void devicesChanged(Devices devices) {
        run(() -> {
            deviceListeners.fire(l -> l.onDevicesChanged(this));
            String current = media.cameraName();
            if (connection == null || current == null || devices.camera(current).isPresent()) {
                return;
            }
            String next = devices.camera(context.preferredCamera())
                    .or(() -> devices.cameras().stream().findFirst())
                    .map(VideoDevice::getName)
                    .orElse(null);
            if (next != null && useCamera(next)) {
                log.info("Call {}: camera {} went away; using {}", callId, current, next);
                deviceListeners.fire(l ->
                        l.onDeviceNotice(this, new DeviceNotice(DeviceNotice.Kind.CAMERA_SWITCHED, current, next)));
            } else {
                log.info("Call {}: camera {} went away and there is no other; the camera is off", callId, current);
                setLocalMedia(localMedia.withCamera(false));
                media.setCameraEnabled(false);
                sendMediaState();
                deviceListeners.fire(
                        l -> l.onDeviceNotice(this, new DeviceNotice(DeviceNotice.Kind.CAMERA_GONE, current, null)));
            }
        });
    }

    private boolean useCamera(String name) {
        if (connection == null || state == CallState.ENDED || !media.usesDevices()) {
            return false;
        }
        VideoDevice device = context.media().devices().camera(name).orElse(null);
        if (device == null) {
            return false;
        }
        try {
            connection.switchCamera(device, localMedia.camera());
            return true;
        } catch (RuntimeException e) {
            log.warn("Call {}: switching to camera {} failed: {}", callId, name, e.toString());
            return false;
        }
    }

    /** The signaling connection is back after a drop (CallEngine#onStateChanged). */
    void signalingRestored() {
        run(() -> {
            if (outgoing && state == CallState.RECONNECTING && connection != null) {
                connection.negotiator().offerAgainAfterSignalingLoss();
            }
        });
    }

    void signal(CallMessage m) {
        run(() -> signals.receive(m));
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

    /** What the peer says, as far as the call's state allows it (CallSignals). */
    private final class FromPeer implements CallSignals.Events {
        @Override
        public void remoteRinging() {
            move(CallEvent.REMOTE_RINGING);
        }

        @Override
        public void remoteAccepted() {
            cancelTimer();
            move(CallEvent.REMOTE_ACCEPTED);
            armConnectTimer();
        }

        @Override
        public void offer(Offer offer) {
            if (connection == null && state == CallState.RINGING) {
                stashedOffer = offer; // the caller's early offer: used when we accept
            } else if (connection != null) {
                onOffer(offer);
            }
        }

        @Override
        public void answer(String sdp) {
            if (connection != null) {
                media.learnTrackNames(sdp);
                connection.negotiator().onAnswer(sdp);
            }
        }

        @Override
        public void candidate(Candidate c) {
            if (connection != null) {
                connection.negotiator().onCandidate(c.sdpMid(), c.sdpMLineIndex(), c.candidate());
            } else {
                candidatesBeforeMedia.add(c); // the caller's early candidates, while we ring
            }
        }

        @Override
        public void ended(EndReason reason) {
            end(reason);
        }
    }

    private void onOffer(Offer offer) {
        media.learnTrackNames(offer.sdp());
        connection.negotiator().onOffer(offer.sdp());
    }

    // ---- media ----

    /** A peer connection with this call's STUN/TURN servers, its local media, and a negotiator for it. */
    private void startMedia() {
        connection = new CallConnection(
                context,
                callId,
                !outgoing,
                media,
                channel,
                watch,
                this::run,
                thread,
                () -> state != CallState.ENDED,
                new CallConnection.Signals() {
                    @Override
                    public void offer(String sdp) {
                        signals.offer(sdp);
                    }

                    @Override
                    public void answer(String sdp) {
                        signals.answer(sdp);
                    }

                    @Override
                    public void candidate(RTCIceCandidate c) {
                        signals.candidate(c);
                    }

                    @Override
                    public void failed(String what) {
                        // A description that cannot be used ends the call at once, for both sides, saying why (rather
                        // than "connecting" until the connect timer gives up).
                        log.warn("Call {}: {}", callId, what);
                        if (state == CallState.DIALING) {
                            signals.cancel(EndCause.INCOMPATIBLE);
                        } else {
                            signals.hangup(EndCause.INCOMPATIBLE);
                        }
                        end(EndReason.INCOMPATIBLE);
                    }
                },
                this::tuned);
        candidatesBeforeMedia.forEach(
                c -> connection.negotiator().onCandidate(c.sdpMid(), c.sdpMLineIndex(), c.candidate()));
        candidatesBeforeMedia.clear();
        setLocalMedia(connection.start(localMedia));
        String unusable = media.unusableCamera();
        if (unusable != null) {
            deviceListeners.fire(
                    l -> l.onDeviceNotice(this, new DeviceNotice(DeviceNotice.Kind.CAMERA_UNUSABLE, unusable, null)));
        }
    }

    /** The description as the peer gets it: with the video start rate our video needs (SdpTuning). */
    private String tuned(String sdp) {
        CallOptions o = context.options();
        return SdpTuning.withStartBitrate(sdp, SdpTuning.startKbps(o.width(), o.height(), o.fps()));
    }

    /** Media flows for the first time. */
    private void connected() {
        cancelTimer();
        move(CallEvent.MEDIA_CONNECTED);
        connection.connected(thread, host::yieldHeadlessRecording);
        if (!localMedia.equals(PeerMedia.INITIAL)) {
            sendMediaState(); // muted or camera off before the call connected
        }
    }

    /** An answered call whose media never flows ends rather than hanging in "connecting". */
    private void armConnectTimer() {
        cancelTimer();
        timer = thread.schedule(
                () -> timeout(EndReason.CONNECTION_FAILED),
                context.options().connectTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
        statsTicker = thread.scheduleWithFixedDelay(
                () -> {
                    if (connection != null && state != CallState.ENDED) {
                        connection.pollStats();
                    }
                },
                1,
                1,
                TimeUnit.SECONDS);
    }

    private void setLocalMedia(PeerMedia next) {
        if (next.equals(localMedia)) {
            return;
        }
        localMedia = next;
        localMediaListeners.fire(l -> l.onPeerMedia(this, next));
    }

    private void sendMediaState() {
        if (!channel.send(PeerMessages.media(localMedia)) && connection != null && state != CallState.ENDED) {
            connection.openChannel(); // it sends the state when it opens
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
        host.checkLink(Duration.ofMillis(1500));
        cancelTimer();
        timer = thread.schedule(
                () -> timeout(EndReason.CONNECTION_LOST),
                context.options().lostTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
        if (outgoing) {
            log.info("Call {}: media interrupted; restarting ICE", callId);
            connection.negotiator().negotiate(true);
            // Sent again until answered: an offer can be lost with no error, e.g. relayed to the peer's old signaling
            // link that the server has not yet seen die while the peer reconnects. The peer answers a repeat with
            // its answer again, and a repeated answer is ignored.
            restartResend = thread.scheduleWithFixedDelay(
                    this::resendRestartOffer,
                    RESTART_RESEND.toMillis(),
                    RESTART_RESEND.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    private void resendRestartOffer() {
        if (state != CallState.RECONNECTING || connection == null) {
            stopRestartResend();
        } else {
            connection.negotiator().resendPendingOffer();
        }
    }

    private void stopRestartResend() {
        if (restartResend != null) {
            restartResend.cancel(false);
            restartResend = null;
        }
    }

    private void timeout(EndReason reason) {
        if (state == CallState.CONNECTING || state == CallState.RECONNECTING) {
            signals.hangup(reason.cause());
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

    /**
     * Ends the call, whatever fails on the way: every part is closed in its own try, a failure is logged and the
     * closing goes on, and the listeners, the waiters and the thread always learn the end (pion's close).
     */
    private void end(EndReason reason) {
        if (state == CallState.ENDED) {
            return;
        }
        cancelTimer();
        endReason = reason;
        state = CallStateMachine.next(state, CallEvent.END);
        try {
            List<Exception> failures = releaseMedia();
            CallConnection.step(failures, media::closeSinks); // counters stay readable
            CallConnection.step(failures, channel::dropUnsent);
            if (!failures.isEmpty()) {
                log.warn(
                        "Call {}: {} part(s) failed to close; first: {}",
                        callId,
                        failures.size(),
                        failures.get(0).toString());
            }
            log.info("Call {} with {} ended: {}", callId, peer, reason.wireName());
        } finally {
            notifyListeners();
            try {
                host.forget(this);
            } finally {
                ended.countDown();
                thread.shutdown();
            }
        }
    }

    /** Stops the statistics and closes the connection with everything on it; returns what failed on the way. */
    private List<Exception> releaseMedia() {
        stopRestartResend();
        if (statsTicker != null) {
            statsTicker.cancel(false);
            statsTicker = null;
        }
        CallConnection closing = connection;
        connection = null;
        return closing == null ? new ArrayList<>() : closing.close();
    }

    private void notifyListeners() {
        CallState s = state;
        EndReason r = endReason;
        listeners.fire(l -> l.onStateChanged(this, s, r));
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
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
}
