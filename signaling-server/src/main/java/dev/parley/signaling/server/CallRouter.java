package dev.parley.signaling.server;

import dev.parley.signaling.protocol.Accept;
import dev.parley.signaling.protocol.Answer;
import dev.parley.signaling.protocol.Busy;
import dev.parley.signaling.protocol.CallMessage;
import dev.parley.signaling.protocol.Cancel;
import dev.parley.signaling.protocol.Candidate;
import dev.parley.signaling.protocol.Decline;
import dev.parley.signaling.protocol.EndCause;
import dev.parley.signaling.protocol.ErrorCode;
import dev.parley.signaling.protocol.ErrorMessage;
import dev.parley.signaling.protocol.Hangup;
import dev.parley.signaling.protocol.Invite;
import dev.parley.signaling.protocol.MessageCodec;
import dev.parley.signaling.protocol.Offer;
import dev.parley.signaling.protocol.Ringing;
import dev.parley.signaling.protocol.Verify;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Routes call messages between the two parties' devices, and ends the calls nobody else will end: who may send
 * what about a call, to which devices it goes, and when its route is forgotten (docs/PROTOCOL.md section 5).
 *
 * <p>Multi-device: a user may be signed in on several devices at once. An invite rings all of them; the first
 * to accept wins and the others get {@code cancel} with reason {@code answered-elsewhere}; a decline, busy or hangup
 * from any device while ringing ends the call for all ({@code declined-elsewhere}). A route stays bound to the
 * caller's device and, once accepted, the callee's device, so it survives a reconnect of the same device.
 *
 * <p>Nothing that sets up media passes before an accept: the caller's early offer and candidates are held here
 * and go to the accepting device only (no ringing device — nor anyone signed in under the callee's name — learns
 * the caller's addresses or description by ringing), and a callee device that has not accepted may not send an
 * offer, answer or candidate ({@code forbidden}).
 *
 * <p>Not thread-safe: the {@link Hub}'s lock guards it. Nothing is sent from here; every text goes into the
 * caller's {@link Outbox}, which the hub sends after the lock.
 */
final class CallRouter {
    private static final long RINGING_LIMIT_NANOS = TimeUnit.MINUTES.toNanos(5);
    private static final long CALL_LIMIT_NANOS = TimeUnit.HOURS.toNanos(24);

    private final MessageCodec codec;
    private final int maxCallsPerUser;
    private final PresenceBook<?> presence;
    private final LongSupplier nanoTime;
    private final Map<String, CallRoute> calls = new HashMap<>();
    private final Map<String, Set<String>> callsByUser = new HashMap<>();
    private final RouteLog log;

    /**
     * Hears of every route made, answered and forgotten (under the hub's lock, so it only queues): a cluster keeps
     * its routes where the other nodes can find them.
     */
    interface RouteLog {
        void opened(CallRoute route);

        void answered(CallRoute route);

        void closed(CallRoute route);
    }

    /** @param nanoTime the clock of {@link #sweep}'s argument, {@link System#nanoTime()} in the server */
    CallRouter(MessageCodec codec, int maxCallsPerUser, PresenceBook<?> presence, LongSupplier nanoTime) {
        this(codec, maxCallsPerUser, presence, nanoTime, ClusterLink.ALONE);
    }

    CallRouter(MessageCodec codec, int maxCallsPerUser, PresenceBook<?> presence, LongSupplier nanoTime, RouteLog log) {
        this.codec = codec;
        this.maxCallsPerUser = maxCallsPerUser;
        this.presence = presence;
        this.nanoTime = nanoTime;
        this.log = log;
    }

    /** The calls routed here (a copy of the list; the routes themselves are guarded by the hub's lock). */
    List<CallRoute> routes() {
        return List.copyOf(calls.values());
    }

    /** Whether this router routes the call. */
    boolean routes(String callId) {
        return calls.containsKey(callId);
    }

    /**
     * Takes over a call whose route lived on a node that died: routed from here on as it stood there (ringing, or
     * bound to the callee's device that accepted), its ringing and length limits counted from now. What the caller
     * sent before an accept and the dead node held is lost.
     */
    void adopt(ClusterLink.CallRecord record) {
        if (calls.containsKey(record.callId())) {
            return;
        }
        CallRoute route = new CallRoute(
                record.callId(), record.caller(), record.callerDevice(), record.callee(), nanoTime.getAsLong());
        route.calleeDevice = record.calleeDevice();
        calls.put(route.callId, route);
        callsByUser.computeIfAbsent(route.caller, u -> new HashSet<>()).add(route.callId);
        callsByUser.computeIfAbsent(route.callee, u -> new HashSet<>()).add(route.callId);
        log.opened(route);
    }

    /** Routes a call message whose sender has already been stamped as {@code c}'s user; a refusal goes back to c. */
    void route(Endpoint c, CallMessage m, String encoded, Outbox out) {
        ErrorMessage refusal =
                m instanceof Invite invite ? invite(c, invite, encoded, out) : follow(c, m, encoded, out);
        if (refusal != null) {
            out.add(c, codec.encode(refusal));
        }
    }

    private ErrorMessage invite(Endpoint c, Invite m, String encoded, Outbox out) {
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
        Collection<? extends Endpoint> devices = presence.devicesOf(m.to());
        if (devices.isEmpty()) {
            return refuse(ErrorCode.UNAVAILABLE, m.to() + " is not signed in", m);
        }
        CallRoute route = new CallRoute(m.callId(), c.user(), c.device(), m.to(), nanoTime.getAsLong());
        calls.put(route.callId, route);
        callsByUser.computeIfAbsent(route.caller, u -> new HashSet<>()).add(route.callId);
        callsByUser.computeIfAbsent(route.callee, u -> new HashSet<>()).add(route.callId);
        log.opened(route); // before the invite goes: a node that rings finds the route when its device answers
        devices.forEach(d -> out.add(d, encoded));
        return null;
    }

    private ErrorMessage follow(Endpoint c, CallMessage m, String encoded, Outbox out) {
        CallRoute route = calls.get(m.callId());
        if (route == null) {
            return refuse(ErrorCode.UNKNOWN_CALL, "there is no call " + m.callId() + " (it may have ended)", m);
        }
        boolean fromCaller = route.caller.equals(c.user()) && route.callerDevice.equals(c.device());
        boolean fromCallee =
                route.callee.equals(c.user()) && (route.calleeDevice == null || route.calleeDevice.equals(c.device()));
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
        boolean media = m instanceof Offer || m instanceof Answer || m instanceof Candidate || m instanceof Verify;
        if (media && !route.answered()) {
            if (fromCallee) {
                return refuse(ErrorCode.FORBIDDEN, "accept the call before sending its media setup", m);
            }
            // The caller's early offer and candidates wait for the device that accepts.
            return route.hold(encoded)
                    ? null
                    : refuse(ErrorCode.RATE_LIMITED, "too much sent before the call was answered", m);
        }

        List<Endpoint> targets = fromCaller ? calleeDevices(route) : callerDevice(route);
        boolean ends = m instanceof Decline || m instanceof Busy || m instanceof Cancel || m instanceof Hangup;
        if (m instanceof Accept && route.calleeDevice == null) {
            route.calleeDevice = c.device();
            log.answered(route);
            cancelOtherDevices(route, c, EndCause.ANSWERED_ELSEWHERE.wire(), out);
            route.held.forEach(text -> out.add(c, text)); // the caller's early offer and candidates, to this device
            route.held.clear();
            route.heldChars = 0;
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

    /**
     * A device went away. A call it was placing that nobody answered is cancelled; a call ringing only on devices
     * that are now all gone is reported to the caller as unavailable. Answered calls are left alone: their media
     * does not need the server, and the device may reconnect. Call after the device has left the presence book.
     */
    void deviceGone(Endpoint c, Outbox out) {
        for (String callId : List.copyOf(callsByUser.getOrDefault(c.user(), Set.of()))) {
            CallRoute route = calls.get(callId);
            if (route == null || route.answered()) {
                continue;
            }
            if (route.caller.equals(c.user()) && route.callerDevice.equals(c.device())) {
                removeCall(route);
                String cancel = codec.encode(
                        new Cancel(callId, route.caller, route.callee, EndCause.CALLER_UNAVAILABLE.wire()));
                calleeDevices(route).forEach(d -> out.add(d, cancel));
            } else if (route.callee.equals(c.user()) && !presence.isOnline(route.callee)) {
                removeCall(route);
                String error = codec.encode(
                        new ErrorMessage(ErrorCode.UNAVAILABLE, route.callee + " went offline", "invite", callId));
                callerDevice(route).forEach(d -> out.add(d, error));
            }
        }
    }

    /**
     * Forgets calls that rang too long or have lasted beyond any plausible call; bounds memory. A call that rang
     * unanswered is cancelled on the callee's devices and reported to the caller, so nothing rings forever.
     */
    void sweep(long nowNanos, Outbox out) {
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
                String cancel =
                        codec.encode(new Cancel(route.callId, route.caller, route.callee, EndCause.NO_ANSWER.wire()));
                calleeDevices(route).forEach(d -> out.add(d, cancel));
                String error = codec.encode(new ErrorMessage(
                        ErrorCode.UNAVAILABLE, route.callee + " did not answer", "invite", route.callId));
                callerDevice(route).forEach(d -> out.add(d, error));
            }
        }
    }

    int openCalls() {
        return calls.size();
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

    private List<Endpoint> calleeDevices(CallRoute route) {
        if (route.calleeDevice == null) {
            return List.copyOf(presence.devicesOf(route.callee));
        }
        Endpoint bound = presence.device(route.callee, route.calleeDevice);
        return bound == null ? List.of() : List.of(bound);
    }

    private List<Endpoint> callerDevice(CallRoute route) {
        Endpoint caller = presence.device(route.caller, route.callerDevice);
        return caller == null ? List.of() : List.of(caller);
    }

    private void cancelOtherDevices(CallRoute route, Endpoint except, String reason, Outbox out) {
        String cancel = codec.encode(new Cancel(route.callId, route.caller, route.callee, reason));
        for (Endpoint d : presence.devicesOf(route.callee)) {
            if (d != except) {
                out.add(d, cancel);
            }
        }
    }

    private void removeCall(CallRoute route) {
        if (calls.remove(route.callId) != null) {
            log.closed(route);
        }
        removeFromIndex(route.caller, route.callId);
        removeFromIndex(route.callee, route.callId);
    }

    private void removeFromIndex(String user, String callId) {
        Set<String> ids = callsByUser.get(user);
        if (ids != null && ids.remove(callId) && ids.isEmpty()) {
            callsByUser.remove(user);
        }
    }

    private static ErrorMessage refuse(ErrorCode code, String text, CallMessage m) {
        return new ErrorMessage(code, text, MessageCodec.typeOf(m.getClass()), m.callId());
    }
}
