package dev.parley.signaling.server;

import dev.parley.signaling.protocol.Accept;
import dev.parley.signaling.protocol.Busy;
import dev.parley.signaling.protocol.CallMessage;
import dev.parley.signaling.protocol.Cancel;
import dev.parley.signaling.protocol.ContactAnswer;
import dev.parley.signaling.protocol.ContactMessage;
import dev.parley.signaling.protocol.ContactRemove;
import dev.parley.signaling.protocol.ContactRequest;
import dev.parley.signaling.protocol.Decline;
import dev.parley.signaling.protocol.DecodeResult;
import dev.parley.signaling.protocol.EndCause;
import dev.parley.signaling.protocol.ErrorCode;
import dev.parley.signaling.protocol.ErrorMessage;
import dev.parley.signaling.protocol.Hangup;
import dev.parley.signaling.protocol.Invite;
import dev.parley.signaling.protocol.MessageCodec;
import dev.parley.signaling.protocol.PresenceStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections' one front door to presence ({@link PresenceBook}) and call routing ({@link CallRouter}): it
 * holds the single lock over both, and decides what is sent under it and what after.
 *
 * <p>Presence updates (and a new connection's welcome) are handed to connections while the lock is held, so every
 * watcher sees a user's changes in the order the hub decided them. Call messages, including the cancels and
 * errors of calls ended by a disconnect or the sweep, are decided under the lock and sent after it is released: a
 * send may write to a socket, and two connections' messages need no common order, while one sender's messages keep
 * theirs because each connection is read by one thread at a time.
 *
 * <p>In a cluster ({@link ClusterLink}) the books also hold the devices signed in on other nodes
 * ({@link RemoteDevice}), kept up to date by the cluster's one thread through the {@code remote…} methods: presence is
 * decided here for this node's watchers; a call is routed by the node that got its invite, and a message about a
 * call routed elsewhere goes to that node.
 */
final class Hub {
    private static final Logger log = LoggerFactory.getLogger(Hub.class);
    private final Object lock = new Object();
    private final MessageCodec codec;
    private final PresenceBook<Endpoint> presence;
    private final CallRouter calls;
    private final ContactBook contacts;
    private final ClusterLink cluster;
    /**
     * Calls routed by another node that ring on this node's devices, by call id, so that they stop ringing if that
     * node dies (nobody else would end them). Guarded by the lock; bounded, and forgotten after the ringing limit.
     */
    private final LinkedHashMap<String, RingFromElsewhere> ringing = new LinkedHashMap<>();

    private static final int RINGING_KEPT = 10_000;
    private static final long RINGING_NANOS = TimeUnit.MINUTES.toNanos(5);

    private record RingFromElsewhere(String owner, String caller, String callee, long sinceNanos) {}

    /** The other nodes' devices, by node. Guarded by the lock. */
    private final Map<String, Set<RemoteDevice>> remote = new HashMap<>();

    Hub(MessageCodec codec, int maxCallsPerUser) {
        this(codec, maxCallsPerUser, System::nanoTime, ContactBook.everyone());
    }

    Hub(MessageCodec codec, int maxCallsPerUser, LongSupplier nanoTime, ContactBook contacts) {
        this(codec, maxCallsPerUser, nanoTime, contacts, ClusterLink.ALONE);
    }

    Hub(MessageCodec codec, int maxCallsPerUser, LongSupplier nanoTime, ContactBook contacts, ClusterLink cluster) {
        this.codec = codec;
        this.contacts = contacts;
        this.cluster = cluster;
        this.presence = new PresenceBook<>(codec, contacts::mayWatch);
        this.calls = new CallRouter(codec, maxCallsPerUser, presence, nanoTime, cluster);
    }

    /**
     * Hands a connection its welcome and signs it in, both under the lock: nothing can be routed to the connection
     * before it is registered, and nothing routed to it can overtake the welcome (call messages are sent after the
     * lock). Returns the connection of the same device it replaces, or null (also when the device was signed in
     * on another node: that node closes its connection when it hears of this one).
     */
    Connection register(Connection c, String welcome) {
        Outbox out = new Outbox();
        Connection replaced;
        synchronized (lock) {
            c.sendText(welcome);
            if (!contacts.isEveryone()) {
                c.sendText(codec.encode(contacts.view(c.user()))); // who its contacts are, and who asked
            }
            if (presence.device(c.user(), c.device()) instanceof RemoteDevice moved) {
                // The device comes from another node (that node died, or its link did): it signs out there
                // first, as a device that drops and comes back does on one node; what rang on it is over.
                signOut(moved, out);
            }
            replaced = (Connection) presence.add(c);
            cluster.deviceUp(c);
        }
        out.send();
        return replaced;
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
        if (cluster.clustered()) {
            contactThroughCluster(c, m);
            return;
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
                contactsChanged(me, other, out);
            }
        }
        out.send();
    }

    /**
     * In a cluster the shared book in Redis decides: this node works out the pair's new state from its copy, then
     * Redis takes it only if the pair is still as this node saw it ({@link ClusterLink#changeContact}); if another
     * node changed it meanwhile, the change is worked out again from what Redis holds (twice at most). This node's
     * copy changes only as Redis's events say, on every node alike ({@link #remoteContact}). Called off the lock, on
     * a thread that may wait for Redis.
     */
    private void contactThroughCluster(Connection c, ContactMessage m) {
        String me = c.user();
        String other = m.to();
        String seen = null;
        boolean haveSeen = false;
        for (int attempt = 0; attempt < 3; attempt++) {
            boolean fromRedis = haveSeen;
            String redisSaid = seen;
            WorkedOut w;
            synchronized (lock) {
                w = contacts.withoutSaving(() -> {
                    String local = contacts.pairState(me, other);
                    try {
                        if (fromRedis) {
                            contacts.setPairState(me, other, redisSaid); // worked out from Redis's word this time
                        }
                        String before = contacts.pairState(me, other);
                        ErrorMessage refused = apply(me, m);
                        return new WorkedOut(before, contacts.pairState(me, other), refused);
                    } finally {
                        contacts.setPairState(me, other, local); // worked out only: the book changes as Redis says
                    }
                });
            }
            String before = w.before();
            String after = w.after();
            ErrorMessage refusal = w.refusal();
            if (refusal != null) {
                c.sendText(codec.encode(refusal));
                return;
            }
            // Asked of Redis even when nothing changes here: this node's copy may be behind.
            String now;
            try {
                now = cluster.changeContact(me, other, before, after);
            } catch (ClusterLink.Unavailable e) {
                log.warn("Contact change from {} refused: {}", c.who(), e.getMessage());
                c.sendText(codec.encode(ErrorMessage.of(
                        ErrorCode.INTERNAL,
                        "contacts cannot change while this server is cut off from the others; try again")));
                return;
            }
            if (!java.util.Objects.equals(now, after)) {
                seen = now;
                haveSeen = true;
                continue; // changed elsewhere meanwhile
            }
            Outbox out = new Outbox();
            synchronized (lock) {
                String forwarded = codec.encode(m);
                presence.devicesOf(other).forEach(d -> out.add(d, forwarded));
            }
            out.send();
            return;
        }
        c.sendText(codec.encode(ErrorMessage.of(
                ErrorCode.FORBIDDEN, "the contact changed on another device meanwhile; look again and retry")));
    }

    /** A contact change worked out on this node's copy: the pair's state before and after, or why it was refused. */
    private record WorkedOut(String before, String after, ErrorMessage refusal) {}

    /**
     * Tells this node's devices of the pair their new contact lists and reconsiders what they may watch. Devices on
     * other nodes hear it from their own node, which applies the same change ({@link #remoteContact}). Holds the lock.
     */
    private void contactsChanged(String a, String b, Outbox out) {
        String aView = codec.encode(contacts.view(a));
        presence.devicesOf(a).stream().filter(d -> !(d instanceof RemoteDevice)).forEach(d -> out.add(d, aView));
        String bView = codec.encode(contacts.view(b));
        presence.devicesOf(b).stream().filter(d -> !(d instanceof RemoteDevice)).forEach(d -> out.add(d, bView));
        presence.reconsider(a, b, out);
        presence.reconsider(b, a, out);
    }

    /** A pair's contact state as the cluster says (another node changed it, or Redis held it when this node joined). */
    void remoteContact(String a, String b, String state) {
        Outbox out = new Outbox();
        synchronized (lock) {
            if (contacts.setPairState(a, b, state)) {
                contactsChanged(a, b, out);
            }
        }
        out.send();
    }

    /** Every contact pair this node knows, "first\nsecond" to its state (for a node joining its cluster). */
    Map<String, String> contactPairs() {
        synchronized (lock) {
            return contacts.pairStates();
        }
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
                cluster.deviceDown(c);
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
            if (presence.device(c.user(), c.device()) == c) {
                cluster.deviceUp(c);
            }
        }
    }

    /** Routes a call message whose sender has already been stamped as {@code c}'s user. */
    void route(Connection c, CallMessage m, String encoded) {
        Outbox out = new Outbox();
        if (cluster.clustered()
                && (m instanceof Accept || m instanceof Decline || m instanceof Busy || m instanceof Hangup)) {
            synchronized (lock) {
                ringing.remove(m.callId()); // answered or refused here: no longer ringing
            }
        }
        if (m instanceof Invite && cluster.clustered() && idTakenElsewhere(m.callId())) {
            c.sendText(codec.encode(new ErrorMessage(
                    ErrorCode.FORBIDDEN, "call id " + m.callId() + " is already in use", "invite", m.callId())));
            return;
        }
        boolean here;
        synchronized (lock) {
            here = !cluster.clustered() || m instanceof Invite || calls.routes(m.callId());
            if (here) {
                calls.route(c, m, encoded, out);
            }
        }
        if (!here) {
            routeElsewhere(c, m, encoded, out, null);
        }
        out.send();
    }

    /** Whether another call, routed anywhere in the cluster, has this id (a client chooses its calls' ids). */
    private boolean idTakenElsewhere(String callId) {
        try {
            return cluster.find(callId) != null;
        } catch (ClusterLink.Unavailable e) {
            return false; // detached: this node's own check is all there is
        }
    }

    /**
     * A message about a call this node does not route: to the node that does; or, if that node died, this node
     * takes the call over (its parties' devices may have moved anywhere); or, if no node routes it, the router's
     * refusal. {@code dead} is a node known to be dead though its heartbeat may not have gone stale yet, or null.
     */
    private void routeElsewhere(Endpoint c, CallMessage m, String encoded, Outbox out, String dead) {
        String seen = cluster.ownerSeen(m.callId()); // a call's later messages: no need to ask the store
        if (seen != null && !seen.equals(dead) && !seen.equals(cluster.node()) && cluster.alive(seen)) {
            cluster.forward(seen, m.callId(), c, encoded); // if the call ended there, that node says so
            return;
        }
        for (int attempt = 0; attempt < 3; attempt++) {
            ClusterLink.CallRecord record;
            try {
                record = cluster.find(m.callId());
            } catch (ClusterLink.Unavailable e) {
                out.add(
                        c,
                        codec.encode(new ErrorMessage(
                                ErrorCode.UNAVAILABLE,
                                "the server cannot reach call " + m.callId() + " right now",
                                MessageCodec.typeOf(m.getClass()),
                                m.callId())));
                return;
            }
            String owner = record == null ? null : record.owner();
            if (owner != null && !owner.equals(cluster.node()) && !owner.equals(dead) && cluster.alive(owner)) {
                cluster.forward(owner, m.callId(), c, encoded);
                return;
            }
            boolean takenOver = owner != null && !owner.equals(cluster.node()) && cluster.takeOver(m.callId(), owner);
            if (owner == null || owner.equals(cluster.node()) || takenOver) {
                synchronized (lock) {
                    if (takenOver) {
                        calls.adopt(record);
                    }
                    // No route (or this node's record of a call it has just ended): the router says so.
                    calls.route(c, m, encoded, out);
                }
                return;
            }
            // another node took it over first: look again
        }
        log.warn("Call {}: its route kept moving; a {} was dropped", m.callId(), MessageCodec.typeOf(m.getClass()));
    }

    /**
     * A message of this node's device that went to node {@code owner} for its call, where no one listened: that node
     * is dead, whatever its heartbeat says yet. Routed again, taking the call over if need be.
     */
    void orphaned(String owner, String user, String device, String encoded) {
        if (!(codec.decode(encoded) instanceof DecodeResult.Decoded d) || !(d.message() instanceof CallMessage m)) {
            return;
        }
        Endpoint from;
        synchronized (lock) {
            from = presence.device(user, device) instanceof Connection c
                    ? c
                    : new RemoteDevice(cluster.node(), user, device, PresenceStatus.ONLINE, cluster);
        }
        Outbox out = new Outbox();
        routeElsewhere(from, m, encoded, out, owner);
        out.send();
    }

    // ---- what the cluster's thread tells this node about the others ----

    /** A device on another node signed in or changed its status. */
    void remoteUp(String node, String user, String device, PresenceStatus status) {
        Connection displaced = null;
        Outbox out = new Outbox();
        synchronized (lock) {
            Endpoint now = presence.device(user, device);
            if (now instanceof RemoteDevice r && r.node().equals(node)) {
                presence.setStatus(r, status);
                return;
            }
            if (now instanceof RemoteDevice r) {
                signOut(r, out); // moved between two other nodes
            } else if (now instanceof Connection c) {
                displaced = c; // the same device signed in again on another node: it signs out here
                presence.remove(c);
                cluster.deviceDown(c); // and from this node's list in the store, or a rejoin would bring it back
                calls.deviceGone(c, out);
            }
            RemoteDevice d = new RemoteDevice(node, user, device, status, cluster);
            presence.add(d);
            remote.computeIfAbsent(node, n -> new HashSet<>()).add(d);
        }
        out.send();
        if (displaced != null) {
            displaced.send(ErrorMessage.of(ErrorCode.REPLACED, "signed in again from the same device"));
            displaced.close(Wire.POLICY_VIOLATION, "replaced");
        }
    }

    /** A device on another node signed out. */
    void remoteDown(String node, String user, String device) {
        Outbox out = new Outbox();
        synchronized (lock) {
            if (presence.device(user, device) instanceof RemoteDevice r
                    && r.node().equals(node)) {
                signOut(r, out);
            }
        }
        out.send();
    }

    /** A node died or left (or, with {@code null}, every other node: this node lost the cluster's store). */
    void nodeGone(String node) {
        Outbox out = new Outbox();
        synchronized (lock) {
            List<String> nodes = node == null ? List.copyOf(remote.keySet()) : List.of(node);
            for (String n : nodes) {
                for (RemoteDevice r : List.copyOf(remote.getOrDefault(n, Set.of()))) {
                    signOut(r, out);
                }
                remote.remove(n);
            }
            if (node != null) {
                stopRingingFor(node, out);
            }
        }
        out.send();
    }

    /** The other nodes' devices this node knows of, by node (for its health and tests). */
    Map<String, Integer> remoteDevices() {
        synchronized (lock) {
            Map<String, Integer> counts = new HashMap<>();
            remote.forEach((n, set) -> counts.put(n, set.size()));
            return counts;
        }
    }

    /** The devices this node holds for another node. */
    List<RemoteDevice> remoteDevicesOf(String node) {
        synchronized (lock) {
            return List.copyOf(remote.getOrDefault(node, Set.of()));
        }
    }

    /** The calls this node routes (what it writes to the cluster's store when it joins again). */
    List<CallRoute> routesHere() {
        synchronized (lock) {
            return calls.routes();
        }
    }

    /** This node's own signed-in devices (what it writes to the cluster's store when it joins again). */
    List<Endpoint> localDevices() {
        synchronized (lock) {
            List<Endpoint> mine = new ArrayList<>();
            for (Endpoint e : presence.all()) {
                if (e instanceof Connection) {
                    mine.add(e);
                }
            }
            return mine;
        }
    }

    /** A text node {@code node} decided for a device of this node's. */
    void deliver(String node, String user, String device, String text) {
        Connection to;
        synchronized (lock) {
            to = presence.device(user, device) instanceof Connection c ? c : null;
            if (to != null) {
                noteRinging(node, text);
            }
        }
        if (to != null) {
            to.sendText(text);
        }
    }

    /** An invite from another node's call rings here until it is cancelled or answered. Holds the lock. */
    private void noteRinging(String node, String text) {
        boolean invite = text.startsWith("{\"type\":\"invite\"");
        if (!invite && (ringing.isEmpty() || !text.startsWith("{\"type\":\"cancel\""))) {
            return;
        }
        if (!(codec.decode(text) instanceof DecodeResult.Decoded d) || !(d.message() instanceof CallMessage m)) {
            return;
        }
        if (m instanceof Invite) {
            long now = System.nanoTime();
            ringing.values().removeIf(r -> now - r.sinceNanos() > RINGING_NANOS);
            if (ringing.size() >= RINGING_KEPT) {
                ringing.remove(ringing.keySet().iterator().next());
            }
            ringing.put(m.callId(), new RingFromElsewhere(node, m.from(), m.to(), now));
        } else {
            ringing.remove(m.callId());
        }
    }

    /** A call message of a device on node {@code node}, for a call this node routes (its sender stamped there). */
    void routeFrom(String node, String user, String device, String encoded) {
        if (!(codec.decode(encoded) instanceof DecodeResult.Decoded d)
                || !(d.message() instanceof CallMessage m)
                || m instanceof Invite
                || !user.equals(m.from())) {
            log.warn("Dropped a call message from node {} that does not hold", node);
            return;
        }
        Outbox out = new Outbox();
        synchronized (lock) {
            Endpoint from = presence.device(user, device);
            if (!(from instanceof RemoteDevice r && r.node().equals(node))) {
                from = new RemoteDevice(node, user, device, PresenceStatus.ONLINE, cluster); // for the answer only
            }
            calls.route(from, m, encoded, out);
        }
        out.send();
    }

    /** A node died: its calls still ringing here end as a caller's device that went away ends them. Holds the lock. */
    private void stopRingingFor(String node, Outbox out) {
        for (var it = ringing.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            RingFromElsewhere r = e.getValue();
            if (!r.owner().equals(node)) {
                continue;
            }
            it.remove();
            String cancel =
                    codec.encode(new Cancel(e.getKey(), r.caller(), r.callee(), EndCause.CALLER_UNAVAILABLE.wire()));
            for (Endpoint d : presence.devicesOf(r.callee())) {
                if (d instanceof Connection) {
                    out.add(d, cancel);
                }
            }
        }
    }

    private void signOut(RemoteDevice r, Outbox out) {
        if (presence.remove(r)) {
            calls.deviceGone(r, out);
        }
        forget(r);
    }

    private void forget(RemoteDevice r) {
        Set<RemoteDevice> set = remote.get(r.node());
        if (set != null && set.remove(r) && set.isEmpty()) {
            remote.remove(r.node());
        }
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
