package dev.parley.call;

import dev.onvoid.webrtc.RTCDataChannel;
import dev.parley.media.CallStats;
import dev.parley.media.Devices;
import dev.parley.media.RemoteAudioSink;
import dev.parley.media.RemoteVideoSink;
import dev.parley.media.VideoSource;
import dev.parley.signaling.protocol.CallMessage;
import dev.parley.signaling.protocol.ErrorMessage;
import dev.parley.signaling.protocol.Verify;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * One call, as the UI and the engine see it: its commands, getters and listeners, in front of parts with one job
 * each, all on the one thread that owns the call. Signaling messages, WebRTC callbacks and timers only enqueue work
 * on that thread (STYLE.md, "one thread owns a call"), so nothing here races. {@link CallFlow} owns the thread and
 * the call's life (setup, connecting, reconnecting, the end); {@link OwnMedia} what we send and the devices it
 * comes from; {@link Negotiator} offers, answers and candidates; {@link CallMedia} sources, tracks, sinks and the
 * screen share; {@link PeerChannel} chat and media state peer to peer; {@link ConnectionWatch} the one place where
 * WebRTC's states become call events; {@link SessionTimers} the deadlines. What the call is made with is a
 * {@link CallContext} taken when it starts; the session reaches back to the engine only through {@link Host}.
 */
public final class CallSession {

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

    /**
     * Hears the call's files, both ways: each offer, answer, cancel and end, and progress about five times a second
     * while bytes move; on the session's thread, must not block.
     */
    public interface FileListener {
        void onFile(CallSession session, FileTransfer transfer);
    }

    /** Hears the call's security code appear (or fail), on the session's thread; must not block. */
    public interface SecurityCodeListener {
        void onSecurityCode(CallSession session, SecurityCode code);
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

        /**
         * Signaling carries the set-up only (a call set up by codes): nothing can be renegotiated, so the data
         * channel goes into the first offer.
         */
        default boolean setupOnly() {
            return false;
        }
    }

    /** Longest chat message, in characters. */
    public static final int MAX_CHAT_CHARS = 4000;

    private final CallContext context;
    private final Listeners<Listener> listeners = new Listeners<>("call");
    private final Listeners<ChatListener> chatListeners = new Listeners<>("chat");
    private final Listeners<PeerMediaListener> mediaListeners = new Listeners<>("media");
    private final Listeners<StatsListener> statsListeners = new Listeners<>("stats");
    private final Listeners<SecurityCodeListener> codeListeners = new Listeners<>("security code");
    private final Listeners<FileListener> fileListeners = new Listeners<>("file");
    private final FileTransfers files;
    private final FileLinks links;
    private final String peer;
    private volatile String guestName;
    private final CallMedia media;
    private final PeerChannel channel;
    private final OwnMedia own;
    private final CallFlow flow;
    private volatile PeerMedia peerMedia = PeerMedia.INITIAL;
    private volatile CallStats stats;
    private volatile SecurityCode securityCode = SecurityCode.PENDING;

    CallSession(Host host, CallContext context, String callId, String peer, boolean outgoing) {
        this.peer = peer;
        this.context = context;
        this.media = new CallMedia(callId, context);
        this.channel = new PeerChannel(callId, this::run, new PeerChannel.Events() {
            @Override
            public void chat(String text) {
                if (state() != CallState.ENDED) {
                    chatListeners.fire(l -> l.onChat(CallSession.this, text));
                }
            }

            @Override
            public void peerMedia(PeerMedia m) {
                if (state() != CallState.ENDED && !m.equals(peerMedia)) {
                    peerMedia = m;
                    mediaListeners.fire(l -> l.onPeerMedia(CallSession.this, m));
                }
            }

            @Override
            public void opened() {
                own.tellPeer();
            }

            @Override
            public void file(PeerMessages.PeerMessage m) {
                files.message(m);
            }

            @Override
            public void verify(PeerMessages.VerifyStep step) {
                // As if signaling had brought it from the peer: the call's state and the verifier's order decide.
                // ('to' is not looked at on arrival; the peer's name stands in for ours.)
                flow.signal(new Verify(callId(), peer, peer, step.stage(), step.value()));
            }

            @Override
            public void fileChannel(RTCDataChannel c) {
                files.channel(c, false, false);
            }

            @Override
            public void fileLink(PeerMessages.PeerMessage m) {
                links.message(m);
            }

            @Override
            public void ended() {
                files.end();
                links.close();
            }
        });
        this.files = new FileTransfers(callId, new FileTransfers.Call() {
            @Override
            public void run(Runnable task) {
                CallSession.this.run(task);
            }

            @Override
            public void send(String message) {
                sendPeerMessage(message);
            }

            @Override
            public void openChannel(String label, boolean link, FileLinks.Opened then) {
                Supplier<RTCDataChannel> onCall = () -> {
                    CallConnection c = connection();
                    RTCDataChannel dc = c == null ? null : c.createDataChannel(label);
                    if (dc != null) {
                        channel.keep(dc);
                    }
                    return dc;
                };
                if (link) {
                    links.openChannel(label, onCall, then);
                } else {
                    then.opened(onCall.get(), false, false);
                }
            }

            @Override
            public void agreeLink() {
                links.agree();
            }

            @Override
            public void publish(FileTransfer t) {
                fileListeners.fire(l -> l.onFile(CallSession.this, t));
            }
        });
        this.links = new FileLinks(callId, context, this::run, this::sendPeerMessage, files::channel, () -> {
            CallStats s = stats; // this second's; none yet in the call's first second
            CallStats.Route r = s == null ? null : s.route();
            return r == null || !r.settled() ? null : r.direct();
        });
        this.own = new OwnMedia(
                this, this::callId, context, media, channel, this::connection, () -> state() != CallState.ENDED);
        this.flow = new CallFlow(
                this,
                host,
                context,
                callId,
                peer,
                outgoing,
                media,
                channel,
                own,
                listeners,
                s -> {
                    stats = s;
                    links.statsArrived();
                    statsListeners.fire(l -> l.onStats(this, s));
                },
                code -> {
                    securityCode = code;
                    codeListeners.fire(l -> l.onSecurityCode(this, code));
                });
        // A verification step that signaling cannot carry (a call set up by codes has no signaling after its set-up)
        // goes over the call's own channel: the same three steps, the same checks on arrival (PROTOCOL.md 7b, 11).
        flow.onVerifyUnsent(v -> sendPeerMessage(PeerMessages.verify(v.stage(), v.value())));
    }

