package dev.parley.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The commit–nonce–reveal exchange and the code, without a network: both sides' objects talk directly. */
class VerificationTest {
    private static final String ALICE_SDP =
            "v=0\r\na=fingerprint:sha-256 AA:BB:CC\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
                    + "a=fingerprint:sha-256 AA:BB:CC\r\n";
    private static final String BOB_SDP =
            "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=fingerprint:SHA-256 dd:ee:ff\r\n";
    private static final String MALLORY_SDP = "v=0\r\na=fingerprint:sha-256 11:22:33\r\n";
    private final SecureRandom random = new SecureRandom();

    /** Runs the whole exchange as the two clients would; returns {caller, callee}. */
    private Verification[] exchange(String callId, String callerSees, String calleeSees) {
        Verification caller = new Verification(callId, true, random);
        Verification callee = new Verification(callId, false, random);
        caller.localDescription(callerSees.equals("alice") ? ALICE_SDP : MALLORY_SDP);
        Verification.Step commit = caller.start();
        callee.remoteDescription(calleeSees.equals("alice") ? ALICE_SDP : MALLORY_SDP);
        callee.localDescription(BOB_SDP);
        Verification.Step nonce = callee.receive(commit.stage(), commit.value());
        caller.remoteDescription(callerSees.equals("alice") ? BOB_SDP : MALLORY_SDP);
        Verification.Step reveal = caller.receive(nonce.stage(), nonce.value());
        assertNull(callee.receive(reveal.stage(), reveal.value()), "the callee answers a reveal with nothing");
        return new Verification[] {caller, callee};
    }

    @Test
    void bothSidesOfOneCallGetTheSameSixCharacterCode() {
        Verification[] v = exchange("call-1", "alice", "alice");
        assertEquals(SecurityCode.Status.READY, v[0].result().status());
        assertEquals(SecurityCode.Status.READY, v[1].result().status());
        assertEquals(v[0].result().code(), v[1].result().code());
        assertTrue(
                v[0].result().code().matches("[ybndrfg8ejkmcpqxot1uwisza345h769]{6}"),
                v[0].result().code());
        assertEquals(7, v[0].result().display().length());
    }

    @Test
    void theCommitmentIsTheHashOfTheNonceRevealedLater() throws Exception {
        Verification caller = new Verification("c", true, random);
        Verification callee = new Verification("c", false, random);
        Verification.Step commit = caller.start();
        assertEquals(Verification.COMMIT, commit.stage());
        assertNull(caller.start(), "one commitment per connection");
        Verification.Step nonce = callee.receive(commit.stage(), commit.value());
        assertEquals(Verification.NONCE, nonce.stage());
        Verification.Step reveal = caller.receive(nonce.stage(), nonce.value());
        assertEquals(Verification.REVEAL, reveal.stage());
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(HexFormat.of().parseHex(reveal.value()));
        assertEquals(commit.value(), HexFormat.of().formatHex(hash));
        assertNotEquals(nonce.value(), reveal.value());
    }

