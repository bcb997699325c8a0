package dev.parley.signaling.client;

import dev.parley.signaling.protocol.DecodeResult;
import dev.parley.signaling.protocol.ErrorCode;
import dev.parley.signaling.protocol.ErrorMessage;
import dev.parley.signaling.protocol.Message;
import dev.parley.signaling.protocol.MessageCodec;
import dev.parley.signaling.protocol.Ping;
import dev.parley.signaling.protocol.Pong;
import dev.parley.signaling.protocol.Welcome;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link SignalingClient} for every transport: drives one connection's lifecycle (open, sign in, restore,
 * lose, reconnect, fail, close) over links that the {@link Transport} opens. Its parts have classes of their own:
 * what it signs in with ({@link Credentials}), what it restores after each sign-in ({@link SessionRestore}), the
 * delays between attempts ({@link Backoff}), the pings and dead-link checks of each link ({@link KeepAlive}) and the
 * listeners ({@link Listeners}).
 *
 * <p>State is guarded by {@code this}; transport events and timers run on a private serial executor (the loop),
 * and listeners on another one, so a slow listener never delays keep-alive. Each link gets a new generation
 * number, and events of an older generation are ignored.
 */
final class ReconnectingSignalingClient implements SignalingClient {
    private static final Logger log = LoggerFactory.getLogger(ReconnectingSignalingClient.class);

    private final ClientConfig config;
    private final Transport transport;
    private final MessageCodec codec;
    private final Executor loop;
    private final LoopTimers timers;
    private final Listeners listeners;
    private final CompletableFuture<Welcome> firstWelcome = new CompletableFuture<>();

    // Guarded by this.
    private ConnectionState state = ConnectionState.IDLE;
    private Transport.Link link;
    private long linkGeneration;
    private boolean signedIn;
    private Welcome welcome;
    private final Credentials credentials;
    private final Backoff backoff;
    private final SessionRestore restore;
    /** The next attempt, or the sign-in timeout of the current one. */
    private LoopTimers.Timer pending;
    /** The service's nodes, in the order they are tried; each reconnect moves on to the next. */
    private final List<URI> servers;

    private int serverIndex;

    private KeepAlive keepAlive;

    ReconnectingSignalingClient(
            ClientConfig config,
            Transport transport,
            MessageCodec codec,
            Executor pool,
            ScheduledExecutorService timers) {
        this.config = config;
        this.transport = transport;
        this.codec = codec;
        this.credentials = new Credentials(config);
        this.servers = config.servers();
        this.backoff = new Backoff(config.backoffMin(), config.backoffMax());
        this.restore = new SessionRestore(codec, config.sendQueueLimit());
        this.loop = new SerialExecutor(pool);
        this.timers = LoopTimers.on(timers, loop);
        this.listeners = new Listeners(new SerialExecutor(pool));
    }

