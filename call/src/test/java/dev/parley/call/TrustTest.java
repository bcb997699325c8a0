package dev.parley.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.media.DtlsIdentity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustTest {
    private static final String BOB = "sha-256 AB:CD:EF";
    private static final String BOB_ELSEWHERE = "sha-256 12:34:56";

    @TempDir
    Path dir;

    @Test
    void theIdentityIsMadeOnceKeptForTheOwnerOnlyAndReadBackTheSame() throws Exception {
        Trust first = Trust.load(dir);
        Path file = dir.resolve("identity.pem");
        assertFalse(Files.exists(file), "nothing made before it is needed (not on the way to the first window)");
        String fingerprint = first.identity().fingerprint();
        assertTrue(Files.exists(file));
        assertEquals(
                Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(file),
                "the private key is the owner's alone");
        assertEquals(fingerprint, Trust.load(dir).identity().fingerprint());
        assertNull(Trust.inMemory().identity(), "headless: libwebrtc's own certificate per call");
    }

    @Test
    void aVerifiedKeyIsRememberedAndAnotherKeyOfThatPersonIsAChange() throws Exception {
        Trust trust = Trust.load(dir);
        assertEquals(Trust.Standing.UNKNOWN, trust.standing("bob", BOB));
        trust.markVerified("bob", BOB);
        assertEquals(Trust.Standing.VERIFIED, trust.standing("bob", BOB));
        assertEquals(Trust.Standing.CHANGED, trust.standing("bob", BOB_ELSEWHERE));
        assertEquals(Trust.Standing.UNKNOWN, trust.standing("carol", BOB), "verified for bob only");
        assertEquals(Trust.Standing.UNKNOWN, trust.standing("bob", null));

        Trust again = Trust.load(dir); // saved at once
        assertEquals(Trust.Standing.VERIFIED, again.standing("bob", BOB));
        again.markVerified("bob", BOB_ELSEWHERE); // bob's second device
        assertEquals(Trust.Standing.VERIFIED, Trust.load(dir).standing("bob", BOB));
        assertEquals(Trust.Standing.VERIFIED, Trust.load(dir).standing("bob", BOB_ELSEWHERE));
    }

    @Test
    void onlyAFingerprintCanBeMarkedVerified() throws Exception {
        Trust trust = Trust.load(dir);
        assertThrows(IllegalArgumentException.class, () -> trust.markVerified("bob", null));
        assertThrows(IllegalArgumentException.class, () -> trust.markVerified("bob", "anything\nat all"));
        assertEquals(Trust.Standing.UNKNOWN, trust.standing("bob", "anything\nat all"));
    }

    @Test
    void hostileOrBrokenFilesCostOnlyThemselvesAndAreKeptAside() throws Exception {
        Files.writeString(
                dir.resolve("verified.json"),
                "{\"version\":1,\"verified\":{\"bob\":[{\"key\":\"" + BOB
                        + "\",\"verifiedAtMillis\":1}],\"eve\":[{\"key\":\"rm -rf /\"}],\"x\":null}}",
                StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("identity.pem"), "-----BEGIN CERTIFICATE-----\nnot base64!\n");
        Trust trust = Trust.load(dir);
        DtlsIdentity replaced = trust.identity();
        assertEquals(Trust.Standing.VERIFIED, trust.standing("bob", BOB), "the good entry is kept");
        assertEquals(Trust.Standing.UNKNOWN, trust.standing("eve", "rm -rf /"), "the bad one is not");
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(
                    files.anyMatch(p -> p.getFileName().toString().startsWith("identity.pem.broken-")),
                    "the unreadable identity was moved aside, not overwritten");
        }
        assertNotEquals(null, replaced, "and a new one made");

        Files.writeString(dir.resolve("verified.json"), "{not json");
        assertEquals(Trust.Standing.UNKNOWN, Trust.load(dir).standing("bob", BOB));
    }

    @Test
    void anIdentityNearItsEndIsReplaced() throws Exception {
        DtlsIdentity old = DtlsIdentity.generate(Duration.ofDays(10));
        Files.writeString(dir.resolve("identity.pem"), old.toPem());
        assertNotEquals(old.fingerprint(), Trust.load(dir).identity().fingerprint());
        DtlsIdentity good = DtlsIdentity.generate(Duration.ofDays(365));
        Files.writeString(dir.resolve("identity.pem"), good.toPem());
        assertEquals(good.fingerprint(), Trust.load(dir).identity().fingerprint());
    }
}