    @Test
    void twoCallsBetweenTheSamePeopleGiveDifferentCodes() {
        Set<String> codes = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            codes.add(exchange("call-" + i, "alice", "alice")[0].result().code());
        }
        assertTrue(codes.size() >= 19, "20 calls gave only " + codes.size() + " codes: " + codes);
    }

    @Test
    void aManInTheMiddleLeavesEachPersonWithADifferentCode() {
        // Mallory relays the nonces unchanged but holds the DTLS sessions: alice sees mallory's fingerprint as bob's
        // and bob sees mallory's as alice's. Both verifications complete, with codes that differ.
        Verification aliceSide = new Verification("call-x", true, random);
        Verification bobSide = new Verification("call-x", false, random);
        aliceSide.localDescription(ALICE_SDP);
        Verification.Step commit = aliceSide.start();
        bobSide.remoteDescription(MALLORY_SDP);
        bobSide.localDescription(BOB_SDP);
        Verification.Step nonce = bobSide.receive(commit.stage(), commit.value());
        aliceSide.remoteDescription(MALLORY_SDP);
        Verification.Step reveal = aliceSide.receive(nonce.stage(), nonce.value());
        bobSide.receive(reveal.stage(), reveal.value());
        assertEquals(SecurityCode.Status.READY, aliceSide.result().status());
        assertEquals(SecurityCode.Status.READY, bobSide.result().status());
        assertNotEquals(aliceSide.result().code(), bobSide.result().code());
    }

    @Test
    void aRevealThatDoesNotMatchTheCommitmentFailsTheVerificationWithAReason() {
        Verification caller = new Verification("c", true, random);
        Verification callee = new Verification("c", false, random);
        callee.remoteDescription(ALICE_SDP);
        callee.localDescription(BOB_SDP);
        Verification.Step commit = caller.start();
        callee.receive(commit.stage(), commit.value());
        String otherNonce = "00".repeat(32);
        assertNull(callee.receive(Verification.REVEAL, otherNonce));
        assertEquals(SecurityCode.Status.FAILED, callee.result().status());
        assertNull(callee.result().code());
        assertNotNull(callee.result().problem());
        assertTrue(
                callee.result().problem().contains("commitment"),
                callee.result().problem());
        // and a correct reveal afterwards does not turn it into a code
        Verification.Step nonce = new Verification("c", false, random).receive(commit.stage(), commit.value());
        Verification.Step reveal = caller.receive(nonce.stage(), nonce.value());
        callee.receive(reveal.stage(), reveal.value());
        assertEquals(SecurityCode.Status.FAILED, callee.result().status());
    }

    @Test
    void stepsOutOfOrderAreIgnored() {
        Verification caller = new Verification("c", true, random);
        Verification callee = new Verification("c", false, random);
        String any = "ab".repeat(32);
        assertNull(caller.receive(Verification.NONCE, any), "a nonce before our commitment went out");
        assertNull(callee.receive(Verification.REVEAL, any), "a reveal before any commitment");
        assertNull(callee.start(), "the callee does not commit");
        Verification.Step commit = caller.start();
        assertNotNull(callee.receive(commit.stage(), commit.value()));
        assertNull(callee.receive(commit.stage(), any), "a second commitment");
        assertEquals(SecurityCode.Status.PENDING, callee.result().status());
    }

    @Test
    void aDescriptionWithoutAFingerprintCannotBeVerified() {
        Verification caller = new Verification("c", true, random);
        Verification callee = new Verification("c", false, random);
        caller.localDescription(ALICE_SDP);
        Verification.Step commit = caller.start();
        Verification.Step nonce = callee.receive(commit.stage(), commit.value());
        caller.remoteDescription("v=0\r\nm=audio 9 RTP/AVP 0\r\n");
        caller.receive(nonce.stage(), nonce.value());
        assertEquals(SecurityCode.Status.FAILED, caller.result().status());
    }

    @Test
    void fingerprintsAreNormalisedSortedAndAllCount() {
        assertEquals("sha-256 AA:BB:CC", Verification.fingerprints(ALICE_SDP));
        assertEquals("sha-256 DD:EE:FF", Verification.fingerprints(BOB_SDP));
        assertEquals(
                "sha-256 11:22\nsha-256 AA:BB",
                Verification.fingerprints("a=fingerprint:sha-256 aa:bb\r\na=fingerprint:sha-256 11:22\r\n"));
        assertEquals("", Verification.fingerprints("v=0\r\n"));
    }

    @Test
    void theCodeDependsOnEveryInput() {
        byte[] n1 = new byte[32];
        byte[] n2 = new byte[32];
        n2[0] = 1;
        String base = Verification.code("c", "a", "b", n1, n2);
        assertEquals(base, Verification.code("c", "a", "b", n1, n2));
        assertNotEquals(base, Verification.code("d", "a", "b", n1, n2));
        assertNotEquals(base, Verification.code("c", "x", "b", n1, n2));
        assertNotEquals(base, Verification.code("c", "a", "x", n1, n2));
        assertNotEquals(base, Verification.code("c", "a", "b", n2, n1));
    }
}