    public String callId() {
        return flow.callId();
    }

    public String peer() {
        return peer;
    }

    /**
     * The name a caller who came by guest link typed, as the server vouches for it (the invite's {@code guest}
     * field), or null when the peer is a user. The peer's user name is then a random {@code guest-…} name.
     */
    public String guestName() {
        return guestName;
    }

    void setGuestName(String name) {
        guestName = name;
    }

    /** True if this side placed the call (after a glare, the side whose call survived). */
    public boolean outgoing() {
        return flow.outgoing();
    }

    public CallState state() {
        return flow.state();
    }

    /** Why the call ended, or null while it lasts. */
    public EndReason endReason() {
        return flow.endReason();
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
        return own.state();
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
        own.addListener(listener);
    }

    /**
     * The code the two people read to each other to check that nobody is in the middle (SecurityCode): pending
     * until both sides' nonces and descriptions are in, then ready, or failed if the peer broke the protocol.
     */
    public SecurityCode securityCode() {
        return securityCode;
    }

    public void addSecurityCodeListener(SecurityCodeListener listener) {
        codeListeners.add(listener);
    }

    public void addFileListener(FileListener listener) {
        fileListeners.add(listener);
    }

    /**
     * Offers {@code file} to the peer: it is hashed first (off the call's thread), then offered; the peer accepts or
     * declines, and {@link FileListener}s hear how it goes. A file that cannot be read fails at once.
     */
    public FileTransfer sendFile(Path file) {
        return files.send(file);
    }

    /** Takes an offered file into {@code folder} (the name is made safe and never replaces a file there). */
    public void acceptFile(String id, Path folder) {
        run(() -> files.accept(id, folder));
    }

    public void declineFile(String id) {
        run(() -> files.decline(id));
    }

    /** Stops a file either way; the peer is told, and a part received so far is deleted. */
    public void cancelFile(String id) {
        run(() -> files.cancel(id));
    }

    /** Whether this side moves files on file links (a test plays an older Parley without them). */
    void useFileLinks(boolean use) {
        run(() -> files.useLinks(use));
    }

    /** The call's file links (a test plays a hostile peer's link messages at them, on the call's thread). */
    FileLinks fileLinks() {
        return links;
    }

    /** Received files are written on {@code threads} from now on (a test makes a slow disk of them). */
    void useDiskThreads(java.util.concurrent.Executor threads) {
        run(() -> files.useDiskThreads(threads));
    }

    /** This side's file cancels reach the peer {@code millis} after the transfer's channel closes (for a test). */
    void delayFileCancels(long millis) {
        run(() -> files.delayCancels(millis));
    }

    /** This side's sender learns of its channel draining {@code millis} late (for a test). */
    void lagFileSender(long millis) {
        run(() -> files.lagSender(millis));
    }

    public void addStatsListener(StatsListener listener) {
        statsListeners.add(listener);
    }

    /**
     * The newest device notice (no camera, a camera gone, …), or null: a view made after the call began reads it
     * here, since the notice may have been said before it listened.
     */
    public DeviceNotice deviceNotice() {
        return own.lastNotice();
    }

    public void addDeviceListener(DeviceListener listener) {
        own.addDeviceListener(listener);
    }

