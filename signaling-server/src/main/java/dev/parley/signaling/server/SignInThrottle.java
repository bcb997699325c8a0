package dev.parley.signaling.server;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Slows password guessing down before any password is hashed. Failed password sign-ins are counted per address
 * and per account name. After a few free failures, each further one locks its address (or account) for twice as
 * long as the one before: 1 s, 2 s, 4 s, ... up to 15 minutes, a temporary lock-out; attempts during a lock are
 * refused without hashing. A record is forgotten an hour after its last failure.
 *
 * <p>The account lock would let anyone lock a real user out by guessing wrong on purpose, so it does not apply to
 * addresses the account has signed in from successfully (in the last 30 days): guessing alice's password from
 * elsewhere does not stop alice at home. Only sign-ins that checked a password count; a refused resume token does
 * not (after a server restart every client's token is refused once).
 *
 * <p>Thread-safe. The clock is injected (nanoseconds, as {@link System#nanoTime()}) so tests can step it.
 */
final class SignInThrottle {
    static final int FREE_FAILURES_PER_ADDRESS = 10;
    static final int FREE_FAILURES_PER_ACCOUNT = 10;
    static final long MAX_LOCK_SECONDS = TimeUnit.MINUTES.toSeconds(15);
    private static final long FORGET_NANOS = TimeUnit.HOURS.toNanos(1);
    private static final long KNOWN_ADDRESS_NANOS = TimeUnit.DAYS.toNanos(30);
    private static final int KNOWN_ADDRESSES_PER_ACCOUNT = 16;

    private final LongSupplier nanoTime;
    private final Map<String, Failures> byAddress = new HashMap<>();
    private final Map<String, Failures> byAccount = new HashMap<>();
    /** account, then address key, then when it last signed in from there. */
    private final Map<String, LinkedHashMap<String, Long>> knownAddresses = new HashMap<>();

    SignInThrottle(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /**
     * Whether a password sign-in as {@code account} from {@code address} may be checked now: 0 if so, else the
     * seconds to wait (at least 1).
     */
    synchronized long secondsToWait(String address, String account) {
        long now = nanoTime.getAsLong();
        long wait = remaining(byAddress.get(address), FREE_FAILURES_PER_ADDRESS, now);
        if (account != null && !isKnown(account, address, now)) {
            wait = Math.max(wait, remaining(byAccount.get(account), FREE_FAILURES_PER_ACCOUNT, now));
        }
        return wait <= 0 ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toSeconds(wait + TimeUnit.SECONDS.toNanos(1) - 1));
    }

    /** A password check failed. */
    synchronized void failed(String address, String account) {
        long now = nanoTime.getAsLong();
        byAddress.computeIfAbsent(address, a -> new Failures()).add(now);
        if (account != null && !isKnown(account, address, now)) {
            byAccount.computeIfAbsent(account, a -> new Failures()).add(now);
        }
    }

    /** A sign-in succeeded (by password or token): the address is known for the account from now on. */
    synchronized void succeeded(String address, String account) {
        LinkedHashMap<String, Long> known = knownAddresses.computeIfAbsent(account, a -> new LinkedHashMap<>());
        known.remove(address);
        known.put(address, nanoTime.getAsLong()); // most recent last
        if (known.size() > KNOWN_ADDRESSES_PER_ACCOUNT) {
            Iterator<String> oldest = known.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
    }

    /** Forgets what no longer matters, so the records stay as few as recent failures. */
    synchronized void prune() {
        long now = nanoTime.getAsLong();
        byAddress.values().removeIf(f -> now - f.lastNanos > FORGET_NANOS);
        byAccount.values().removeIf(f -> now - f.lastNanos > FORGET_NANOS);
        knownAddresses.values().forEach(m -> m.values().removeIf(t -> now - t > KNOWN_ADDRESS_NANOS));
        knownAddresses.values().removeIf(Map::isEmpty);
    }

    private boolean isKnown(String account, String address, long now) {
        Map<String, Long> known = knownAddresses.get(account);
        Long when = known == null ? null : known.get(address);
        return when != null && now - when <= KNOWN_ADDRESS_NANOS;
    }

    /** Nanoseconds until the record's lock ends; zero or less if not locked. */
    private static long remaining(Failures f, int free, long now) {
        if (f == null || now - f.lastNanos > FORGET_NANOS || f.count <= free) {
            return 0;
        }
        return f.lastNanos + TimeUnit.SECONDS.toNanos(lockSeconds(f.count, free)) - now;
    }

    /** After {@code count} failures: 1 s for the first one past the free ones, doubling, at most 15 minutes. */
    static long lockSeconds(int count, int free) {
        int over = count - free;
        if (over <= 0) {
            return 0;
        }
        return over > 11 ? MAX_LOCK_SECONDS : Math.min(MAX_LOCK_SECONDS, 1L << (over - 1));
    }

    private static final class Failures {
        int count;
        long lastNanos;

        void add(long now) {
            if (count > 0 && now - lastNanos > FORGET_NANOS) {
                count = 0; // an old run of failures no longer counts
            }
            count++;
            lastNanos = now;
        }
    }
}
