package dev.parley.signaling.client;

import dev.parley.signaling.protocol.DecodeResult;
import dev.parley.signaling.protocol.ErrorCode;
import dev.parley.signaling.protocol.ErrorMessage;
import dev.parley.signaling.protocol.Hello;
import dev.parley.signaling.protocol.Message;
import dev.parley.signaling.protocol.MessageCodec;
import dev.parley.signaling.protocol.Ping;
import dev.parley.signaling.protocol.Pong;
import dev.parley.signaling.protocol.Presence;
import dev.parley.signaling.protocol.Subscribe;
import dev.parley.signaling.protocol.Welcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The {@link SignalingClient} for every transport: connection lifecycle, sign-in, keep-alive, reconnection with
 * exponential backoff and equal jitter ({@link Backoff}), and a bounded queue of messages sent while disconnected
 * ({@link ResendBuffer}).
 *
 * <p>State is guarded by {@code this}; transport events and timers run on a private serial executor, and
 * listeners on another one, so a slow listener never delays keep-alive.
 */
final class ReconnectingSignalingClient implements SignalingClient {
    private static final Logger log = LoggerFactory.getLogger(ReconnectingSignalingClient.class);
    static final String CLIENT_NAME = "parley/0.1";

    private final ClientConfig config;
    private final Transport transport;
    private final MessageCodec codec;
    private final ScheduledExecutorService timers;
    private final Executor loop;
    private final Listeners listeners;
    private final CompletableFuture<Welcome> firstWelcome = new CompletableFuture<>();

    // Guarded by this.
    private ConnectionState state = ConnectionState.IDLE;
    private Transport.Link link;
    private long linkGeneration;
    private boolean signedIn;
    private Welcome welcome;
    private String token;
    private final Backoff backoff;
    private Subscribe subscription;
    private Presence ownPresence;
    private final ResendBuffer resend;
    private ScheduledFuture<?> pending;
    private ScheduledFuture<?> keepAlive;
    private long pingSentNanos;

    ReconnectingSignalingClient(ClientConfig config, Transport transport, MessageCodec codec, Executor pool,
                                ScheduledExecutorService timers) {
        this.config = config;
        this.transport = transport;
        this.codec = codec;
        this.timers = timers;
        this.backoff = new Backoff(config.backoffMin(), config.backoffMax());
        this.resend = new ResendBuffer(config.sendQueueLimit());
        this.loop = new SerialExecutor(pool);
        this.listeners = new Listeners(new SerialExecutor(pool));
    }

    @Override
    public CompletableFuture<Welcome> connect() {
        synchronized (this) {
            if (state == ConnectionState.IDLE) {
                setState(ConnectionState.CONNECTING, "connecting to " + config.server());
                loop.execute(this::attempt);
            }
        }
        return firstWelcome;
    }

    @Override
    public boolean send(Message message) {
        String text = codec.encode(message);
        synchronized (this) {
            if (state.isTerminal()) {
                return false;
            }
            boolean restoredOnReconnect = false;
            if (message instanceof Subscribe s) {
                subscription = s; // restored after every reconnect
                restoredOnReconnect = true;
            } else if (message instanceof Presence p) {
                ownPresence = p;
                restoredOnReconnect = true;
            }
            if (signedIn && link != null && link.send(text)) {
                return true;
            }
            if (restoredOnReconnect) {
                return true; // sent with the next sign-in anyway; queuing it too would send it twice
            }
            if (!resend.offer(text)) {
                log.warn("Send queue full ({} messages); dropping {}", resend.size(), message.getClass().getSimpleName());
                return false;
            }
            return true;
        }
    }

    @Override
    public void reconnectNow() {
        synchronized (this) {
            if ((state != ConnectionState.RECONNECTING && state != ConnectionState.CONNECTING) || link != null
                    || pending == null) {
                return; // connected, closed, failed, or an attempt is already under way
            }
            pending.cancel(false);
            pending = null;
        }
        loop.execute(this::attempt);
    }

    @Override
    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    @Override
    public synchronized ConnectionState state() {
        return state;
    }

    @Override
    public synchronized Welcome session() {
        return welcome;
    }

    @Override
    public void close() {
        Transport.Link toClose;
        synchronized (this) {
            if (state.isTerminal()) {
                return;
            }
            setState(ConnectionState.CLOSED, "closed");
            toClose = link;
            link = null;
            cancelTimers();
            resend.clear();
        }
        if (toClose != null) {
            toClose.close(1000, "bye");
        }
        firstWelcome.completeExceptionally(new SignalingException(null, "the signaling client was closed"));
    }

