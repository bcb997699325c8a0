package dev.parley.call;

import dev.parley.signaling.protocol.Verify;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A call's short authentication string ({@link SecurityCode}) (docs/PROTOCOL.md, "Verifying a call"). Media is encrypted with keys that
 * only the DTLS fingerprints in the descriptions vouch for, and the descriptions pass through the server: a server
 * (or anyone on a plain ws:// path) that swaps them can sit in the middle with two DTLS sessions of its own. Each
 * person then sees a code made from the fingerprints of their own session; read aloud, the two codes differ.
 *
 * <p>A code made only from the fingerprints could be forced: the man in the middle would make certificates until
 * its two sessions' codes matched. So each side also adds a random 256-bit nonce, and the caller commits to its
 * nonce (sends its SHA-256) before it sees the callee's, and reveals it only after: when the callee picks its
 * nonce it cannot know the caller's, and the caller's is fixed before it sees the callee's. A man in the middle
 * gets one try per call, at odds of 2<sup>-30</sup>.
 *
 * <p>The code: HMAC-SHA256 keyed with {@code "parley-sas-v1:" + callId} over the caller's fingerprints, the
 * callee's fingerprints and both nonces (lines, in that order); its first 30 bits as six z-base-32 characters.
 * Not thread-safe: one instance per peer connection, used on the call's thread.
 */
final class Verification {
    /** What to send the peer next (a step: commit, nonce or reveal, with its 64 hex digits); null: nothing. */
    record Step(String stage, String value) {}

    static final String COMMIT = Verify.COMMIT; // the wire's words (PROTOCOL.md 3.5)
    static final String NONCE = Verify.NONCE;
    static final String REVEAL = Verify.REVEAL;
    private static final String ALPHABET = "ybndrfg8ejkmcpqxot1uwisza345h769"; // z-base-32: easy to read aloud
    private static final Pattern FINGERPRINT =
            Pattern.compile("^a=fingerprint:(\\S+) ([0-9A-Fa-f:]+)\\s*$", Pattern.MULTILINE);
    private static final HexFormat HEX = HexFormat.of();

    private final String callId;
    private final boolean caller;
    private final byte[] nonce = new byte[32];
    private String localFingerprints;
    private String remoteFingerprints;
    private String peerCommitment; // the callee's copy of the caller's commitment
    private byte[] peerNonce;
    private boolean sentNonce; // the callee's: its nonce went out
    private boolean sentCommit; // the caller's
    private SecurityCode result = SecurityCode.PENDING;

    Verification(String callId, boolean caller, SecureRandom random) {
        this.callId = callId;
        this.caller = caller;
        random.nextBytes(nonce);
    }

    SecurityCode result() {
        return result;
    }

    /** The caller's first step, sent with its offer; null for the callee (it waits for the commitment). */
    Step start() {
        if (!caller || sentCommit) {
            return null;
        }
        sentCommit = true;
        return new Step(COMMIT, HEX.formatHex(sha256(nonce)));
    }

    /** A description we sent: its fingerprints are ours (only the first one counts; they do not change). */
    void localDescription(String sdp) {
        if (localFingerprints == null) {
            localFingerprints = fingerprints(sdp);
            finish();
        }
    }

    /** A description the peer sent and we applied. */
    void remoteDescription(String sdp) {
        if (remoteFingerprints == null) {
            remoteFingerprints = fingerprints(sdp);
            finish();
        }
    }

    /** A step from the peer; returns what to answer, or null. Steps out of order or repeated are ignored. */
    Step receive(String stage, String value) {
        if (result.status() == SecurityCode.Status.FAILED) {
            return null;
        }
        byte[] bytes = HEX.parseHex(value);
        if (!caller && stage.equals(COMMIT) && peerCommitment == null) {
            peerCommitment = value;
            sentNonce = true;
            return new Step(NONCE, HEX.formatHex(nonce));
        }
        if (caller && stage.equals(NONCE) && sentCommit && peerNonce == null) {
            peerNonce = bytes;
            finish();
            return new Step(REVEAL, HEX.formatHex(nonce));
        }
        if (!caller && stage.equals(REVEAL) && sentNonce && peerNonce == null) {
            if (!MessageDigest.isEqual(sha256(bytes), HEX.parseHex(peerCommitment))) {
                result = new SecurityCode(
                        SecurityCode.Status.FAILED, null, "the caller's nonce does not match its commitment", null);
                return null;
            }
            peerNonce = bytes;
            finish();
        }
        return null;
    }

    private void finish() {
        if (result.status() != SecurityCode.Status.PENDING
                || peerNonce == null
                || localFingerprints == null
                || remoteFingerprints == null) {
            return;
        }
        if (localFingerprints.isEmpty() || remoteFingerprints.isEmpty()) {
            result = new SecurityCode(SecurityCode.Status.FAILED, null, "a description has no DTLS fingerprint", null);
            return;
        }
        String callerPrints = caller ? localFingerprints : remoteFingerprints;
        String calleePrints = caller ? remoteFingerprints : localFingerprints;
        byte[] callerNonce = caller ? nonce : peerNonce;
        byte[] calleeNonce = caller ? peerNonce : nonce;
        result = new SecurityCode(
                SecurityCode.Status.READY,
                code(callId, callerPrints, calleePrints, callerNonce, calleeNonce),
                null,
                remoteFingerprints);
    }

    /**
     * Loads the JDK's HMAC and SHA-256 (the first {@code Mac.getInstance} took 109 ms here: the JCE providers
     * load). Called off the call's thread when an engine starts: done on the call's thread as an answer arrives,
     * that stall delayed the answer's connectivity checks enough to lose the relayed path between two symmetric
     * NATs (NAT lab scenario 4).
     */
    static void warmUp() {
        code("warm-up", "", "", new byte[32], new byte[32]);
        sha256(new byte[1]);
    }

    /** The code for these inputs (both sides compute it; package-private for tests). */
    static String code(
            String callId, String callerPrints, String calleePrints, byte[] callerNonce, byte[] calleeNonce) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(("parley-sas-v1:" + callId).getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String input = callerPrints + "\n" + calleePrints + "\n" + HEX.formatHex(callerNonce) + "\n"
                    + HEX.formatHex(calleeNonce);
            byte[] h = mac.doFinal(input.getBytes(StandardCharsets.UTF_8));
            long bits = ((h[0] & 0xffL) << 24 | (h[1] & 0xffL) << 16 | (h[2] & 0xffL) << 8 | (h[3] & 0xffL)) >>> 2;
            char[] out = new char[6];
            for (int i = 5; i >= 0; i--) {
                out[i] = ALPHABET.charAt((int) (bits & 31));
                bits >>>= 5;
            }
            return new String(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /**
     * Every distinct {@code a=fingerprint} of a description ("sha-256 AB:CD:…", algorithm in lower case, hex in
     * upper case), sorted, one per line; empty if it has none. All of them count, so a description cannot hide a
     * second certificate behind the first.
     */
    static String fingerprints(String sdp) {
        TreeSet<String> all = new TreeSet<>();
        Matcher m = FINGERPRINT.matcher(sdp.replace("\r", ""));
        while (m.find()) {
            all.add(m.group(1).toLowerCase(Locale.ROOT) + " " + m.group(2).toUpperCase(Locale.ROOT));
        }
        return String.join("\n", List.copyOf(all));
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