    /** The cameras the call could switch to, by name (empty when it sends synthetic video). */
    public List<String> cameraNames() {
        return own.cameraNames();
    }

    /** The microphones, by name (empty without a sound system). */
    public List<String> microphoneNames() {
        return own.microphoneNames();
    }

    /** The speakers, by name (empty without a sound system). */
    public List<String> speakerNames() {
        return own.speakerNames();
    }

    /** The camera the call captures from, or null (synthetic video, no camera, no media yet). */
    public String cameraName() {
        return own.cameraName();
    }

    /**
     * Captures from another camera (by name, as the media engine lists it) without interrupting the call: the
     * peer's video goes on from the new camera. Completes with false if there is no such camera, the call sends
     * synthetic video, or it has no media (yet, or any more).
     */
    public CompletableFuture<Boolean> switchCamera(String name) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        run(() -> done.complete(own.useCamera(name)));
        if (state() == CallState.ENDED) {
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
        if (state() == CallState.ENDED) {
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
        run(() -> sendPeerMessage(PeerMessages.chat(text), sent));
        if (state() == CallState.ENDED) {
            sent.complete(false); // the session's thread is gone: nothing will answer
        }
        return sent;
    }

    /** Turns the camera on or off; the peer is told, and its view shows "camera off" instead of a frozen frame. */
    public void setCameraEnabled(boolean on) {
        run(() -> own.setCamera(on));
    }

    /** Mutes or unmutes the microphone; the peer is told. */
    public void setMicrophoneEnabled(boolean on) {
        run(() -> own.setMicrophone(on));
    }

    /**
     * Shares a screen (or a window) as a second video track, renegotiating the call. The session owns the source
     * from here on and closes it when sharing stops or the call ends. Completes with false, closing the source, if
     * the call has no media yet or already shares a screen.
     */
    public CompletableFuture<Boolean> shareScreen(VideoSource source) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        run(() -> {
            try {
                done.complete(own.shareScreen(source));
            } finally {
                done.complete(false); // whatever went wrong, the caller hears an answer
            }
        });
        if (state() == CallState.ENDED) {
            source.close();
            done.complete(false);
        }
        return done;
    }

    /** Stops sharing the screen, if it is shared. */
    public void stopScreenShare() {
        run(own::stopScreenShare);
    }

    /** Waits for the end; true if it came in time. Never call it on the FX thread. */
    public boolean awaitEnd(long millis) {
        return flow.awaitEnd(millis);
    }

    // ---- commands (any thread) ----

    /** Takes an incoming call with camera and microphone. */
    public void accept() {
        accept(true);
    }

    /** Takes an incoming call; without video the camera starts off (the user can turn it on later). */
    public void accept(boolean withVideo) {
        flow.accept(withVideo);
    }

    /** Refuses an incoming call. */
    public void decline() {
        flow.decline();
    }

    /** Ends the call from this side: a cancel while dialing, a hangup afterwards. */
    public void hangup() {
        flow.hangup();
    }

    // ---- from the engine (CallFlow) ----

    void dial() {
        flow.dial();
    }

    void invited() {
        flow.invited();
    }

    /** Calling back someone whose invite just arrived, before it rang here: CallEngine#dial. */
    void acceptCalledBack() {
        flow.acceptCalledBack();
    }

    /** Glare: the peer's call wins (CallEngine decides); CallFlow#yieldTo. */
    void yieldTo(String theirCallId) {
        flow.yieldTo(theirCallId);
    }

    /** The signaling connection dropped (CallEngine#onStateChanged). */
    void signalingLost() {
        flow.signalingLost();
    }

    /** The signaling connection is back after a drop (CallEngine#onStateChanged). */
    void signalingRestored() {
        flow.signalingRestored();
    }

    /** The devices changed (CallEngine#devicesChanged): OwnMedia#devicesChanged. */
    void devicesChanged(Devices devices) {
        run(() -> own.devicesChanged(devices));
    }

    void signal(CallMessage m) {
        flow.signal(m);
    }

    void signalError(ErrorMessage error) {
        flow.signalError(error);
    }

    /** The call's peer connection (CallFlow#connection); only on the call's thread. */
    private CallConnection connection() {
        return flow.connection();
    }

    /** On the call's thread: a data-channel message now, or once the channel is open (opening it if need be). */
    private void sendPeerMessage(String message) {
        sendPeerMessage(message, new CompletableFuture<>());
    }

    private void sendPeerMessage(String message, CompletableFuture<Boolean> sent) {
        if (channel.send(message)) {
            sent.complete(true);
        } else if (connection() != null && state() != CallState.ENDED) {
            channel.sendWhenOpen(message, sent);
            connection().openChannel();
        } else {
            sent.complete(false);
        }
    }

    /** Runs on the call's thread; after the end, commands are ignored. Never throws to the caller. */
    void run(Runnable task) {
        flow.run(task);
    }
}
