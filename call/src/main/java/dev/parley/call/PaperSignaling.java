package dev.parley.call;

import dev.parley.signaling.client.ConnectionState;
import dev.parley.signaling.client.SignalingClient;
import dev.parley.signaling.protocol.Accept;
import dev.parley.signaling.protocol.Answer;
import dev.parley.signaling.protocol.Busy;
import dev.parley.signaling.protocol.CallMessage;
import dev.parley.signaling.protocol.Cancel;
import dev.parley.signaling.protocol.Candidate;
import dev.parley.signaling.protocol.Decline;
import dev.parley.signaling.protocol.Hangup;
import dev.parley.signaling.protocol.IceServer;
import dev.parley.signaling.protocol.Invite;
import dev.parley.signaling.protocol.Message;
import dev.parley.signaling.protocol.Offer;
import dev.parley.signaling.protocol.Verify;
import dev.parley.signaling.protocol.Welcome;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signaling on paper: a {@link SignalingClient} with no server, for one call set up by trading two
 * {@link InviteCode}s. What the call engine sends while setting up its call (the invite, the offer or answer, the
 * candidates) is gathered into this side's code; the other side's code is played to the engine as if a server had
 * routed it — the invite first and, as the server does, the offer and candidates only once this side accepts.
 * Whatever is sent after the set-up (a hang-up, an ICE restart) has nowhere to go and is dropped: the call's media
 * needs no server, and a hang-up also reaches the peer as the connection's close.
 *
 * <p>Listeners are called one at a time, in order, on a thread of the client's own, as the interface promises.
 */
public final class PaperSignaling implements SignalingClient {
    private static final Logger log = LoggerFactory.getLogger(PaperSignaling.class);

    private final Welcome welcome;
    private final Clock clock;
    private final Duration ttl;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService events;
    private final CompletableFuture<InviteCode> code = new CompletableFuture<>();
    private final List<CallMessage> gathered = new ArrayList<>(); // guarded by this
    private final List<CallMessage> held = new ArrayList<>(); // the peer's offer and candidates until we accept
    private String peer; // the other side's name, as this side's call knows it
    private boolean answered; // an answer code was played
    private boolean closed;

