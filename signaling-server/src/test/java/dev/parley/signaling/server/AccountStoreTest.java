package dev.parley.signaling.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        assertEquals(List.of("accounts"), Files.list(file.getParent()).map(p -> p.getFileName().toString()).toList());
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
}
