package dev.parley.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.signaling.server.Authenticator;
import dev.parley.signaling.server.Authenticator.Attempt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The install secret is made once, kept readable by its owner only, and the join code is short and unambiguous. */
class InstallSecretTest {
    @TempDir
    Path config;

    @Test
    void theInstallSecretIsMadeOnceAndOnlyItsOwnerCanReadIt() throws Exception {
        String secret = InstallSecret.loadOrCreate(config);
        assertTrue(Base64.getUrlDecoder().decode(secret).length >= 16, "at least 128 bits: " + secret);
        Path file = config.resolve(InstallSecret.FILE);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(secret, InstallSecret.loadOrCreate(config), "kept across starts");
        try (var files = Files.list(config)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void aSecretOthersCouldReadIsReplaced() throws Exception {
        String secret = InstallSecret.loadOrCreate(config);
        Path file = config.resolve(InstallSecret.FILE);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        String next = InstallSecret.loadOrCreate(config);
        assertNotEquals(secret, next);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void joinCodesAreShortUnambiguousAndTypedAnyWay() {
        SecureRandom random = new SecureRandom();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String code = JoinCode.generate(random);
            assertTrue(code.matches("[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}"), code);
            seen.add(code);
        }
        assertTrue(seen.size() > 190, "random codes");
        assertEquals("K7QM3XWP", JoinCode.normalize(" k7qm 3xwp "));
        assertEquals("K7QM3XWP", JoinCode.normalize("K7QM-3XWP"));
        Authenticator auth = JoinCode.authenticator("K7QM-3XWP");
        assertTrue(auth.authenticate(new Attempt("a", "k7qm-3xwp", "d", null)));
        assertFalse(auth.authenticate(new Attempt("a", "K7QM-3XWQ", "d", null)));
        assertFalse(auth.authenticate(new Attempt("a", null, "d", null)));
        assertFalse(auth.authenticate(new Attempt("a", "", "d", null)));
    }
}