    /**
     * @param user       this side's name (a valid user name; what the other side's call shows)
     * @param iceServers STUN/TURN servers for the call (the user's own: there is no server to hand any out)
     */
    public PaperSignaling(String user, List<IceServer> iceServers, Clock clock, Duration ttl) {
        this.welcome = new Welcome(
                user, "paper", UUID.randomUUID().toString(), null, 0, iceServers, 3600, "no server (invite codes)");
        this.clock = clock;
        this.ttl = ttl;
        this.events = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "parley-paper-signaling");
            t.setDaemon(true);
            return t;
        });
    }

    /** How long this side's candidates may take: then the code is made with those found by then. */
    public static final Duration GATHERING_LIMIT = Duration.ofSeconds(20);

    /**
     * This side's code, once its set-up is gathered: its last candidate, or {@link #GATHERING_LIMIT} after its first
     * message with the candidates found by then (or {@link #finishGathering}).
     */
    public CompletableFuture<InviteCode> code() {
        return code;
    }

    /** Makes this side's code from what is gathered so far (gathering took too long: the candidates found will do). */
    public synchronized void finishGathering() {
        complete();
    }

    /**
     * Plays the other side's code to the call engine: an invite code rings (its offer waits for this side's accept),
     * an answer code answers the call this side placed.
     *
     * @throws InviteCode.BadCode if the code is not the half this side is waiting for
     */
    public void play(InviteCode other) throws InviteCode.BadCode {
        List<CallMessage> now = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                throw new InviteCode.BadCode(InviteCode.BadCode.Reason.DAMAGED, "this call is over");
            }
            if (other.kind() == InviteCode.Kind.INVITE) {
                if (peer != null) {
                    throw new InviteCode.BadCode(
                            InviteCode.BadCode.Reason.WRONG_HALF,
                            "this is an invite code; an answer code was expected");
                }
                peer = other.from();
                List<CallMessage> stamped = stamp(other.messages());
                now.add(stamped.get(0)); // the invite
                held.addAll(stamped.subList(1, stamped.size()));
            } else {
                boolean invited = !gathered.isEmpty() && gathered.get(0) instanceof Invite;
                String callId = invited ? gathered.get(0).callId() : null;
                if (!invited || peer == null) {
                    throw new InviteCode.BadCode(
                            InviteCode.BadCode.Reason.WRONG_HALF,
                            "this is an answer code, but this side made no invite");
                }
                if (!other.callId().equals(callId)) {
                    throw new InviteCode.BadCode(
                            InviteCode.BadCode.Reason.WRONG_HALF,
                            "this answer code is for another invite (was an older code pasted?)");
                }
                if (answered) {
                    throw new InviteCode.BadCode(
                            InviteCode.BadCode.Reason.WRONG_HALF, "this invite has its answer already");
                }
                answered = true;
                now.addAll(stamp(other.messages()));
            }
        }
        now.forEach(this::dispatch);
    }

    /** The peer's messages as a server would deliver them: stamped with the sender this side's call knows. */
    private List<CallMessage> stamp(List<CallMessage> messages) {
        return messages.stream()
                .map(m -> m.withFrom(peer))
                // A guest's name is something only a server vouches for; a pasted code cannot claim one.
                .map(m -> m instanceof Invite invite ? invite.withGuest(null) : m)
                .toList();
    }

    private void dispatch(Message m) {
        if (events.isShutdown()) {
            return; // closed
        }
        events.execute(() -> {
            for (Listener l : listeners) {
                try {
                    l.onMessage(m);
                } catch (RuntimeException e) {
                    log.error("A signaling listener failed", e);
                }
            }
        });
    }

    @Override
    public CompletableFuture<Welcome> connect() {
        return CompletableFuture.completedFuture(welcome);
    }

    @Override
    public boolean send(Message message) {
        if (!(message instanceof CallMessage call)) {
            return true; // presence, subscriptions, pings: nobody to tell
        }
        List<CallMessage> release = List.of();
        synchronized (this) {
            if (closed) {
                return false;
            }
            if (code.isDone()) {
                // No server to carry it: the call's own channel carries what it must (a verification step).
                log.debug(
                        "No server: {} after the set-up is not sent",
                        call.getClass().getSimpleName());
                return false;
            }
            if (call instanceof Invite invite) {
                peer = invite.to();
            }
            if (gathered.isEmpty()) { // gathering starts: it may take so long, no longer
                CompletableFuture.delayedExecutor(GATHERING_LIMIT.toMillis(), TimeUnit.MILLISECONDS)
                        .execute(this::finishGathering);
            }
            gathered.add(call);
            if (call instanceof Accept) {
                release = List.copyOf(held);
                held.clear();
            }
            if (call instanceof Candidate c && c.endOfCandidates()) {
                complete();
            }
            if (call instanceof Hangup || call instanceof Cancel || call instanceof Decline || call instanceof Busy) {
                // The call ended before its code was written (a bad offer, a hang-up): no code for it.
                code.completeExceptionally(new IllegalStateException("the call ended before its code was written"));
            }
        }
        release.forEach(this::dispatch);
        return true;
    }

    /** Makes the code from what was gathered, once. Holds the lock. */
    private void complete() {
        if (code.isDone() || gathered.isEmpty()) {
            return;
        }
        InviteCode.Kind kind = gathered.get(0) instanceof Invite ? InviteCode.Kind.INVITE : InviteCode.Kind.ANSWER;
        // Only the set-up travels: a ringing, a verification or the end-of-candidates mark has no place in a code;
        // the opening message, then the description, then the candidates (a reader takes no other order), at most
        // as many as a reader takes — those reaching furthest first: relay, then server-reflexive, then host.
        List<CallMessage> head = new ArrayList<>();
        List<Candidate> candidates = new ArrayList<>();
        Verify step = null; // the caller's commitment or the callee's nonce, when already sent
        for (CallMessage m : gathered) {
            if (m instanceof Invite || m instanceof Accept) {
                head.add(0, m);
            } else if (m instanceof Offer || m instanceof Answer) {
                head.add(m);
            } else if (m instanceof Verify v
                    && v.stage().equals(kind == InviteCode.Kind.INVITE ? Verify.COMMIT : Verify.NONCE)) {
                step = v;
            } else if (m instanceof Candidate c && !c.endOfCandidates()) {
                candidates.add(c);
            }
        }
        if (head.size() == 2 && step != null) {
            head.add(step);
        }
        if (head.size() < 2) {
            code.completeExceptionally(new IllegalStateException("the call's set-up is not complete"));
            return;
        }
        candidates.sort(Comparator.comparingInt(PaperSignaling::reach));
        List<CallMessage> messages = new ArrayList<>(head);
        messages.addAll(candidates.subList(0, Math.min(candidates.size(), InviteCode.MAX_CANDIDATES)));
        code.complete(new InviteCode(kind, welcome.user(), clock.instant().plus(ttl), messages));
    }

    /** 0 for a relay, 1 server-reflexive, 2 anything else: the order candidates go into a code. */
    private static int reach(Candidate c) {
        String line = c.candidate() == null ? "" : c.candidate();
        return line.contains(" typ relay") ? 0 : line.contains(" typ srflx") ? 1 : 2;
    }

    @Override
    public void reconnectNow() {}

    @Override
    public void checkLink(Duration within) {}

    @Override
    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    @Override
    public ConnectionState state() {
        return ConnectionState.CONNECTED;
    }

    @Override
    public Welcome session() {
        return welcome;
    }

    @Override
    public synchronized void close() {
        closed = true;
        code.cancel(false);
        events.shutdown();
    }
}
