package dev.parley.signaling.server;

import dev.parley.signaling.protocol.UserNames;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Users and their salted password hashes, one per line: {@code name:pbkdf2-sha256:ITERATIONS:SALT:HASH}.
 * Lines starting with {@code #} and blank lines are ignored. Writes are atomic (temporary file, then rename) and
 * the file is readable by its owner only.
 *
 * <p>The server reads the file once at start; {@code add-user} while the server runs takes effect at its next
 * start.
 */
public final class AccountStore implements Authenticator {
    private static final Logger log = LoggerFactory.getLogger(AccountStore.class);

    private final Path file;
    private final Map<String, String> hashes;
    private final PasswordHasher hasher;

    private AccountStore(Path file, Map<String, String> hashes, PasswordHasher hasher) {
        this.file = file;
        this.hashes = hashes;
        this.hasher = hasher;
    }

    /** Loads the file; a missing file is an empty store. Malformed lines are an error naming the line. */
    public static AccountStore load(Path file) throws IOException {
        return load(file, new PasswordHasher());
    }

    /** As {@link #load(Path)}; {@code hasher} is the cost a password hash should have. */
    public static AccountStore load(Path file, PasswordHasher hasher) throws IOException {
        Map<String, String> hashes = new TreeMap<>();
        if (Files.exists(file)) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                int colon = line.indexOf(':');
                String name = colon < 0 ? line : line.substring(0, colon);
                String hash = colon < 0 ? "" : line.substring(colon + 1);
                if (!UserNames.isValid(name) || !PasswordHasher.isWellFormed(hash)) {
                    throw new IOException(file + " line " + (i + 1) + ": expected NAME:pbkdf2-sha256:ITERATIONS:SALT:HASH");
                }
                hashes.put(name, hash);
            }
        }
        return new AccountStore(file, hashes, hasher);
    }

    /** Checks a user name against the protocol's rules; returns an explanation, or null if valid. */
    public static String invalidNameReason(String name) {
        return UserNames.invalidReason(name);
    }

    @Override
    public boolean authenticate(Attempt attempt) {
        return authenticate(attempt.user(), attempt.password());
    }

    /** True if this user's password is this one (the same time whether the user exists or not). */
    public boolean authenticate(String user, String password) {
        String stored;
        synchronized (hashes) {
            stored = hashes.get(user);
        }
        if (password == null) {
            return false; // nothing to check; whether a password was sent is no secret
        }
        if (stored == null) {
            // Spend the same time as a real check, so timing does not reveal which names exist.
            PasswordHasher.verify(new char[]{'x'}, DUMMY);
            return false;
        }
        char[] chars = password.toCharArray();
        try {
            if (!PasswordHasher.verify(chars, stored)) {
                return false;
            }
            if (PasswordHasher.iterationsOf(stored) < hasher.iterations()) {
                rehash(user, stored, chars);
            }
            return true;
        } finally {
            PasswordHasher.wipe(chars);
        }
    }

    /**
     * Rewrites a hash made at a lower cost than today's, now that the password is known to be right: older
     * installations' hashes reach the current cost without anyone resetting a password. The file is rewritten
     * atomically; if that fails the sign-in still succeeds and the next one tries again.
     */
    private void rehash(String user, String stored, char[] password) {
        String upgraded = hasher.hash(password);
        synchronized (hashes) {
            if (!stored.equals(hashes.get(user))) {
                return; // changed meanwhile (a new password, another sign-in's rehash): keep that
            }
            hashes.put(user, upgraded);
            try {
                save();
                log.info("Rehashed the password of {} at {} iterations (was {})", user, hasher.iterations(),
                        PasswordHasher.iterationsOf(stored));
            } catch (IOException e) {
                hashes.put(user, stored);
                log.warn("Could not rewrite {} with a stronger hash for {}: {}", file, user, e.toString());
            }
        }
    }

    private static final String DUMMY = new PasswordHasher().hash(new char[]{'d', 'u', 'm', 'm', 'y'});

    @Override
    public String describe() {
        return "accounts from " + file + " (" + size() + " users)";
    }

    public int size() {
        synchronized (hashes) {
            return hashes.size();
        }
    }

    public boolean contains(String user) {
        synchronized (hashes) {
            return hashes.containsKey(user);
        }
    }

    /** Adds or replaces a user and saves the file. Returns true if the user existed before. */
    public boolean put(String user, char[] password, PasswordHasher hasher) throws IOException {
        String reason = invalidNameReason(user);
        if (reason != null) {
            throw new IllegalArgumentException(reason);
        }
        if (password.length == 0) {
            throw new IllegalArgumentException("the password must not be empty");
        }
        String hash = hasher.hash(password);
        boolean existed;
        synchronized (hashes) {
            existed = hashes.put(user, hash) != null;
            save();
        }
        return existed;
    }

    /** Removes a user and saves the file. Returns true if the user existed. */
    public boolean remove(String user) throws IOException {
        synchronized (hashes) {
            boolean existed = hashes.remove(user) != null;
            if (existed) {
                save();
            }
            return existed;
        }
    }

    private void save() throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("# Parley accounts: NAME:pbkdf2-sha256:ITERATIONS:SALT:HASH. Manage with: parley server add-user");
        hashes.forEach((name, hash) -> lines.add(name + ":" + hash));
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".accounts", ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // Not a POSIX file system (Windows): the directory's ACL applies.
            }
            Files.write(tmp, lines, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
