package dev.parley.signaling.server;

import dev.parley.signaling.protocol.IceServer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-limited TURN credentials in the "TURN REST API" scheme that coturn implements with
 * {@code use-auth-secret}/{@code static-auth-secret}: username = {@code EXPIRY:USER} (expiry in Unix seconds),
 * password = base64(HMAC-SHA1(secret, username)).
 */
public final class TurnCredentials {
    private final List<String> stunUris;
    private final List<String> turnUris;
    private final byte[] secret;
    private final Duration ttl;
    private final Clock clock;

    public TurnCredentials(List<String> uris, String secret, Duration ttl, Clock clock) {
        this.stunUris = new ArrayList<>();
        this.turnUris = new ArrayList<>();
        for (String uri : uris) {
            if (uri.startsWith("stun:") || uri.startsWith("stuns:")) {
                stunUris.add(uri);
            } else if (uri.startsWith("turn:") || uri.startsWith("turns:")) {
                turnUris.add(uri);
            } else {
                throw new IllegalArgumentException(
                        "not a STUN or TURN URI: " + uri + " (expected stun:, stuns:, turn: or turns:)");
            }
        }
        if (!turnUris.isEmpty() && (secret == null || secret.isEmpty())) {
            throw new IllegalArgumentException("turn: URIs need --turn-secret (coturn's static-auth-secret)");
        }
        this.secret = secret == null ? null : secret.getBytes(StandardCharsets.UTF_8);
        this.ttl = ttl;
        this.clock = clock;
    }

    /** The ICE servers to hand to this user now. */
    public List<IceServer> iceServersFor(String user) {
        return iceServersFor(user, Long.MAX_VALUE);
    }

    /** As {@link #iceServersFor(String)}, with credentials that expire no later than {@code notAfter} (Unix seconds). */
    public List<IceServer> iceServersFor(String user, long notAfter) {
        List<IceServer> servers = new ArrayList<>(2);
        if (!stunUris.isEmpty()) {
            servers.add(new IceServer(stunUris, null, null));
        }
        if (!turnUris.isEmpty()) {
            long expiry = Math.min(clock.instant().plus(ttl).getEpochSecond(), notAfter);
            String username = expiry + ":" + user;
            servers.add(new IceServer(turnUris, username, password(username)));
        }
        return servers;
    }

    String password(String username) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret, "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is not available", e);
        }
    }
}
