package dev.parley.signaling.server;

import dev.parley.signaling.protocol.UserNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Users and their salted password hashes, one per line: {@code name:pbkdf2-sha256:ITERATIONS:SALT:HASH}.
 * Lines starting with {@code #} and blank lines are ignored. Writes are atomic (temporary file, then rename) and
 * the file is readable by its owner only.
 *
 * <p>A running server looks at the file's modification once a second ({@link #reloadIfChanged}): users added,
 * removed or given a new password by {@code parley server add-user}/{@code remove-user} (another process) take
 * effect at once, and the server signs out those removed or changed.
 */
public final class AccountStore implements Authenticator {
    private static final Logger log = LoggerFactory.getLogger(AccountStore.class);

    private final Path file;
    /** Guarded by itself; replaced in place by {@link #reloadIfChanged}. */
    private final Map<String, String> hashes;

    private final PasswordHasher hasher;
    /** The file as last read or written here; guarded by {@link #hashes}. */
    private FileStamp stamp;

    private AccountStore(Path file, Map<String, String> hashes, PasswordHasher hasher, FileStamp stamp) {
        this.file = file;
        this.hashes = hashes;
        this.hasher = hasher;
        this.stamp = stamp;
    }

    /** What tells that a file changed: its modification time, size and identity (a rename makes a new file). */
    private record FileStamp(FileTime modified, long size, Object key) {
        static FileStamp of(Path file) throws IOException {
            if (!Files.exists(file)) {
                return new FileStamp(null, -1, null);
            }
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new FileStamp(a.lastModifiedTime(), a.size(), a.fileKey());
        }
    }

    /** Loads the file; a missing file is an empty store. Malformed lines are an error naming the line. */
    public static AccountStore load(Path file) throws IOException {
        return load(file, new PasswordHasher());
    }

    /** As {@link #load(Path)}; {@code hasher} is the cost a password hash should have. */
    public static AccountStore load(Path file, PasswordHasher hasher) throws IOException {
        FileStamp stamp = FileStamp.of(file);
        return new AccountStore(file, read(file), hasher, stamp);
    }

    private static Map<String, String> read(Path file) throws IOException {
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
                    throw new IOException(
                            file + " line " + (i + 1) + ": expected NAME:pbkdf2-sha256:ITERATIONS:SALT:HASH");
                }
                hashes.put(name, hash);
            }
        }
        return hashes;
    }

    /**
     * Reads the file again if it changed since it was last read or written here. Returns the users who were
     * removed or whose hash changed (a new password): their sessions and tokens must end. A file that cannot be
     * read or is malformed (perhaps half-written by hand) is reported in the log and the accounts stay as they
     * were; it is read again once it changes.
     */
    public Set<String> reloadIfChanged() {
        synchronized (hashes) {
            FileStamp now;
            Map<String, String> fresh;
            try {
                now = FileStamp.of(file);
                if (now.equals(stamp)) {
                    return Set.of();
                }
                fresh = read(file);
            } catch (IOException e) {
                log.warn("Keeping the accounts as they were: {}", e.getMessage());
                try {
                    stamp = FileStamp.of(file); // not again until it changes once more
                } catch (IOException ignored) {
                    // the next look tries again
                }
                return Set.of();
            }
            Set<String> gone = new TreeSet<>();
            hashes.forEach((user, hash) -> {
                if (!hash.equals(fresh.get(user))) {
                    gone.add(user);
                }
            });
            int added = (int)
                    fresh.keySet().stream().filter(u -> !hashes.containsKey(u)).count();
            hashes.clear();
            hashes.putAll(fresh);
            stamp = now;
            log.info(
                    "Accounts reloaded from {}: {} users, {} added, {} removed or given a new password",
                    file,
                    fresh.size(),
                    added,
                    gone.size());
            return gone;
        }
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
            PasswordHasher.verify(new char[] {'x'}, DUMMY);
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
                log.info(
                        "Rehashed the password of {} at {} iterations (was {})",
                        user,
                        hasher.iterations(),
                        PasswordHasher.iterationsOf(stored));
            } catch (IOException e) {
                hashes.put(user, stored);
                log.warn("Could not rewrite {} with a stronger hash for {}: {}", file, user, e.toString());
            }
        }
    }

    private static final String DUMMY = new PasswordHasher().hash(new char[] {'d', 'u', 'm', 'm', 'y'});

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
            stamp = FileStamp.of(file); // our own write is no change to reload
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
