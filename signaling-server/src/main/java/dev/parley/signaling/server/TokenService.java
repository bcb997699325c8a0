package dev.parley.signaling.server;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

/**
 * Resume tokens: {@code base64url(user:expiry).base64url(HMAC-SHA256)}, signed with a key made at server start.
 * They let a client re-authenticate after a reconnect without keeping the password; after a server restart they
 * are no longer valid and the client falls back to its password.
 */
final class TokenService {
    private final byte[] key = new byte[32];
    private final Duration ttl;
    private final Clock clock;

    TokenService(Duration ttl, Clock clock) {
        new SecureRandom().nextBytes(key);
        this.ttl = ttl;
        this.clock = clock;
    }

    Duration ttl() {
        return ttl;
    }

    String issue(String user) {
        long expiry = clock.instant().plus(ttl).getEpochSecond();
        String payload = user + ":" + expiry;
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + b64.encodeToString(sign(payload));
    }

    /** The user the token was issued to, or null if it is forged, malformed or expired. */
    String verify(String token) {
        int dot = token.indexOf('.');
        if (dot <= 0) {
            return null;
        }
        try {
            Base64.Decoder b64 = Base64.getUrlDecoder();
            String payload = new String(b64.decode(token.substring(0, dot)), StandardCharsets.UTF_8);
            byte[] signature = b64.decode(token.substring(dot + 1));
            if (!MessageDigest.isEqual(sign(payload), signature)) {
                return null;
            }
            int colon = payload.lastIndexOf(':');
            long expiry = Long.parseLong(payload.substring(colon + 1));
            if (clock.instant().getEpochSecond() > expiry) {
                return null;
            }
            return payload.substring(0, colon);
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            return null;
        }
    }

    private byte[] sign(String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(payload.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
