package dev.parley.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This installation's secret: 256 random bits, made once and kept in the config directory, readable by the owner
 * only. The app's own client and echo peer sign in to the built-in server with it over loopback; another user's
 * process on this computer cannot read it, so it cannot sign in there (the server refuses loopback sign-ins
 * without it).
 */
final class InstallSecret {
    private static final Logger log = LoggerFactory.getLogger(InstallSecret.class);
    static final String FILE = "install-secret";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private InstallSecret() {}

    /** The secret in {@code config/install-secret}, made now if there is none (or it was readable by others). */
    static String loadOrCreate(Path config) throws IOException {
        Path file = config.resolve(FILE);
        Files.createDirectories(config);
        for (int attempt = 0; attempt < 3; attempt++) {
            if (Files.exists(file)) {
                if (posix() && !OWNER_ONLY.containsAll(Files.getPosixFilePermissions(file))) {
                    // Someone else may have read it: it proves nothing any more.
                    log.warn("{} was readable by others; replacing it with a new secret", file);
                    Files.delete(file);
                    continue;
                }
                String secret =
                        Files.readString(file, StandardCharsets.US_ASCII).strip();
                if (secret.length() >= 22) { // 128 bits in base64
                    return secret;
                }
                log.warn("{} holds no usable secret; replacing it", file);
                Files.delete(file);
                continue;
            }
            String secret = generate(new SecureRandom());
            // Written under another name with the owner-only mode from the start, then linked into place: there is
            // never a moment when the secret is readable by others or half written, and of two apps starting at once
            // the second keeps the first one's secret (a link, unlike a rename, never replaces a file).
            Path tmp = posix()
                    ? Files.createTempFile(
                            config, ".install-secret", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
                    : Files.createTempFile(config, ".install-secret", ".tmp");
            try {
                Files.writeString(tmp, secret + "\n", StandardCharsets.US_ASCII);
                try {
                    Files.createLink(file, tmp);
                } catch (FileAlreadyExistsException raced) {
                    throw raced;
                } catch (UnsupportedOperationException | FileSystemException noLinks) {
                    Files.move(tmp, file); // a file system without hard links; fails if the file exists
                }
                return secret;
            } catch (FileAlreadyExistsException raced) {
                // another start made it meanwhile: read theirs
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        throw new IOException("cannot make the install secret in " + file);
    }

    /** 256 random bits, URL-safe base64 without padding. */
    static String generate(SecureRandom random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
