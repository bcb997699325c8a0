package dev.parley.signaling.client;

import dev.parley.signaling.protocol.CallMessage;
import dev.parley.signaling.protocol.DecodeResult;
import dev.parley.signaling.protocol.ErrorCode;
import dev.parley.signaling.protocol.ErrorMessage;
import dev.parley.signaling.protocol.Hello;
import dev.parley.signaling.protocol.IceServer;
import dev.parley.signaling.protocol.Message;
import dev.parley.signaling.protocol.MessageCodec;
import dev.parley.signaling.protocol.Ping;
import dev.parley.signaling.protocol.Pong;
import dev.parley.signaling.protocol.Presence;
import dev.parley.signaling.protocol.PresenceStatus;
import dev.parley.signaling.protocol.Subscribe;
import dev.parley.signaling.protocol.Welcome;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A tiny in-memory signaling server for tests of the layers above signaling: open sign-in, routing of call
 * messages by addressee with the sender stamped, presence, ping. It does not model multi-device call binding,
 * limits or accounts: the real server's tests cover those. Texts go through the codec both ways, as on a wire.
 * {@link #setReachable(boolean)}, {@link #setFrozen(boolean)} and {@link #disconnectAll()} simulate outages.
 */
public final class LoopbackHub {
    /**
     * A test's hand in the routing of call messages, as a compromised server would have it: gets every call
     * message (sender stamped) and delivers what it likes, to whom it likes, whenever it likes.
     */
    public interface Relay {
        void route(CallMessage stamped, Consumer<CallMessage> deliver);
    }

    private final String name;
    private final MessageCodec codec = new MessageCodec();
    private final Map<String, List<HubLink>> online = new HashMap<>();
    private final Map<String, Set<HubLink>> watchers = new HashMap<>();
    private final AtomicLong routed = new AtomicLong();
    private volatile boolean reachable = true;
    private volatile boolean frozen;
    private volatile List<IceServer> iceServers = List.of();
    private volatile Relay relay;

    LoopbackHub(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** ICE servers handed out in the welcome. */
    public void setIceServers(List<IceServer> servers) {
        iceServers = List.copyOf(servers);
    }

    /** Routes call messages through {@code r} from now on (null: route them plainly again). */
    public void setRelay(Relay r) {
        relay = r;
    }

    /** While unreachable, new links fail to open. */
    public void setReachable(boolean value) {
        reachable = value;
    }

    /** While frozen, links stay open but nothing sent is read or answered: a hung server, a half-open link. */
    public void setFrozen(boolean value) {
        frozen = value;
    }

    /** Drops every link, as a crashed server would. */
    public void disconnectAll() {
        List<HubLink> all;
        synchronized (this) {
            all = new ArrayList<>();
            online.values().forEach(all::addAll);
        }
        all.forEach(l -> l.close(1001, "hub going away"));
    }

    /** Call messages routed so far. */
    public long routedCount() {
        return routed.get();
    }

    synchronized Set<String> onlineUsers() {
        return Set.copyOf(online.keySet());
    }

    CompletableFuture<Transport.Link> open(Transport.Link.Receiver receiver) {
        if (!reachable) {
            return CompletableFuture.failedFuture(new ConnectException("loopback:" + name + " is unreachable"));
        }
        return CompletableFuture.completedFuture(new HubLink(receiver));
    }

    private void receive(HubLink from, String text) {
        DecodeResult result = codec.decode(text);
        if (result instanceof DecodeResult.Failure f) {
            from.deliver(f.toErrorMessage());
            return;
        }
        Message m = ((DecodeResult.Decoded) result).message();
        if (from.user == null) {
            if (m instanceof Hello hello && hello.user() != null) {
                from.user = hello.user();
                from.deliver(new Welcome(
                        hello.user(),
                        hello.device() == null ? "loopback" : hello.device(),
                        UUID.randomUUID().toString(),
                        null,
                        0,
                        iceServers,
                        20,
                        "loopback:" + name));
                synchronized (this) {
                    if (!from.open) {
                        return; // closed while signing in
                    }
                    boolean wasOffline = !online.containsKey(from.user);
                    online.computeIfAbsent(from.user, u -> new ArrayList<>()).add(from);
                    if (wasOffline) {
                        announce(from.user, PresenceStatus.ONLINE);
                    }
                }
            } else {
                from.deliver(ErrorMessage.of(ErrorCode.NOT_AUTHENTICATED, "send hello first"));
            }
            return;
        }
        if (m instanceof CallMessage call) {
            List<HubLink> targets;
            synchronized (this) {
                targets = List.copyOf(online.getOrDefault(call.to(), List.of()));
            }
            if (targets.isEmpty()) {
                from.deliver(new ErrorMessage(
                        ErrorCode.UNAVAILABLE,
                        call.to() + " is not signed in",
                        MessageCodec.typeOf(call.getClass()),
                        call.callId()));
                return;
            }
            routed.incrementAndGet();
            CallMessage stamped = call.withFrom(from.user);
            Relay r = relay;
            if (r != null) {
                r.route(stamped, this::deliverToAddressee);
            } else {
                deliverToAddressee(stamped);
            }
        } else if (m instanceof Ping ping) {
            from.deliver(new Pong(ping.nonce()));
        } else if (m instanceof Subscribe s) {
            synchronized (this) {
                watchers.values().forEach(set -> set.remove(from));
                watchers.values().removeIf(Set::isEmpty);
                for (String user : s.users()) {
                    watchers.computeIfAbsent(user, u -> new HashSet<>()).add(from);
                    from.deliver(new Presence(
                            user, online.containsKey(user) ? PresenceStatus.ONLINE : PresenceStatus.OFFLINE));
                }
            }
        } else if (m instanceof Presence p) {
            synchronized (this) {
                announce(from.user, p.status());
            }
        }
    }

    /** Delivers a call message to every link of its addressee, as it is (a relay's choice). */
    private void deliverToAddressee(CallMessage m) {
        List<HubLink> targets;
        synchronized (this) {
            targets = List.copyOf(online.getOrDefault(m.to(), List.of()));
        }
        targets.forEach(t -> t.deliver(m));
    }

    private synchronized void closed(HubLink link) {
        watchers.values().forEach(set -> set.remove(link));
        watchers.values().removeIf(Set::isEmpty);
        List<HubLink> links = link.user == null ? null : online.get(link.user);
        if (links != null && links.remove(link) && links.isEmpty()) {
            online.remove(link.user);
            announce(link.user, PresenceStatus.OFFLINE);
        }
    }

    /** Holds this. */
    private void announce(String user, PresenceStatus status) {
        watchers.getOrDefault(user, Set.of()).forEach(w -> w.deliver(new Presence(user, status)));
    }

    private final class HubLink implements Transport.Link {
        private final Transport.Link.Receiver receiver;
        private volatile boolean open = true;
        private volatile String user;

        HubLink(Transport.Link.Receiver receiver) {
            this.receiver = receiver;
        }

        void deliver(Message m) {
            if (open) {
                receiver.onText(codec.encode(m));
            }
        }

        @Override
        public boolean send(String text) {
            if (!open) {
                return false;
            }
            if (!frozen) {
                receive(this, text);
            }
            return true;
        }

        @Override
        public void close(int code, String reason) {
            if (open) {
                open = false;
                closed(this);
                receiver.onClosed(code, reason);
            }
        }
    }
}
