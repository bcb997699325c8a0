package dev.parley.signaling.server;

import dev.parley.signaling.protocol.CallMessage;
import dev.parley.signaling.protocol.ContactAnswer;
import dev.parley.signaling.protocol.ContactMessage;
import dev.parley.signaling.protocol.ContactRemove;
import dev.parley.signaling.protocol.ContactRequest;
import dev.parley.signaling.protocol.ErrorCode;
import dev.parley.signaling.protocol.ErrorMessage;
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
    private final MessageCodec codec;
    private final PresenceBook<Connection> presence;
    private final CallRouter calls;
    private final ContactBook contacts;

    Hub(MessageCodec codec, int maxCallsPerUser) {
        this(codec, maxCallsPerUser, System::nanoTime, ContactBook.everyone());
    }

    Hub(MessageCodec codec, int maxCallsPerUser, LongSupplier nanoTime, ContactBook contacts) {
        this.codec = codec;
        this.contacts = contacts;
        this.presence = new PresenceBook<>(codec, contacts::mayWatch);
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
            if (!contacts.isEveryone()) {
                c.sendText(codec.encode(contacts.view(c.user()))); // who its contacts are, and who asked
            }
            return presence.add(c);
        }
    }

    /**
     * A contact request, answer or removal from {@code c}'s user (already stamped as the sender): the contact book
     * changes, the other user's devices hear the message, both users' devices get their new contact list, and
     * presence starts or stops flowing between them. A refusal goes back to {@code c}. In open mode presence is
     * everyone's: contact messages change nothing and no contact lists are sent.
     */
    void contact(Connection c, ContactMessage m) {
        if (contacts.isEveryone()) {
            return; // open mode: presence is everyone's, there is nothing to ask for
        }
        Outbox out = new Outbox();
        synchronized (lock) {
            String me = c.user();
            String other = m.to();
            ErrorMessage refusal = apply(me, m);
            if (refusal != null) {
                out.add(c, codec.encode(refusal));
            } else {
                String forwarded = codec.encode(m);
                presence.devicesOf(other).forEach(d -> out.add(d, forwarded));
                String mine = codec.encode(contacts.view(me));
                presence.devicesOf(me).forEach(d -> out.add(d, mine));
                String theirs = codec.encode(contacts.view(other));
                presence.devicesOf(other).forEach(d -> out.add(d, theirs));
                presence.reconsider(me, other, out);
                presence.reconsider(other, me, out);
            }
        }
        out.send();
    }

    /** Changes the contact book as {@code me} says; a refusal, or null. Holds the lock. */
    private ErrorMessage apply(String me, ContactMessage m) {
        String type = MessageCodec.typeOf(m.getClass());
        try {
            if (m instanceof ContactRequest) {
                contacts.request(me, m.to());
            } else if (m instanceof ContactAnswer answer) {
                if (!contacts.answer(me, m.to(), answer.accept())) {
                    return new ErrorMessage(ErrorCode.FORBIDDEN, m.to() + " has not asked you", type, null);
                }
            } else if (m instanceof ContactRemove) {
                contacts.remove(me, m.to());
            }
            return null;
        } catch (IllegalArgumentException refused) {
            return new ErrorMessage(ErrorCode.FORBIDDEN, refused.getMessage(), type, null);
        } catch (IllegalStateException tooMany) {
            return new ErrorMessage(ErrorCode.RATE_LIMITED, tooMany.getMessage(), type, null);
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
