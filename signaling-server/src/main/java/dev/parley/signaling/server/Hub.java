package dev.parley.signaling.server;

import dev.parley.signaling.protocol.CallMessage;
import dev.parley.signaling.protocol.MessageCodec;
import dev.parley.signaling.protocol.PresenceStatus;

import java.util.List;
import java.util.function.LongSupplier;

/**
 * The connections' one front door to presence ({@link PresenceBook}) and call routing ({@link CallRouter}): it
 * holds the single lock over both, and decides what is sent under it and what after.
 *
 * <p>Presence updates (and a new connection's welcome) are handed to connections while the lock is held, so every
 * watcher sees a user's changes in the order the hub decided them. Call messages, including the cancels and
 * errors of calls ended by a disconnect or the sweep, are decided under the lock and sent after it is released: a
 * send may write to a socket, and two connections' messages need no common order, while one sender's messages keep
 * theirs because each connection is read by one thread at a time.
 */
final class Hub {
    private final Object lock = new Object();
    private final PresenceBook<Connection> presence;
    private final CallRouter calls;

    Hub(MessageCodec codec, int maxCallsPerUser) {
        this(codec, maxCallsPerUser, System::nanoTime);
    }

    Hub(MessageCodec codec, int maxCallsPerUser, LongSupplier nanoTime) {
        this.presence = new PresenceBook<>(codec);
        this.calls = new CallRouter(codec, maxCallsPerUser, presence, nanoTime);
    }

    /**
     * Hands a connection its welcome and signs it in, both under the lock: nothing can be routed to the connection
     * before it is registered, and nothing routed to it can overtake the welcome (call messages are sent after the
     * lock). Returns the connection of the same device it replaces, or null.
     */
    Connection register(Connection c, String welcome) {
        synchronized (lock) {
            c.sendText(welcome);
            return presence.add(c);
        }
    }

    /** Forgets a closed connection. Answered calls keep their routes: media goes on without signaling. */
    void unregister(Connection c) {
        if (c.user() == null) {
            return;
        }
        Outbox out = new Outbox();
        synchronized (lock) {
            if (presence.remove(c)) {
                calls.deviceGone(c, out);
            }
        }
        out.send();
    }

    void subscribe(Connection c, List<String> users) {
        synchronized (lock) {
            presence.subscribe(c, users);
        }
    }

    void setStatus(Connection c, PresenceStatus status) {
        synchronized (lock) {
            presence.setStatus(c, status);
        }
    }

    /** Routes a call message whose sender has already been stamped as {@code c}'s user. */
    void route(Connection c, CallMessage m, String encoded) {
        Outbox out = new Outbox();
        synchronized (lock) {
            calls.route(c, m, encoded, out);
        }
        out.send();
    }

    /** Ends calls that rang or lasted too long; see {@link CallRouter#sweep}. */
    void sweep(long nowNanos) {
        Outbox out = new Outbox();
        synchronized (lock) {
            calls.sweep(nowNanos, out);
        }
        out.send();
    }

    int onlineUsers() {
        synchronized (lock) {
            return presence.onlineUsers();
        }
    }

    int openCalls() {
        synchronized (lock) {
            return calls.openCalls();
        }
    }
}
