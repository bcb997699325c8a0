package dev.parley.signaling.server;

import dev.parley.signaling.protocol.MessageCodec;
import dev.parley.signaling.protocol.Presence;
import dev.parley.signaling.protocol.PresenceStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * Who is signed in on which device, who watches whose presence, and the fan-out of presence changes to the
 * watchers. A user is online if any device is online, away if all are away, offline if none is signed in; watchers
 * hear only changes of that aggregate.
 *
 * <p>Not thread-safe: the {@link Hub}'s lock guards it. Presence is sent at once, under that lock, so every
 * watcher sees one user's changes in the order they were decided.
 *
 * @param <E> the endpoints it holds ({@link Connection} in the server), so that callers get their own type back
 */
final class PresenceBook<E extends Endpoint> {
    private final MessageCodec codec;
    private final BiPredicate<String, String> mayWatch;
    private final Map<String, Map<String, E>> online = new HashMap<>();
    private final Map<String, Set<E>> watchers = new HashMap<>();

    /** Presence for everyone who asks. */
    PresenceBook(MessageCodec codec) {
        this(codec, (watcher, watched) -> true);
    }

    /**
     * @param mayWatch whether a user may see another's presence (the contact book); a user asked about without
     *                 it is told "offline" — the same as a user who is not signed in, so nothing leaks
     */
    PresenceBook(MessageCodec codec, BiPredicate<String, String> mayWatch) {
        this.codec = codec;
        this.mayWatch = mayWatch;
    }

    /** Signs a device in. Returns the endpoint of the same device that it replaces, or null. */
    E add(E c) {
        PresenceStatus before = statusOf(c.user());
        E replaced =
                online.computeIfAbsent(c.user(), u -> new LinkedHashMap<>()).put(c.device(), c);
        notifyIfChanged(c.user(), before);
        return replaced;
    }

    /**
     * Forgets a closed endpoint: its subscription, and its device unless a newer endpoint of the same device has
     * replaced it. Returns true if it was still its device's endpoint (and so is signed out now).
     */
    boolean remove(E c) {
        unwatchAll(c);
        c.setWatching(Set.of());
        Map<String, E> devices = online.get(c.user());
        if (devices == null || devices.get(c.device()) != c) {
            return false; // never registered, or already replaced by a newer connection of the same device
        }
        PresenceStatus before = statusOf(c.user());
        devices.remove(c.device());
        if (devices.isEmpty()) {
            online.remove(c.user());
        }
        notifyIfChanged(c.user(), before);
        return true;
    }

    /**
     * Replaces the endpoint's subscription and tells it, at once, the status of each user (in the order asked).
     * Users it may not watch read as offline and are kept in its list, so that it hears of them once allowed.
     */
    void subscribe(E c, List<String> users) {
        unwatchAll(c);
        c.setWatching(new LinkedHashSet<>(users));
        for (String user : c.watching()) {
            boolean allowed = mayWatch.test(c.user(), user);
            if (allowed) {
                watchers.computeIfAbsent(user, u -> new HashSet<>()).add(c);
            }
            c.sendText(codec.encode(new Presence(user, allowed ? statusOf(user) : PresenceStatus.OFFLINE)));
        }
    }

    /**
     * Whether {@code watcher} may see {@code watched} changed (a contact accepted or removed): the watcher's
     * endpoints that asked about {@code watched} start or stop hearing of it, and are told where it stands now
     * (through {@code out}, after what the caller put there: the answer and the contact list come first).
     */
    void reconsider(String watcher, String watched, Outbox out) {
        boolean allowed = mayWatch.test(watcher, watched);
        for (E c : devicesOf(watcher)) {
            if (!c.watching().contains(watched)) {
                continue;
            }
            Set<E> set = watchers.computeIfAbsent(watched, u -> new HashSet<>());
            boolean changed = allowed ? set.add(c) : set.remove(c);
            if (set.isEmpty()) {
                watchers.remove(watched);
            }
            if (changed) {
                out.add(c, codec.encode(new Presence(watched, allowed ? statusOf(watched) : PresenceStatus.OFFLINE)));
            }
        }
    }

    /** Sets one device's own status; watchers hear of it if the user's status changes. */
    void setStatus(E c, PresenceStatus status) {
        PresenceStatus before = statusOf(c.user());
        c.setStatus(status);
        notifyIfChanged(c.user(), before);
    }

    /** The user's signed-in devices, in sign-in order; empty if none. A live view: copy it to keep it. */
    Collection<E> devicesOf(String user) {
        Map<String, E> devices = online.get(user);
        return devices == null ? List.of() : devices.values();
    }

    /** The user's endpoint on that device, or null if it is not signed in. */
    E device(String user, String device) {
        Map<String, E> devices = online.get(user);
        return devices == null ? null : devices.get(device);
    }

    /** Every signed-in endpoint (a copy). */
    List<E> all() {
        List<E> all = new ArrayList<>();
        online.values().forEach(devices -> all.addAll(devices.values()));
        return all;
    }

    boolean isOnline(String user) {
        return online.containsKey(user);
    }

    int onlineUsers() {
        return online.size();
    }

    /** Online if any device is online, away if all are away, offline if none is signed in. */
    PresenceStatus statusOf(String user) {
        Map<String, E> devices = online.get(user);
        if (devices == null || devices.isEmpty()) {
            return PresenceStatus.OFFLINE;
        }
        for (E d : devices.values()) {
            if (d.status() == PresenceStatus.ONLINE) {
                return PresenceStatus.ONLINE;
            }
        }
        return PresenceStatus.AWAY;
    }

    private void notifyIfChanged(String user, PresenceStatus before) {
        PresenceStatus now = statusOf(user);
        Set<E> set = watchers.get(user);
        if (now != before && set != null) {
            String text = codec.encode(new Presence(user, now));
            set.forEach(w -> w.sendText(text));
        }
    }

    private void unwatchAll(E c) {
        for (String watched : c.watching()) {
            Set<E> set = watchers.get(watched);
            if (set != null && set.remove(c) && set.isEmpty()) {
                watchers.remove(watched);
            }
        }
    }
}
