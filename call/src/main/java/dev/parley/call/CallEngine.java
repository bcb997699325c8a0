package dev.parley.call;

import dev.parley.media.DtlsIdentity;
import dev.parley.media.MediaEngine;
import dev.parley.signaling.client.ConnectionState;
import dev.parley.signaling.client.SignalingClient;
import dev.parley.signaling.protocol.Busy;
import dev.parley.signaling.protocol.CallMessage;
import dev.parley.signaling.protocol.ErrorMessage;
import dev.parley.signaling.protocol.IceServer;
import dev.parley.signaling.protocol.Invite;
import dev.parley.signaling.protocol.MediaKind;
import dev.parley.signaling.protocol.Message;
import dev.parley.signaling.protocol.Welcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes and takes calls: one {@link CallSession} per call, over one signaling client and one media engine.
 * Signaling messages are handed to their session's own thread; an invite while a call is in progress is
 * answered {@code busy}. One call at a time, as a desktop call app has.
 */
public final class CallEngine implements AutoCloseable, SignalingClient.Listener {
    private static final Logger log = LoggerFactory.getLogger(CallEngine.class);

    /** Hears about incoming calls. Called on a session's thread; must not block. */
    public interface Listener {
        void onIncomingCall(CallSession session);
    }

    private final MediaEngine media;
    private final SignalingClient signaling;
    private volatile CallOptions options;
    private final Listener listener;
    private final Map<String, CallSession> sessions = new ConcurrentHashMap<>();
    private volatile List<IceServer> extraIceServers = List.of();
    private volatile String preferredCamera;
    private volatile DtlsIdentity identity;
    private final AutoCloseable deviceWatch;

    public CallEngine(MediaEngine media, SignalingClient signaling, CallOptions options, Listener listener) {
        CompletableFuture.runAsync(Verification::warmUp); // not on a call's thread, where a stall costs the call
        this.media = media;
        this.signaling = signaling;
        this.options = options;
        this.listener = listener;
        signaling.addListener(this);
        // A camera plugged in or pulled out: the call in progress moves to another camera, or turns it off.
        this.deviceWatch = media.watchDevices(
                devices -> sessions.values().forEach(s -> s.devicesChanged(devices)), Duration.ofSeconds(2));
    }

    /**
     * Calls a user. The session starts in DIALING; watch it with {@link CallSession#addListener}. Calling someone
     * whose call to us is ringing takes that call instead: both wanted the same conversation.
     */
    public synchronized CallSession dial(String user) {
        for (CallSession s : sessions.values()) {
            if (!s.outgoing() && s.peer().equals(user) && s.state() == CallState.RINGING) {
                s.accept();
                return s;
            }
            // IDLE: their invite has just arrived and the ringing is still queued; the accept queues behind it,
            // and the call is not announced as ringing (the user is the one calling).
            if (!s.outgoing() && s.peer().equals(user) && s.state() == CallState.IDLE) {
                s.acceptCalledBack();
                return s;
            }
        }
        if (busy()) {
            throw new IllegalStateException("already in a call");
        }
        CallSession session = new CallSession(host, context(), UUID.randomUUID().toString(), user, true);
        sessions.put(session.callId(), session);
        session.dial();
        return session;
    }

    /** The call in progress, if any. */
    public List<CallSession> activeCalls() {
        return sessions.values().stream()
                .filter(s -> s.state() != CallState.ENDED)
                .toList();
    }

    private boolean busy() {
        return sessions.values().stream().anyMatch(s -> s.state() != CallState.ENDED);
    }

    @Override
    public void onMessage(Message message) {
        try {
            if (message instanceof Invite invite) {
                incoming(invite);
            } else if (message instanceof CallMessage call) {
                CallSession session = sessions.get(call.callId());
                if (session != null) {
                    session.signal(call);
                }
            } else if (message instanceof ErrorMessage error && error.callId() != null) {
                CallSession session = sessions.get(error.callId());
                if (session != null) {
                    session.signalError(error);
                }
            }
        } catch (RuntimeException e) {
            log.error("Failed to handle {}", message.getClass().getSimpleName(), e);
        }
    }

