package dev.parley.signaling.server;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Guest links: tokens that let a person with only a web browser call the one user who made the link, until it
 * expires or that user revokes it. A token is 128 random bits (base64url, 22 characters), so it cannot be guessed;
 * it is the only thing a guest proves. Links live in this server's memory: they end when it restarts (as resume
 * tokens do), and a node of a cluster knows only its own. Thread-safe: every method is short and takes this object's
 * lock.
 */
final class GuestLinks {
    static final Duration DEFAULT_TTL = Duration.ofHours(24);
    static final Duration MIN_TTL = Duration.ofMinutes(1);
    static final Duration MAX_TTL = Duration.ofDays(7);
    /** Live links one user may have; a user who needs more revokes some (they also expire). */
    static final int MAX_PER_OWNER = 20;
    /** Guests signed in with one link at once: a link posted in public cannot flood its owner with callers. */
    static final int MAX_GUESTS_PER_LINK = 8;
    /** What every guest's user name starts with; no user may sign in under such a name. */
    static final String GUEST_PREFIX = "guest-";

    /** @param expiresAtMillis epoch milliseconds */
    record Link(String token, String owner, long expiresAtMillis) {
        long expiresAtSeconds() {
            return Math.floorDiv(expiresAtMillis, 1000);
        }
    }

    /** More links than {@link #MAX_PER_OWNER}, or more guests than {@link #MAX_GUESTS_PER_LINK}. */
    static final class TooMany extends Exception {
        TooMany(String message) {
            super(message, null, false, false);
        }
    }

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Link> byToken = new HashMap<>();
    private final Map<String, Integer> perOwner = new HashMap<>();
    private final Map<String, Integer> guests = new HashMap<>();

    GuestLinks(Clock clock) {
        this.clock = clock;
    }

    /** True if {@code user} is a name the server gives guests (users may not sign in under one). */
    static boolean isGuestName(String user) {
        return user != null && user.startsWith(GUEST_PREFIX);
    }

    /** A new link of {@code owner}'s, valid for {@code ttl} (between {@link #MIN_TTL} and {@link #MAX_TTL}). */
    synchronized Link create(String owner, Duration ttl) throws TooMany {
        if (ttl.compareTo(MIN_TTL) < 0 || ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException(
                    "a link lasts from " + MIN_TTL.toSeconds() + " s to " + MAX_TTL.toSeconds() + " s (a week)");
        }
        sweep();
        if (perOwner.getOrDefault(owner, 0) >= MAX_PER_OWNER) {
            throw new TooMany("you have " + MAX_PER_OWNER + " links that still work; revoke one first");
        }
        Link link = new Link(token(16), owner, clock.millis() + ttl.toMillis());
        byToken.put(link.token(), link);
        perOwner.merge(owner, 1, Integer::sum);
        return link;
    }

    /** The link with this token if it still works, else null. */
    synchronized Link find(String token) {
        Link link = token == null ? null : byToken.get(token);
        return link != null && link.expiresAtMillis() > clock.millis() ? link : null;
    }

    /** Ends {@code owner}'s link; null if they have no working link with this token. */
    synchronized Link revoke(String owner, String token) {
        Link link = find(token);
        if (link == null || !link.owner().equals(owner)) {
            return null;
        }
        forget(link);
        return link;
    }

    /**
     * A guest signs in with {@code token}: returns its link, or null if the link does not work (any more).
     *
     * @param again a guest signing in again (its old connection may not be noticed as gone yet): never refused
     * @throws TooMany if the link already has {@link #MAX_GUESTS_PER_LINK} guests signed in
     */
    synchronized Link admit(String token, boolean again) throws TooMany {
        Link link = find(token);
        if (link == null) {
            return null;
        }
        int now = guests.getOrDefault(token, 0);
        if (now >= MAX_GUESTS_PER_LINK && !again) { // a guest signing in again may still hold its old place
            throw new TooMany("this link has " + MAX_GUESTS_PER_LINK + " guests already; try again later");
        }
        guests.put(token, now + 1);
        return link;
    }

    /** A guest admitted with {@code token} signed out. */
    synchronized void left(String token) {
        guests.computeIfPresent(token, (t, n) -> n <= 1 ? null : n - 1);
    }

    /** A fresh guest user name: the prefix and 16 random characters of base32 (80 bits). */
    String guestName() {
        final String alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        byte[] bytes = new byte[16];
        synchronized (this) {
            random.nextBytes(bytes);
        }
        StringBuilder name = new StringBuilder(GUEST_PREFIX);
        for (byte b : bytes) {
            name.append(alphabet.charAt(b & 31));
        }
        return name.toString();
    }

    /** Forgets expired links; called by the server's sweeper. */
    synchronized void sweep() {
        long now = clock.millis();
        for (Iterator<Link> it = byToken.values().iterator(); it.hasNext(); ) {
            Link link = it.next();
            if (link.expiresAtMillis() <= now) {
                it.remove();
                perOwner.computeIfPresent(link.owner(), (o, n) -> n <= 1 ? null : n - 1);
            }
        }
    }

    synchronized int size() {
        return byToken.size();
    }

    private void forget(Link link) {
        byToken.remove(link.token());
        perOwner.computeIfPresent(link.owner(), (o, n) -> n <= 1 ? null : n - 1);
    }

    private String token(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
