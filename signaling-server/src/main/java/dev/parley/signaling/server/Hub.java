package dev.parley.signaling.server;

import dev.parley.signaling.protocol.Accept;
import dev.parley.signaling.protocol.Busy;
import dev.parley.signaling.protocol.CallMessage;
import dev.parley.signaling.protocol.Cancel;
import dev.parley.signaling.protocol.EndCause;
import dev.parley.signaling.protocol.Decline;
import dev.parley.signaling.protocol.ErrorCode;
import dev.parley.signaling.protocol.ErrorMessage;
import dev.parley.signaling.protocol.Hangup;
import dev.parley.signaling.protocol.Invite;
import dev.parley.signaling.protocol.MessageCodec;
import dev.parley.signaling.protocol.Presence;
import dev.parley.signaling.protocol.PresenceStatus;
import dev.parley.signaling.protocol.Ringing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Who is signed in on which device, who watches whose presence, and how each call is routed.
 *
 * <p>All state sits behind one lock. Presence updates (and a new connection's welcome) are handed to connections
 * while it is held, so every watcher sees a user's changes in the order the hub decided them. Call messages,
 * including the cancels and errors of calls ended by a disconnect or the sweep, are decided under the lock and
 * sent after it is released: a send may write to a socket, and two connections' messages need no common order,
 * while one sender's messages keep theirs because each connection is read by one thread at a time.
 *
 * <p>Multi-device: a user may be signed in on several devices at once. An invite rings all of them; the first
 * to accept wins and the others get {@code cancel} with reason {@code answered-elsewhere}; a decline or busy
 * from any device ends the call for all. A reconnect from the same device replaces its old connection.
 */
final class Hub {
    private static final long RINGING_LIMIT_NANOS = TimeUnit.MINUTES.toNanos(5);
    private static final long CALL_LIMIT_NANOS = TimeUnit.HOURS.toNanos(24);

    private final Object lock = new Object();
    private final MessageCodec codec;
    private final int maxCallsPerUser;
    private final Map<String, Map<String, Connection>> online = new HashMap<>();
    private final Map<String, Set<Connection>> watchers = new HashMap<>();
    private final Map<String, CallRoute> calls = new HashMap<>();
    private final Map<String, Set<String>> callsByUser = new HashMap<>();

    Hub(MessageCodec codec, int maxCallsPerUser) {
        this.codec = codec;
        this.maxCallsPerUser = maxCallsPerUser;
    }

    /**
     * Signs a connection in and hands it its welcome, both under the lock: nothing can be routed to the connection
     * before it is registered, and nothing routed to it can overtake the welcome (call messages are sent after the
     * lock). Returns the connection of the same device it replaces, or null.
     */
    Connection register(Connection c, String welcome) {
        synchronized (lock) {
            PresenceStatus before = statusOf(c.user());
            Connection replaced = online.computeIfAbsent(c.user(), u -> new LinkedHashMap<>()).put(c.device(), c);
            c.sendText(welcome);
            notifyIfChanged(c.user(), before);
            return replaced;
        }
    }

    /** Forgets a closed connection. Calls keep their routes: media goes on without signaling. */
    void unregister(Connection c) {
        if (c.user() == null) {
            return;
        }
        Outbox out = new Outbox();
        synchronized (lock) {
            for (String watched : c.watching) {
                removeWatcher(watched, c);
            }
            c.watching = Set.of();
            Map<String, Connection> devices = online.get(c.user());
            if (devices == null || devices.get(c.device()) != c) {
                return; // never registered, or already replaced by a newer connection of the same device
            }
            PresenceStatus before = statusOf(c.user());
            devices.remove(c.device());
            if (devices.isEmpty()) {
                online.remove(c.user());
            }
            notifyIfChanged(c.user(), before);
            endUnansweredCallsOf(c, out);
        }
        out.send();
    }

    void subscribe(Connection c, List<String> users) {
        synchronized (lock) {
            for (String watched : c.watching) {
                removeWatcher(watched, c);
            }
            c.watching = new java.util.LinkedHashSet<>(users); // answers in the order asked
            for (String user : c.watching) {
                watchers.computeIfAbsent(user, u -> new HashSet<>()).add(c);
                c.sendText(codec.encode(new Presence(user, statusOf(user))));
            }
        }
    }

    void setStatus(Connection c, PresenceStatus status) {
        synchronized (lock) {
            PresenceStatus before = statusOf(c.user());
            c.status = status;
            notifyIfChanged(c.user(), before);
        }
    }

    /** Routes a call message whose sender has already been stamped as {@code c}'s user. */
    void route(Connection c, CallMessage m, String encoded) {
        Outbox out = new Outbox();
        synchronized (lock) {
            ErrorMessage refusal = m instanceof Invite invite ? invite(c, invite, encoded, out)
                    : follow(c, m, encoded, out);
            if (refusal != null) {
                out.add(c, codec.encode(refusal));
            }
        }
        out.send();
    }

    /** Texts decided under the lock and sent after it. */
    private static final class Outbox {
        private final List<Connection> to = new ArrayList<>(2);
        private final List<String> texts = new ArrayList<>(2);

        void add(Connection c, String text) {
            to.add(c);
            texts.add(text);
        }

        void send() {
            for (int i = 0; i < to.size(); i++) {
                to.get(i).sendText(texts.get(i));
            }
        }
    }

    private ErrorMessage invite(Connection c, Invite m, String encoded, Outbox out) {
        if (calls.containsKey(m.callId())) {
            return refuse(ErrorCode.FORBIDDEN, "call id " + m.callId() + " is already in use", m);
        }
        if (m.to().equals(c.user())) {
            return refuse(ErrorCode.FORBIDDEN, "you cannot call yourself", m);
        }
        if (countCalls(c.user(), true) >= maxCallsPerUser) {
            return refuse(ErrorCode.RATE_LIMITED, "too many open calls (at most " + maxCallsPerUser + ")", m);
        }
        if (countCalls(m.to(), false) >= 2 * maxCallsPerUser) {
            return refuse(ErrorCode.RATE_LIMITED, m.to() + " has too many calls waiting", m);
        }
        Map<String, Connection> devices = online.get(m.to());
        if (devices == null || devices.isEmpty()) {
            return refuse(ErrorCode.UNAVAILABLE, m.to() + " is not signed in", m);
        }
        CallRoute route = new CallRoute(m.callId(), c.user(), c.device(), m.to(), System.nanoTime());
        calls.put(route.callId, route);
        callsByUser.computeIfAbsent(route.caller, u -> new HashSet<>()).add(route.callId);
        callsByUser.computeIfAbsent(route.callee, u -> new HashSet<>()).add(route.callId);
        devices.values().forEach(d -> out.add(d, encoded));
        return null;
    }

    private ErrorMessage follow(Connection c, CallMessage m, String encoded, Outbox out) {
        CallRoute route = calls.get(m.callId());
        if (route == null) {
            return refuse(ErrorCode.UNKNOWN_CALL, "there is no call " + m.callId() + " (it may have ended)", m);
        }
        boolean fromCaller = route.caller.equals(c.user()) && route.callerDevice.equals(c.device());
        boolean fromCallee = route.callee.equals(c.user())
                && (route.calleeDevice == null || route.calleeDevice.equals(c.device()));
        if (!fromCaller && !fromCallee) {
            return route.callee.equals(c.user())
                    ? refuse(ErrorCode.FORBIDDEN, "this call was answered on another device", m)
                    : refuse(ErrorCode.FORBIDDEN, "you are not a party to call " + m.callId(), m);
        }
        String peer = fromCaller ? route.callee : route.caller;
        if (!m.to().equals(peer)) {
            return refuse(ErrorCode.FORBIDDEN, "call " + m.callId() + " is with " + peer + ", not " + m.to(), m);
        }
        boolean calleeOnly = m instanceof Ringing || m instanceof Accept || m instanceof Decline || m instanceof Busy;
        if (fromCaller && calleeOnly) {
            return refuse(ErrorCode.FORBIDDEN, "only the callee may send " + MessageCodec.typeOf(m.getClass()), m);
        }
        if (fromCallee && m instanceof Cancel) {
            return refuse(ErrorCode.FORBIDDEN, "only the caller may cancel; the callee declines", m);
        }

        List<Connection> targets = fromCaller ? calleeConnections(route) : callerConnection(route);
        boolean ends = m instanceof Decline || m instanceof Busy || m instanceof Cancel || m instanceof Hangup;
        if (m instanceof Accept && route.calleeDevice == null) {
            route.calleeDevice = c.device();
            cancelOtherDevices(route, c, EndCause.ANSWERED_ELSEWHERE.wire(), out);
        } else if (fromCallee && ends && route.calleeDevice == null) {
            // decline, busy, or a hangup while still ringing: the other devices stop ringing too
            cancelOtherDevices(route, c, EndCause.DECLINED_ELSEWHERE.wire(), out);
        }
        if (ends) {
            removeCall(route);
        }
        if (targets.isEmpty()) {
            return refuse(ErrorCode.UNAVAILABLE, peer + " is not connected right now", m);
        }
        targets.forEach(t -> out.add(t, encoded));
        return null;
    }

    /** Calls the user placed, or calls ringing for the user. */
    private int countCalls(String user, boolean placed) {
        int n = 0;
        for (String id : callsByUser.getOrDefault(user, Set.of())) {
            CallRoute r = calls.get(id);
            if (r != null && (placed ? r.caller.equals(user) : r.callee.equals(user) && !r.answered())) {
                n++;
            }
        }
        return n;
    }

    private List<Connection> calleeConnections(CallRoute route) {
        Map<String, Connection> devices = online.getOrDefault(route.callee, Map.of());
        if (route.calleeDevice == null) {
            return List.copyOf(devices.values());
        }
        Connection bound = devices.get(route.calleeDevice);
        return bound == null ? List.of() : List.of(bound);
    }

    private List<Connection> callerConnection(CallRoute route) {
        Connection caller = online.getOrDefault(route.caller, Map.of()).get(route.callerDevice);
        return caller == null ? List.of() : List.of(caller);
    }

    private void cancelOtherDevices(CallRoute route, Connection except, String reason, Outbox out) {
        String cancel = codec.encode(new Cancel(route.callId, route.caller, route.callee, reason));
        for (Connection d : online.getOrDefault(route.callee, Map.of()).values()) {
            if (d != except) {
                out.add(d, cancel);
            }
        }
    }

    /**
     * A device went away. A call it was placing that nobody answered is cancelled; a call ringing only on devices
     * that are now all gone is reported to the caller as unavailable. Answered calls are left alone: their media
     * does not need the server, and the device may reconnect.
     */
    private void endUnansweredCallsOf(Connection c, Outbox out) {
        for (String callId : List.copyOf(callsByUser.getOrDefault(c.user(), Set.of()))) {
            CallRoute route = calls.get(callId);
            if (route == null || route.answered()) {
                continue;
            }
            if (route.caller.equals(c.user()) && route.callerDevice.equals(c.device())) {
                removeCall(route);
                String cancel = codec.encode(new Cancel(callId, route.caller, route.callee, EndCause.CALLER_UNAVAILABLE.wire()));
                calleeConnections(route).forEach(d -> out.add(d, cancel));
            } else if (route.callee.equals(c.user()) && !online.containsKey(route.callee)) {
                removeCall(route);
                String error = codec.encode(new ErrorMessage(ErrorCode.UNAVAILABLE,
                        route.callee + " went offline", "invite", callId));
                callerConnection(route).forEach(d -> out.add(d, error));
            }
        }
    }

    /**
     * Forgets calls that rang too long or have lasted beyond any plausible call; bounds memory. A call that rang
     * unanswered is cancelled on the callee's devices and reported to the caller, so nothing rings forever.
     */
    void sweep(long nowNanos) {
        Outbox out = new Outbox();
        synchronized (lock) {
            List<CallRoute> stale = new ArrayList<>();
            for (CallRoute route : calls.values()) {
                long age = nowNanos - route.createdNanos;
                if ((!route.answered() && age > RINGING_LIMIT_NANOS) || age > CALL_LIMIT_NANOS) {
                    stale.add(route);
                }
            }
            for (CallRoute route : stale) {
                removeCall(route);
                if (!route.answered()) {
                    String cancel = codec.encode(new Cancel(route.callId, route.caller, route.callee, EndCause.NO_ANSWER.wire()));
                    calleeConnections(route).forEach(d -> out.add(d, cancel));
                    String error = codec.encode(new ErrorMessage(ErrorCode.UNAVAILABLE, route.callee
                            + " did not answer", "invite", route.callId));
                    callerConnection(route).forEach(d -> out.add(d, error));
                }
            }
        }
        out.send();
    }

    private void removeCall(CallRoute route) {
        calls.remove(route.callId);
        removeFromIndex(route.caller, route.callId);
        removeFromIndex(route.callee, route.callId);
    }

    private void removeFromIndex(String user, String callId) {
        Set<String> ids = callsByUser.get(user);
        if (ids != null && ids.remove(callId) && ids.isEmpty()) {
            callsByUser.remove(user);
        }
    }

    private void removeWatcher(String watched, Connection c) {
        Set<Connection> set = watchers.get(watched);
        if (set != null && set.remove(c) && set.isEmpty()) {
            watchers.remove(watched);
        }
    }

    /** Online if any device is online, away if all are away, offline if none is signed in. */
    private PresenceStatus statusOf(String user) {
        Map<String, Connection> devices = online.get(user);
        if (devices == null || devices.isEmpty()) {
            return PresenceStatus.OFFLINE;
        }
        for (Connection d : devices.values()) {
            if (d.status == PresenceStatus.ONLINE) {
                return PresenceStatus.ONLINE;
            }
        }
        return PresenceStatus.AWAY;
    }

    private void notifyIfChanged(String user, PresenceStatus before) {
        PresenceStatus now = statusOf(user);
        Set<Connection> set = watchers.get(user);
        if (now != before && set != null) {
            String text = codec.encode(new Presence(user, now));
            set.forEach(w -> w.sendText(text));
        }
    }

    private static ErrorMessage refuse(ErrorCode code, String text, CallMessage m) {
        return new ErrorMessage(code, text, MessageCodec.typeOf(m.getClass()), m.callId());
    }

    int onlineUsers() {
        synchronized (lock) {
            return online.size();
        }
    }

    int openCalls() {
        synchronized (lock) {
            return calls.size();
        }
    }
}
