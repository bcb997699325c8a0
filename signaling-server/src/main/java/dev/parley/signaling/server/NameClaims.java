package dev.parley.signaling.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which device each name belongs to, where there are no passwords (open mode, a LAN-hosted built-in server): the
 * first device to sign in with a name keeps it, and another device is refused it. The proof is the device id a
 * client keeps in its configuration directory (a random UUID it never shows anyone but its server; the server
 * never tells one user another's device); only its SHA-256 is kept here. With a file, claims survive a restart
 * (written atomically, readable by the owner only).
 */
public final class NameClaims {
    private final Map<String, String> deviceHashes = new LinkedHashMap<>();
    private final Path file;

    private NameClaims(Path file) {
        this.file = file;
    }

    /** Claims kept in memory only. */
    public static NameClaims inMemory() {
        return new NameClaims(null);
    }

    /** Claims kept in {@code file} (created when the first name is claimed). */
    public static NameClaims in(Path file) throws IOException {
        NameClaims claims = new NameClaims(file);
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    claims.deviceHashes.put(
                            line.substring(0, colon), line.substring(colon + 1).strip());
                }
            }
        }
        return claims;
    }

    /**
     * True if {@code device} may use {@code user}: the name is unclaimed (it is claimed for this device now) or
     * claimed by this device. A sign-in without a device id can never claim or use a claimed name.
     */
    public synchronized boolean claim(String user, String device) {
        if (device == null || device.isBlank()) {
            return false;
        }
        String hash = hash(device);
        String owner = deviceHashes.get(user);
        if (owner != null) {
            return MessageDigest.isEqual(
                    owner.getBytes(StandardCharsets.US_ASCII), hash.getBytes(StandardCharsets.US_ASCII));
        }
        deviceHashes.put(user, hash);
        save();
        return true;
    }

    /** Releases a name (the device was lost): the next device to use it claims it. */
    public synchronized boolean release(String user) {
        boolean had = deviceHashes.remove(user) != null;
        if (had) {
            save();
        }
        return had;
    }

    private void save() {
        if (file == null) {
            return;
        }
        StringBuilder text = new StringBuilder();
        deviceHashes.forEach(
                (user, hash) -> text.append(user).append(':').append(hash).append('\n'));
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = Files.createTempFile(
                    file.toAbsolutePath().getParent(),
                    ".claims",
                    ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the name claims to " + file, e);
        }
    }

    private static String hash(String device) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(device.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
