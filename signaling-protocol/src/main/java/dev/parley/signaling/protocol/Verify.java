package dev.parley.signaling.protocol;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * One step of a call's verification (docs/PROTOCOL.md, "Verifying a call"): the caller's commitment to a random
 * nonce ({@code commit}: the SHA-256 of its nonce), the callee's own nonce ({@code nonce}), then the caller's
 * nonce ({@code reveal}). Both sides derive the short code they read to each other from both nonces and both DTLS
 * fingerprints; the server only relays. Added within version 1.
 */
public record Verify(String callId, String from, String to, String stage, String value) implements CallMessage {
    public static final String COMMIT = "commit";
    public static final String NONCE = "nonce";
    public static final String REVEAL = "reveal";

    private static final Set<String> STAGES = Set.of(COMMIT, NONCE, REVEAL);
    private static final Pattern HEX_256 = Pattern.compile("[0-9a-f]{64}");

    public Verify {
        Checks.route(callId, from, to);
        Checks.required(stage, "stage");
        if (!STAGES.contains(stage)) {
            throw new IllegalArgumentException("field 'stage' must be commit, nonce or reveal");
        }
        Checks.required(value, "value");
        if (!HEX_256.matcher(value).matches()) {
            throw new IllegalArgumentException("field 'value' must be 64 lower-case hexadecimal digits (256 bits)");
        }
    }

    @Override
    public Verify withFrom(String from) {
        return new Verify(callId, from, to, stage, value);
    }
}
