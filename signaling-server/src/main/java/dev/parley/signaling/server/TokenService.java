package dev.parley.signaling.server;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Resume tokens: {@code base64url(user:expiry).base64url(HMAC-SHA256)}, signed with a key made at server start.
 * They let a client re-authenticate after a reconnect without keeping the password; after a server restart they
 * are no longer valid and the client falls back to its password.
 *
 * <p>The HMAC covers more than the visible part: the device the token was issued to, so a token copied to another
 * device signs nothing in, and the user's token generation, which {@link #revoke} moves on, so every token a user
 * holds stops working at once (the user was removed, or the password changed). Thread-safe.
 */
final class TokenService {
    private final byte[] key = new byte[32];
    private final Duration ttl;
    private final Clock clock;
    /** Users whose tokens were revoked, and how many times. Forgotten at restart, like the key. */
    private final ConcurrentMap<String, Long> generations = new ConcurrentHashMap<>();

    TokenService(Duration ttl, Clock clock) {
        new SecureRandom().nextBytes(key);
        this.ttl = ttl;
        this.clock = clock;
    }

    Duration ttl() {
        return ttl;
    }

    /** A token that signs {@code user} in again from {@code device} only. */
    String issue(String user, String device) {
        long expiry = clock.instant().plus(ttl).getEpochSecond();
        String payload = user + ":" + expiry;
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(sign(payload, user, device));
    }

    /**
     * The user the token was issued to, or null if it is forged, malformed or expired, was issued to another device
     * (or the hello names none), or was revoked.
     */
    String verify(String token, String device) {
        int dot = token.indexOf('.');
        if (dot <= 0 || device == null) {
            return null;
        }
        try {
            Base64.Decoder b64 = Base64.getUrlDecoder();
            String payload = new String(b64.decode(token.substring(0, dot)), StandardCharsets.UTF_8);
            byte[] signature = b64.decode(token.substring(dot + 1));
            int colon = payload.lastIndexOf(':');
            String user = payload.substring(0, colon);
            if (!MessageDigest.isEqual(sign(payload, user, device), signature)) {
                return null;
            }
            long expiry = Long.parseLong(payload.substring(colon + 1));
            if (clock.instant().getEpochSecond() > expiry) {
                return null;
            }
            return user;
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            return null;
        }
    }

    /** Every token issued to {@code user} so far stops working; tokens issued from now on work. */
    void revoke(String user) {
        generations.merge(user, 1L, Long::sum);
    }

    /** How many times {@code user}'s tokens were revoked (0 for null or never). */
    long generation(String user) {
        return user == null ? 0 : generations.getOrDefault(user, 0L);
    }

    private byte[] sign(String payload, String user, String device) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            // A NUL cannot occur in a user name or a device id, so the parts cannot be shifted into each other.
            String signed = payload + "\0" + device + "\0" + generations.getOrDefault(user, 0L);
            return mac.doFinal(signed.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