    /**
     * The signaling connection dropped. A call still being set up cannot go on without it: the server ends the
     * unanswered calls of a device that goes away, and an offer or answer still to come can no longer arrive.
     * Calls whose descriptions are exchanged keep going (ICE needs no server), and so do connected calls.
     */
    @Override
    public void onStateChanged(ConnectionState state, String detail) {
        if (!sessions.isEmpty()) {
            log.info("Signaling {} during a call: {}", state.name().toLowerCase(Locale.ROOT), detail);
        }
        if (state == ConnectionState.RECONNECTING || state.isTerminal()) {
            sessions.values().forEach(CallSession::signalingLost);
        } else if (state == ConnectionState.CONNECTED) {
            sessions.values().forEach(CallSession::signalingRestored);
        }
    }

    private synchronized void incoming(Invite invite) {
        if (sessions.containsKey(invite.callId())) {
            return;
        }
        CallSession mine = crossing(invite);
        if (mine != null) {
            // Glare: we are calling the very person who calls us. Both sides keep the call with the smaller id,
            // so they agree without talking: the loser withdraws its invite and accepts the winner's.
            if (invite.callId().compareTo(mine.callId()) < 0) {
                sessions.remove(mine.callId(), mine);
                sessions.put(invite.callId(), mine);
                mine.yieldTo(invite.callId());
            }
            return; // else ours wins: the peer yields to it, and its invite needs no answer
        }
        if (busy()) {
            signaling.send(new Busy(invite.callId(), null, invite.from()));
            return;
        }
        CallSession session = new CallSession(host, context(), invite.callId(), invite.from(), false);
        session.setGuestName(invite.guest());
        sessions.put(session.callId(), session);
        session.invited();
    }

    /** Our own unanswered call to whoever sent this invite, if any. */
    private CallSession crossing(Invite invite) {
        for (CallSession s : sessions.values()) {
            if (s.outgoing()
                    && s.peer().equals(invite.from())
                    && (s.state() == CallState.DIALING || s.state() == CallState.IDLE)) { // IDLE: dial() still queued
                return s;
            }
        }
        return null;
    }

    /** What a call starting now is made with: the options, STUN/TURN servers and camera of this moment. */
    private CallContext context() {
        List<IceServer> servers = new ArrayList<>(extraIceServers);
        Welcome welcome = signaling.session();
        if (welcome != null) {
            servers.addAll(welcome.iceServers());
        }
        return new CallContext(media, options, servers, preferredCamera, identity);
    }

    /** How calls set up from now on are made (a call in progress keeps its own: its CallContext). */
    public void setOptions(CallOptions next) {
        options = Objects.requireNonNull(next);
    }

    /** STUN/TURN servers of the user's own, used by calls set up from now on besides those the server gives. */
    public void setExtraIceServers(List<IceServer> servers) {
        extraIceServers = List.copyOf(servers);
    }

    /** The camera calls use from now on, by name; null or an absent name means the first camera. */
    /**
     * The DTLS certificate calls present from now on (null: a new one per call, made by libwebrtc). With one kept
     * per installation, a peer sees the same fingerprint on every call and can remember it as verified.
     */
    public void setIdentity(DtlsIdentity id) {
        identity = id;
    }

    public void setPreferredCamera(String name) {
        preferredCamera = name;
    }

    /** What the sessions may ask of the engine, and nothing more. */
    private final CallSession.Host host = new CallSession.Host() {
        @Override
        public boolean send(CallMessage message) {
            return signaling.send(message);
        }

        @Override
        public void checkLink(Duration within) {
            signaling.checkLink(within);
        }

        @Override
        public void announceIncoming(CallSession session) {
            listener.onIncomingCall(session);
        }

        @Override
        public void forget(CallSession session) {
            sessions.remove(session.callId(), session);
        }

        @Override
        public void yieldHeadlessRecording() {
            media.yieldHeadlessRecording();
        }

        @Override
        public boolean setupOnly() {
            return signaling instanceof PaperSignaling;
        }
    };

    static Set<MediaKind> audioVideo() {
        return Set.of(MediaKind.AUDIO, MediaKind.VIDEO);
    }

    /** Hangs up every call and stops listening. The media engine and signaling client stay the owner's. */
    @Override
    public void close() {
        signaling.removeListener(this);
        try {
            deviceWatch.close();
        } catch (Exception e) {
            log.warn("Stopping the device watch failed: {}", e.toString());
        }
        for (CallSession s : sessions.values()) {
            s.hangup();
            s.awaitEnd(5_000);
        }
    }
}
