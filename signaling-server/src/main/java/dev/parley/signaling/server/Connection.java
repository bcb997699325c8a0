package dev.parley.signaling.server;

import dev.parley.signaling.protocol.DecodeResult;
import dev.parley.signaling.protocol.ErrorCode;
import dev.parley.signaling.protocol.ErrorMessage;
import dev.parley.signaling.protocol.Hello;
import dev.parley.signaling.protocol.Message;
import dev.parley.signaling.protocol.MessageCodec;
import dev.parley.signaling.protocol.Ping;
import dev.parley.signaling.protocol.PresenceStatus;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's WebSocket: turns its frames into messages, lets through only what its phase allows (a {@code hello}
 * to {@link SignIn}, then everything else to the {@link Hub}), and queues what the server sends it. Its {@link Wire}
 * hands it one frame at a time (pausing while {@link #onFrame} says so), so its {@link TextAssembler}, its
 * {@link TokenBucket} and the phase need no locks. The sign-in runs on a separate executor, because password hashing
 * is slow, and no further message is read until it is done.
 */
final class Connection implements Wire.Handler, Endpoint {
    private static final Logger log = LoggerFactory.getLogger(Connection.class);

    enum Phase {
        AWAITING_HELLO,
        AUTHENTICATING,
        AUTHENTICATED,
        CLOSED
    }

    private final ServerContext ctx;
    private final long openedNanos = System.nanoTime();
    private volatile Wire session;
    /** Changes only by compare-and-set, so a close can never be overwritten by a sign-in finishing. */
    private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.AWAITING_HELLO);

    private volatile long lastHeardNanos = openedNanos;
    private volatile long lastPingSentNanos;
    private volatile String user;
    private volatile String device;
    private volatile InetAddress openedFrom;
    /** For a guest signed in by link: the link (whose owner is the only user it may call) and its display name. */
    private volatile GuestLinks.Link guestLink;

    private volatile String guestName;
    /** True while this guest counts against its link's cap on guests; given back once, by whoever comes first. */
    private final AtomicBoolean countedAsGuest = new AtomicBoolean();
    /** True while this connection counts against its address's cap on connections that have not signed in. */
    private final AtomicBoolean countedAsUnauthenticated = new AtomicBoolean();

    /** Guarded by the hub's lock. */
    private volatile PresenceStatus status = PresenceStatus.ONLINE;
    /** Guarded by the hub's lock. */
    private Set<String> watching = Set.of();

    // Touched only by the thread that reads this connection's current frame.
    private final TextAssembler assembler;
    private final TokenBucket rate;

    Connection(ServerContext ctx) {
        this.ctx = ctx;
        this.assembler = new TextAssembler(ctx.limits().hardMessageBytes());
        this.rate =
                new TokenBucket(ctx.limits().messagesPerSecond(), ctx.limits().burst(), System::nanoTime);
    }

    @Override
    public String user() {
        return user;
    }

    @Override
    public String device() {
        return device;
    }

    @Override
    public PresenceStatus status() {
        return status;
    }

    @Override
    public void setStatus(PresenceStatus status) {
        this.status = status;
    }

    @Override
    public Set<String> watching() {
        return watching;
    }

    @Override
    public void setWatching(Set<String> users) {
        this.watching = users;
    }

    Phase phase() {
        return phase.get();
    }

    /** Marks this connection as a guest of {@code link}'s owner, named {@code name}; set once, while signing in. */
    void guestOf(GuestLinks.Link link, String name) {
        guestLink = link;
        guestName = name;
        countedAsGuest.set(true);
    }

    /** This guest's link was revoked: it is told so and signed out (a connected call goes on without the server). */
    void linkRevoked() {
        send(ErrorMessage.of(ErrorCode.AUTH_FAILED, "the link you came with was revoked"));
        close(Wire.POLICY_VIOLATION, "link revoked");
    }

    /** Gives back this guest's place on its link (once; a no-op for a user). */
    void leaveGuest() {
        GuestLinks.Link link = guestLink;
        if (link != null && countedAsGuest.getAndSet(false)) {
            ctx.links().left(link.token());
        }
    }

    /** The link this guest signed in with, or null for a user. */
    GuestLinks.Link guestLink() {
        return guestLink;
    }

    /** The guest's display name, or null for a user. */
    String guestName() {
        return guestName;
    }

    @Override
    public void onOpen(Wire s) {
        session = s;
        ctx.connections().add(this);
        InetAddress address = remoteAddress();
        openedFrom = address; // the session may not know it any more once closed
        if (ctx.caps().openedUnauthenticated(address)) {
            countedAsUnauthenticated.set(true);
        } else {
            log.info(
                    "Refusing a connection from {}: {} connections from there have not signed in",
                    address,
                    ctx.caps().unauthenticatedFrom(address));
            send(ErrorMessage.of(
                    ErrorCode.RATE_LIMITED,
                    "too many connections from your address have not signed in" + " (at most "
                            + ctx.limits().maxUnauthenticatedPerAddress() + "); try again later"));
            close(Wire.TRY_AGAIN_LATER, "too many unauthenticated connections");
        }
    }

    /** Uncounts this connection from its address's connections that have not signed in, once. */
    private void leaveUnauthenticated() {
        if (countedAsUnauthenticated.getAndSet(false)) {
            ctx.caps().leftUnauthenticated(openedFrom);
        }
    }

    @Override
    public boolean onFrame(byte opcode, boolean fin, ByteBuffer payload) {
        if (opcode == Wire.BINARY || (opcode == Wire.CONTINUATION && assembler.inBinary())) {
            // Binary data is refused, but it still counts against the size limit and the rate limit.
            if (!assembler.skipBinary(payload, opcode == Wire.BINARY, fin)) {
                close(Wire.MESSAGE_TOO_LARGE, "message too big");
                return false;
            }
            if (admit() && fin) {
                send(ErrorMessage.of(
                        ErrorCode.INVALID_MESSAGE, "binary messages are not part of the protocol; send JSON text"));
            }
            return phase.get() != Phase.CLOSED;
        }
        if (opcode == Wire.PING || opcode == Wire.PONG) {
            return controlFrame(opcode, payload);
        }
        String text;
        try {
            text = assembler.text(payload, fin);
        } catch (CharacterCodingException e) {
            close(Wire.BAD_PAYLOAD, "invalid UTF-8");
            return false;
        } catch (TextAssembler.TooLarge e) {
            close(Wire.MESSAGE_TOO_LARGE, "message too big");
            return false;
        }
        if (text == null) {
            return true; // more fragments to come
        }
        boolean more = true;
        try {
            more = handle(text);
        } catch (RuntimeException e) {
            log.error("Failed to handle a message from {}", who(), e);
            send(ErrorMessage.of(ErrorCode.INTERNAL, "the server failed to process the message"));
        }
        return more && phase.get() != Phase.CLOSED;
    }

    /**
     * A PING gets a PONG with the same payload (RFC 6455 section 5.5.2); an unsolicited PONG is ignored (section
     * 5.5.3). Both cost a token like a message, so a flood of control frames is dropped, warned about and cut off like
     * any other.
     */
    private boolean controlFrame(byte opcode, ByteBuffer payload) {
        if (admit() && opcode == Wire.PING) {
            Wire s = session;
            if (s != null && s.isOutputOpen()) {
                s.sendPong(payload);
            }
        }
        return phase.get() != Phase.CLOSED;
    }

    @Override
    public void onClosed(int code) {
        log.debug("{} closed: {}", who(), code);
        closed();
    }

    private void closed() {
        if (phase.getAndSet(Phase.CLOSED) == Phase.CLOSED) {
            return;
        }
        ctx.connections().remove(this);
        leaveUnauthenticated();
        if (user != null) {
            ctx.caps().releaseDevice(user, device, this);
        }
        leaveGuest();
        ctx.hub().unregister(this);
    }

    /** Returns false if reading must pause (authentication in progress). */
    private boolean handle(String text) {
        lastHeardNanos = System.nanoTime();
        ctx.messagesIn().increment();
        if (!admit()) {
            return true;
        }
        DecodeResult result = ctx.codec().decode(text);
        if (result instanceof DecodeResult.Failure failure) {
            send(failure.toErrorMessage());
            return true;
        }
        Message message = ((DecodeResult.Decoded) result).message();
        Phase now = phase.get();
        if (now == Phase.AWAITING_HELLO) {
            if (message instanceof Hello hello) {
                if (phase.compareAndSet(Phase.AWAITING_HELLO, Phase.AUTHENTICATING)) {
                    ctx.signIn().start(this, hello);
                }
                return false;
            }
            send(new ErrorMessage(
                    ErrorCode.NOT_AUTHENTICATED, "send hello first", MessageCodec.typeOf(message.getClass()), null));
            return true;
        }
        if (now != Phase.AUTHENTICATED) {
            return false; // closing, or (never, since reading pauses) still signing in
        }
        SignedInMessages.handle(ctx, this, message);
        return true;
    }

    /** Counts a message as {@code messages} messages against the rate limit (one that makes the server send many). */
    void charge(double messages) {
        rate.charge(messages);
    }

    /** Rate limiting: excess messages are dropped with at most one error a second; a flood ends the connection. */
    private boolean admit() {
        TokenBucket.Verdict verdict = rate.take();
        if (verdict == TokenBucket.Verdict.DROP_AND_WARN) {
            ServerConfig.Limits limits = ctx.limits();
            send(ErrorMessage.of(
                    ErrorCode.RATE_LIMITED,
                    "too many messages: at most "
                            + (int) limits.messagesPerSecond() + " a second (bursts of " + limits.burst()
                            + "); messages are being dropped"));
        } else if (verdict == TokenBucket.Verdict.CUT_OFF) {
            log.warn("Closing {}: message flood", who());
            close(Wire.POLICY_VIOLATION, "message flood");
        }
        return verdict == TokenBucket.Verdict.ADMIT;
    }

    /** True while a sign-in may still finish: not closed, and within the sign-in timeout. */
    boolean awaitingSignIn() {
        Wire s = session;
        return phase.get() == Phase.AUTHENTICATING
                && s != null
                && s.isOutputOpen()
                && System.nanoTime() - openedNanos <= ctx.limits().authTimeout().toNanos();
    }

    /**
     * Takes one of {@code user}'s device places for this connection (see {@link ConnectionCaps#takeDevice}); false
     * if the user is signed in on as many other devices as allowed. Call before {@link #signedIn}.
     */
    boolean takeDevicePlace(String user, String device) {
        return ctx.caps().takeDevice(user, device, this);
    }

    /**
     * The sign-in succeeded: this connection is {@code user}'s {@code device}. False if it closed meanwhile; the
     * device place taken for it is then given back.
     */
    boolean signedIn(String user, String device) {
        this.user = user;
        this.device = device;
        if (phase.compareAndSet(Phase.AUTHENTICATING, Phase.AUTHENTICATED)) {
            leaveUnauthenticated();
            return true;
        }
        ctx.caps().releaseDevice(user, device, this); // closed() may have run before user was set
        return false;
    }

    /** The hub knows this connection now: read on, or, if it closed while being registered, undo that. */
    void registered() {
        if (phase.get() == Phase.CLOSED) {
            ctx.hub().unregister(this);
        } else {
            session.resume();
        }
    }

    /** Called every few seconds by the server's sweeper. */
    void sweep(long now) {
        ServerConfig.Limits limits = ctx.limits();
        Phase phase = this.phase.get();
        if (phase == Phase.AWAITING_HELLO || phase == Phase.AUTHENTICATING) {
            if (now - openedNanos > limits.authTimeout().toNanos()) {
                send(ErrorMessage.of(
                        ErrorCode.TIMEOUT,
                        "no sign-in within " + limits.authTimeout().toSeconds() + " s"));
                close(Wire.POLICY_VIOLATION, "authentication timeout");
            }
            return;
        }
        if (phase != Phase.AUTHENTICATED) {
            return;
        }
        long silent = now - lastHeardNanos;
        if (silent > limits.idleTimeout().toNanos()) {
            log.info("Closing {}: silent for {} s", who(), TimeUnit.NANOSECONDS.toSeconds(silent));
            send(ErrorMessage.of(
                    ErrorCode.TIMEOUT,
                    "no message or ping for " + limits.idleTimeout().toSeconds() + " s"));
            close(Wire.SHUTDOWN, "idle timeout");
        } else if (silent > limits.pingInterval().toNanos() * 3 / 2
                && now - lastPingSentNanos > limits.pingInterval().toNanos()) {
            lastPingSentNanos = now;
            send(new Ping(now));
        }
    }

    void send(Message message) {
        sendText(ctx.codec().encode(message));
    }

    /** Queues a text; never blocks. A client that does not read its messages is disconnected. */
    @Override
    public void sendText(String text) {
        Wire s = session;
        if (s == null || !s.isOutputOpen()) {
            return;
        }
        long pending = s.queuedBytes() + text.length();
        if (pending > ctx.limits().maxOutboundBytes()) {
            log.warn("Disconnecting {}: {} bytes unread", who(), pending);
            // Not from here: we may be inside the hub's lock, and closing calls back into the hub.
            ctx.scheduler().execute(s::abort);
            return;
        }
        s.sendText(text);
    }

    /**
     * Starts the close handshake (the wire reads on for the peer's answer even if this connection had paused it); a
     * connection still not closed two seconds later is aborted rather than left to the idle timeout.
     */
    void close(int code, String reason) {
        Wire s = session;
        if (s != null && s.isOutputOpen()) {
            s.close(code, reason);
            ctx.scheduler()
                    .schedule(
                            () -> {
                                if (!s.isClosed()) {
                                    s.abort();
                                }
                            },
                            2,
                            TimeUnit.SECONDS);
        }
    }

    /**
     * Refuses a sign-in: sends the error and starts the close handshake, which reads on (the sign-in had paused
     * reading), so that the peer's close (or its dropped connection) ends this one at once instead of after close's
     * 2 s abort. Refused sign-ins come fast during a flood and must not pile up.
     */
    void refuseSignIn(ErrorMessage error, int code, String reason) {
        send(error);
        close(code, reason);
    }

    /** The peer's address, or null if not known. */
    InetAddress remoteAddress() {
        Wire s = session;
        return s != null && s.remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : openedFrom;
    }

    String remote() {
        Wire s = session;
        return s == null ? "?" : String.valueOf(s.remoteAddress());
    }

    /**
     * For logs. Safe as it is: the user name and the device id passed the protocol's checks (or the device id is
     * the server's own UUID); any other text a client chose goes through {@link LogSafe#quote}.
     */
    String who() {
        return user == null ? "connection from " + remote() : user + "/" + device;
    }
}