    @Override
    public CompletableFuture<Welcome> connect() {
        synchronized (this) {
            if (state == ConnectionState.IDLE) {
                setState(ConnectionState.CONNECTING, "connecting to " + target());
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
            boolean restoredOnReconnect = restore.remember(message);
            if (signedIn && link != null && link.send(text)) {
                return true;
            }
            if (restoredOnReconnect) {
                return true; // sent with the next sign-in anyway; queuing it too would send it twice
            }
            if (!restore.queue(text)) {
                log.warn(
                        "Send queue full ({} messages); dropping {}",
                        restore.queued(),
                        message.getClass().getSimpleName());
                return false;
            }
            return true;
        }
    }

    @Override
    public void reconnectNow() {
        synchronized (this) {
            if ((state != ConnectionState.RECONNECTING && state != ConnectionState.CONNECTING)
                    || link != null
                    || pending == null) {
                return; // connected, closed, failed, or an attempt is already under way
            }
            pending.cancel();
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
            restore.dropQueue();
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
                loop.execute(() -> lost(
                        generation,
                        "connection closed (" + code + (reason == null || reason.isEmpty() ? "" : ": " + reason)
                                + ")"));
            }
        };
        CompletableFuture<Transport.Link> opening;
        try {
            opening = transport.open(target(), config, receiver);
        } catch (RuntimeException e) {
            opening = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Transport.Link> timed =
                opening.copy().orTimeout(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        timed.whenComplete((opened, error) -> loop.execute(() -> opened(generation, opened, error)));
        // A link that arrives after the timeout belongs to nobody: close it.
        opening.thenAccept(late -> {
            if (timed.isCompletedExceptionally()) {
                late.close(1000, "too late");
            }
        });
    }

    private void opened(long generation, Transport.Link opened, Throwable error) {
        synchronized (this) {
            if (generation != linkGeneration || state.isTerminal()) {
                if (opened != null) {
                    opened.close(1000, "superseded");
                }
                return;
            }
            if (error != null) {
                scheduleReconnect("cannot reach " + target() + ": " + describe(error));
                return;
            }
            link = opened;
            opened.send(codec.encode(credentials.hello(target())));
            // The sign-in must finish within the connect timeout too.
            pending = timers.after(config.connectTimeout(), () -> signInTimedOut(generation));
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
        lost(generation, "no answer to sign-in from " + target());
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
            if (keepAlive != null) {
                keepAlive.heard(); // anything heard proves the link alive
            }
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
            pending.cancel();
        }
        signedIn = true;
        welcome = w;
        credentials.welcomed(w, target());
        backoff.reset();
        restore.restoreOn(link);
        Duration interval =
                config.pingInterval() != null ? config.pingInterval() : Duration.ofSeconds(w.pingIntervalSeconds());
        long generation = linkGeneration;
        if (keepAlive != null) {
            keepAlive.stop(); // a second welcome on the same link (the server never sends one)
        }
        keepAlive =
                new KeepAlive(link, codec, interval, timers, System::nanoTime, why -> dropDeadLink(generation, why));
        keepAlive.start();
        setState(ConnectionState.CONNECTED, "signed in as " + w.user() + " on " + target());
        firstWelcome.complete(w);
    }

    /** Holds this. Returns true if the error was the answer to our hello. */
    private boolean signInRefused(ErrorMessage error) {
        if (error.code() != ErrorCode.AUTH_FAILED) {
            return false;
        }
        if (credentials.retryWithPassword()) {
            // The token expired or the server restarted: try the password on a new connection, at once.
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
        KeepAlive watching;
        synchronized (this) {
            if (state == ConnectionState.RECONNECTING) {
                reconnectNow();
                return;
            }
            if (state != ConnectionState.CONNECTED || link == null || keepAlive == null) {
                return;
            }
            watching = keepAlive;
        }
        watching.check(within);
    }

    /** The keep-alive of this generation's link found it dead: close it and reconnect. */
    private void dropDeadLink(long generation, String why) {
        Transport.Link dead;
        synchronized (this) {
            if (generation != linkGeneration || link == null || state.isTerminal()) {
                return;
            }
            dead = link;
        }
        dead.close(1001, why);
        lost(generation, "the server stopped answering (" + why + ")");
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

    @Override
    public URI server() {
        return target();
    }

    /** The server the next or current attempt is for. */
    private synchronized URI target() {
        return servers.get(serverIndex);
    }

    /** Holds this. */
    private void scheduleReconnect(String why) {
        serverIndex = (serverIndex + 1) % servers.size(); // another node, if the service has several
        long delay = backoff.nextDelayMillis();
        setState(
                state == ConnectionState.CONNECTING ? ConnectionState.CONNECTING : ConnectionState.RECONNECTING,
                why + "; retrying in " + delay + " ms");
        pending = timers.after(Duration.ofMillis(delay), this::attempt);
    }

    /** Holds this. */
    private void fail(ErrorCode code, String why) {
        setState(ConnectionState.FAILED, why);
        Transport.Link toClose = link;
        link = null;
        linkGeneration++;
        cancelTimers();
        restore.dropQueue();
        if (toClose != null) {
            toClose.close(1000, "giving up");
        }
        firstWelcome.completeExceptionally(new SignalingException(code, why));
    }

    /** Holds this. */
    private void cancelTimers() {
        if (pending != null) {
            pending.cancel();
            pending = null;
        }
        if (keepAlive != null) {
            keepAlive.stop();
            keepAlive = null;
        }
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
        while (t.getCause() != null && (t instanceof CompletionException || t instanceof ExecutionException)) {
            t = t.getCause();
        }
        if (t instanceof TimeoutException) {
            return "timed out";
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }
}
