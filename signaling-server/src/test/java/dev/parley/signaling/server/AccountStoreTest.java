package dev.parley.signaling.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccountStoreTest {
    @TempDir
    Path dir;

    private final PasswordHasher hasher = new PasswordHasher(10_000);

    @Test
    void usersSurviveASaveAndLoadAndOnlyTheRightPasswordWorks() throws IOException {
        Path file = dir.resolve("sub/accounts");
        AccountStore store = AccountStore.load(file);
        assertFalse(store.put("alice", "pw-a".toCharArray(), hasher));
        assertFalse(store.put("bob", "pw-b".toCharArray(), hasher));
        assertTrue(store.put("alice", "pw-a2".toCharArray(), hasher)); // change of password

        AccountStore loaded = AccountStore.load(file);
        assertEquals(2, loaded.size());
        assertTrue(loaded.authenticate("alice", "pw-a2"));
        assertFalse(loaded.authenticate("alice", "pw-a"));
        assertFalse(loaded.authenticate("alice", null));
        assertFalse(loaded.authenticate("carol", "pw-a2"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertTrue(loaded.remove("bob"));
        assertFalse(AccountStore.load(file).contains("bob"));
        // No temporary files are left behind.
        assertEquals(
                List.of("accounts"),
                Files.list(file.getParent())
                        .map(p -> p.getFileName().toString())
                        .toList());
    }

    @Test
    void theFileHoldsSaltedHashesNotPasswords() throws IOException {
        Path file = dir.resolve("accounts");
        AccountStore store = AccountStore.load(file);
        store.put("alice", "same".toCharArray(), hasher);
        store.put("bob", "same".toCharArray(), hasher);
        String text = Files.readString(file);
        assertFalse(text.contains("same"));
        List<String> lines = text.lines().filter(l -> !l.startsWith("#")).toList();
        assertNotEquals(lines.get(0).substring(6), lines.get(1).substring(4), "same password, different salt");
    }

    @Test
    void aCorruptLineIsAnErrorNamingTheLine() throws IOException {
        Path file = dir.resolve("accounts");
        Files.writeString(file, "# comment\n\nalice:pbkdf2-sha256:10000:c2FsdA==:aGFzaA==\nbob has no hash\n");
        IOException e = assertThrows(IOException.class, () -> AccountStore.load(file));
        assertTrue(e.getMessage().contains("line 4"), e.getMessage());
    }

    @Test
    void invalidNamesAndEmptyPasswordsAreRefused() throws IOException {
        AccountStore store = AccountStore.load(dir.resolve("accounts"));
        assertThrows(IllegalArgumentException.class, () -> store.put("Alice!", "x".toCharArray(), hasher));
        assertThrows(IllegalArgumentException.class, () -> store.put("alice", new char[0], hasher));
        assertEquals(0, store.size());
    }

    @Test
    void hashVerificationRejectsMalformedStoredValues() {
        String good = hasher.hash("pw".toCharArray());
        assertTrue(PasswordHasher.verify("pw".toCharArray(), good));
        assertFalse(PasswordHasher.verify("pw".toCharArray(), "pbkdf2-sha256:1:AA==:AA=="));
        assertFalse(PasswordHasher.verify("pw".toCharArray(), "md5:abc"));
        assertFalse(PasswordHasher.verify("pw".toCharArray(), "pbkdf2-sha256:10000:!!!:AA=="));
    }

    /** PBKDF2-HMAC-SHA256 with a 256-bit output, by the JCA directly (not by {@link PasswordHasher}). */
    private static byte[] pbkdf2Sha256(String password, byte[] salt, int iterations) throws GeneralSecurityException {
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
        return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(spec)
                .getEncoded();
    }

    @Test
    void aKnownPbkdf2Sha256VectorInTheStoredFormatIsAcceptedAndOnlyForItsPassword() throws Exception {
        // RFC 7914 section 11: PBKDF2-HMAC-SHA256(P="Password", S="NaCl", c=80000); the first 32 bytes.
        byte[] salt = "NaCl".getBytes(StandardCharsets.US_ASCII);
        byte[] hash = pbkdf2Sha256("Password", salt, 80_000);
        assertEquals(
                "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56",
                HexFormat.of().formatHex(hash));
        String stored = "pbkdf2-sha256:80000:" + Base64.getEncoder().encodeToString(salt) + ":"
                + Base64.getEncoder().encodeToString(hash);
        assertEquals("pbkdf2-sha256:80000:TmFDbA==:TdzY9guYviGDDO5e8icB+WQaRBjQTAQUrv8Ih2s0q1Y=", stored);

        assertTrue(PasswordHasher.verify("Password".toCharArray(), stored));
        assertFalse(PasswordHasher.verify("password".toCharArray(), stored));
        assertFalse(PasswordHasher.verify("Password".toCharArray(), stored.replace(":80000:", ":80001:")));

        Path file = dir.resolve("accounts");
        Files.writeString(file, "# written by hand\ncarol:" + stored + "\n");
        AccountStore store = AccountStore.load(file);
        assertTrue(store.contains("carol"));
        assertTrue(store.authenticate("carol", "Password"));
        assertFalse(store.authenticate("carol", "Password "));
        assertFalse(store.authenticate("dave", "Password"));
    }

    @Test
    void newHashesCostWhatOwaspAsksForPbkdf2Sha256Today() {
        // OWASP Password Storage Cheat Sheet: 600,000 iterations of PBKDF2-HMAC-SHA256.
        assertEquals(600_000, PasswordHasher.DEFAULT_ITERATIONS);
        assertEquals("600000", new PasswordHasher().hash("pw".toCharArray()).split(":")[1]);
    }

    /** A hash made at an older, cheaper cost is rewritten at the current one the first time its password is seen. */
    @Test
    void aSuccessfulSignInWithAnOldHashRewritesItAtTheCurrentCost() throws IOException {
        Path file = dir.resolve("accounts");
        AccountStore old = AccountStore.load(file, hasher);
        old.put("alice", "pw-a".toCharArray(), hasher); // 10,000 iterations: yesterday's cost
        old.put("bob", "pw-b".toCharArray(), hasher);
        String bobBefore = line(file, "bob");

        AccountStore store = AccountStore.load(file, new PasswordHasher(20_000)); // today's cost
        assertFalse(store.authenticate("alice", "wrong"));
        assertTrue(line(file, "alice").contains(":10000:"), "a wrong password rewrites nothing");
        assertTrue(store.authenticate("alice", "pw-a"));
        assertTrue(line(file, "alice").startsWith("alice:pbkdf2-sha256:20000:"), line(file, "alice"));
        assertEquals(bobBefore, line(file, "bob"), "only the user who signed in");
        assertTrue(store.authenticate("alice", "pw-a"));
        assertTrue(AccountStore.load(file).authenticate("alice", "pw-a"), "the rewritten file holds the same password");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(
                List.of("accounts"),
                Files.list(dir).map(p -> p.getFileName().toString()).toList(),
                "written atomically: no temporary file left");
    }

    private static String line(Path file, String user) throws IOException {
        return Files.readAllLines(file).stream()
                .filter(l -> l.startsWith(user + ":"))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void theHasherWritesPbkdf2Sha256OfItsOwnSaltInTheStoredFormat() throws Exception {
        String stored = hasher.hash("pw".toCharArray());
        String[] parts = stored.split(":");
        assertEquals(4, parts.length, stored);
        assertEquals("pbkdf2-sha256", parts[0]);
        assertEquals("10000", parts[1]);
        byte[] salt = Base64.getDecoder().decode(parts[2]);
        assertEquals(16, salt.length);
        assertEquals(Base64.getEncoder().encodeToString(pbkdf2Sha256("pw", salt, 10_000)), parts[3]);
    }
}