    // ---- on the loop executor ----

    private void attempt() {
        long generation;
        synchronized (this) {
            if (state.isTerminal()) {
                return;
            }
            generation = ++linkGeneration;
            signedIn = false;
        }
        Transport.Link.Receiver receiver = new Transport.Link.Receiver() {
            @Override
            public void onText(String text) {
                loop.execute(() -> received(generation, text));
            }

            @Override
            public void onClosed(int code, String reason) {
                loop.execute(() -> lost(generation, "connection closed (" + code + (reason == null || reason.isEmpty()
                        ? "" : ": " + reason) + ")"));
            }
        };
        CompletableFuture<Transport.Link> opening;
        try {
            opening = transport.open(config.server(), config, receiver);
        } catch (RuntimeException e) {
            opening = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Transport.Link> timed = opening.copy()
                .orTimeout(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        timed.whenComplete((opened, error) -> loop.execute(() -> opened(generation, opened, error)));
        // A link that arrives after the timeout belongs to nobody: close it.
        opening.thenAccept(late -> {
            if (timed.isCompletedExceptionally()) {
                late.close(1000, "too late");
            }
        });
    }

    private void opened(long generation, Transport.Link opened, Throwable error) {
        Hello hello;
        synchronized (this) {
            if (generation != linkGeneration || state.isTerminal()) {
                if (opened != null) {
                    opened.close(1000, "superseded");
                }
                return;
            }
            if (error != null) {
                scheduleReconnect("cannot reach " + config.server() + ": " + describe(error));
                return;
            }
            link = opened;
            hello = token != null ? new Hello(config.user(), null, token, config.device(), CLIENT_NAME)
                    : new Hello(config.user(), config.password(), null, config.device(), CLIENT_NAME);
            opened.send(codec.encode(hello));
            // The sign-in must finish within the connect timeout too.
            pending = timers.schedule(() -> loop.execute(() -> signInTimedOut(generation)),
                    config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void signInTimedOut(long generation) {
        Transport.Link stale;
        synchronized (this) {
            if (generation != linkGeneration || signedIn || state.isTerminal()) {
                return;
            }
            stale = link;
        }
        if (stale != null) {
            stale.close(1000, "sign-in timed out");
        }
        lost(generation, "no answer to sign-in from " + config.server());
    }

    private void received(long generation, String text) {
        DecodeResult result = codec.decode(text);
        if (result instanceof DecodeResult.Failure failure) {
            log.warn("Ignoring an undecodable message from the server: {}", failure.reason());
            return;
        }
        Message message = ((DecodeResult.Decoded) result).message();
        synchronized (this) {
            if (generation != linkGeneration || state.isTerminal()) {
                return;
            }
            pingSentNanos = 0; // anything heard proves the link alive
            if (message instanceof Welcome w) {
                welcomed(w);
            } else if (message instanceof Ping ping) {
                link.send(codec.encode(new Pong(ping.nonce())));
                return;
            } else if (message instanceof Pong) {
                return;
            } else if (message instanceof ErrorMessage error && !signedIn && signInRefused(error)) {
                return;
            } else if (message instanceof ErrorMessage error && error.code() == ErrorCode.REPLACED) {
                fail(error.code(), "signed in again from this device elsewhere: " + error.message());
            }
        }
        deliver(message);
    }

    /** Holds this. */
    private void welcomed(Welcome w) {
        if (pending != null) {
            pending.cancel(false);
        }
        signedIn = true;
        welcome = w;
        token = w.token();
        backoff.reset();
        // Restore what the server forgot, then what was sent meanwhile, in order.
        if (subscription != null) {
            link.send(codec.encode(subscription));
        }
        if (ownPresence != null) {
            link.send(codec.encode(ownPresence));
        }
        resend.sendAll(link::send); // what the link refuses (it died under us) goes out after the next sign-in
        Duration interval = config.pingInterval() != null ? config.pingInterval()
                : Duration.ofSeconds(w.pingIntervalSeconds());
        long generation = linkGeneration;
        keepAlive = timers.scheduleAtFixedRate(() -> loop.execute(() -> keepAlive(generation, interval)),
                interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        setState(ConnectionState.CONNECTED, "signed in as " + w.user() + " on " + config.server());
        firstWelcome.complete(w);
    }

    /** Holds this. Returns true if the error was the answer to our hello. */
    private boolean signInRefused(ErrorMessage error) {
        if (error.code() != ErrorCode.AUTH_FAILED) {
            return false;
        }
        if (token != null && config.password() != null) {
            // The token expired or the server restarted: try the password on the next connection.
            token = null;
            Transport.Link stale = link;
            link = null;
            stale.close(1000, "retrying with password");
            linkGeneration++;
            loop.execute(this::attempt);
            return true;
        }
        fail(error.code(), error.message());
        return false;
    }

    @Override
    public void checkLink(Duration within) {
        long generation;
        long sentAt;
        synchronized (this) {
            if (state == ConnectionState.RECONNECTING) {
                reconnectNow();
                return;
            }
            if (state != ConnectionState.CONNECTED || link == null) {
                return;
            }
            generation = linkGeneration;
            sentAt = pingNow();
        }
        timers.schedule(() -> loop.execute(() -> dropIfSilentSince(generation, sentAt, "no answer to a link check")),
                within.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The keep-alive: a ping each interval; one still unanswered an interval later means a dead link. */
    private void keepAlive(long generation, Duration interval) {
        long outstanding;
        synchronized (this) {
            if (generation != linkGeneration || link == null || state.isTerminal()) {
                return;
            }
            outstanding = pingSentNanos;
            if (outstanding == 0) {
                pingNow();
                return;
            }
        }
        if (System.nanoTime() - outstanding > interval.toNanos()) {
            dropIfSilentSince(generation, outstanding, "no answer to ping");
        }
    }

    /** Holds this. Sends a ping unless one is out; returns when the outstanding one went. */
    private long pingNow() {
        if (pingSentNanos == 0) {
            pingSentNanos = System.nanoTime();
            link.send(codec.encode(new Ping(pingSentNanos)));
        }
        return pingSentNanos;
    }

    /**
     * Drops this generation's link if nothing at all was heard since the ping sent at {@code sentAt} (anything
     * heard resets the ping), and reconnects.
     */
    private void dropIfSilentSince(long generation, long sentAt, String why) {
        Transport.Link dead = null;
        synchronized (this) {
            if (generation == linkGeneration && link != null && !state.isTerminal() && pingSentNanos == sentAt) {
                dead = link;
            }
        }
        if (dead != null) {
            dead.close(1001, why);
            lost(generation, "the server stopped answering (" + why + ")");
        }
    }

    private void lost(long generation, String why) {
        synchronized (this) {
            if (generation != linkGeneration || state.isTerminal()) {
                return;
            }
            linkGeneration++; // ignore anything more from the old link
            link = null;
            signedIn = false;
            cancelTimers();
            scheduleReconnect(why);
        }
    }

    /** Holds this. */
    private void scheduleReconnect(String why) {
        long delay = backoff.nextDelayMillis();
        setState(state == ConnectionState.CONNECTING ? ConnectionState.CONNECTING : ConnectionState.RECONNECTING,
                why + "; retrying in " + delay + " ms");
        pending = timers.schedule(() -> loop.execute(this::attempt), delay, TimeUnit.MILLISECONDS);
    }

    /** Holds this. */
    private void fail(ErrorCode code, String why) {
        setState(ConnectionState.FAILED, why);
        Transport.Link toClose = link;
        link = null;
        linkGeneration++;
        cancelTimers();
        resend.clear();
        if (toClose != null) {
            toClose.close(1000, "giving up");
        }
        firstWelcome.completeExceptionally(new SignalingException(code, why));
    }

    /** Holds this. */
    private void cancelTimers() {
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
        if (keepAlive != null) {
            keepAlive.cancel(false);
            keepAlive = null;
        }
        pingSentNanos = 0;
    }

    /** Holds this. */
    private void setState(ConnectionState next, String detail) {
        boolean changed = state != next;
        state = next;
        if (changed || next == ConnectionState.RECONNECTING || next == ConnectionState.CONNECTING) {
            log.debug("{} -> {}: {}", config.user(), next, detail);
            listeners.fire(l -> l.onStateChanged(next, detail), next.name());
        }
    }

    private void deliver(Message message) {
        listeners.fire(l -> l.onMessage(message), message.getClass().getSimpleName());
    }

    private static String describe(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null && (t instanceof java.util.concurrent.CompletionException
                || t instanceof java.util.concurrent.ExecutionException)) {
            t = t.getCause();
        }
        if (t instanceof java.util.concurrent.TimeoutException) {
            return "timed out";
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }
}
