package dev.parley.call;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A file a peer sends, as it arrives: written straight to a hidden part file in the chosen folder (memory stays flat
 * whatever the size), held to the size the peer announced, hashed as it goes, and given its name only once every
 * byte is there and the SHA-256 the peer sent ahead matches. Whatever goes wrong — too many bytes, too few, another
 * hash, a full disk, a cancel — the part file is deleted and nothing is left behind. One thread writes it; another
 * may cancel it at any moment, without waiting: a write under way then fails, and its failure deletes nothing more.
 */
final class IncomingFile implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IncomingFile.class);
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /** Why a file did not arrive. */
    enum Failure {
        /** More bytes came than the peer announced. */
        TOO_LONG,
        /** The transfer ended before the announced size. */
        TOO_SHORT,
        /** Every byte came but they are not what the peer announced. */
        HASH_MISMATCH,
        /** The folder cannot take it (no space, no permission, a disk error). */
        DISK,
        /** Cancelled by either side, or the call ended. */
        CANCELLED
    }

    /** A file that did not arrive, and why; its part file is gone. */
    static final class FailedException extends Exception {
        private final Failure failure;

        FailedException(Failure failure, String message, Throwable cause) {
            super(message, cause);
            this.failure = failure;
        }

        Failure failure() {
            return failure;
        }
    }

    private final Path dir;
    private final String name;
    private final long size;
    private final String sha256;
    private final Path part;
    private final FileChannel out;
    private final MessageDigest digest;
    private long received;
    private volatile boolean over; // finished, failed or cancelled

    private IncomingFile(Path dir, String name, long size, String sha256, Path part, FileChannel out) {
        this.dir = dir;
        this.name = name;
        this.size = size;
        this.sha256 = sha256;
        this.part = part;
        this.out = out;
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /**
     * Starts receiving {@code size} bytes of the file the peer calls {@code offeredName} into {@code dir}.
     *
     * @throws IllegalArgumentException the offer itself is malformed (a negative size, a hash that is not 64
     *     lower-case hex digits)
     * @throws FailedException the folder cannot take it (missing, not writable, not enough free space)
     */
    static IncomingFile open(Path dir, String offeredName, long size, String sha256) throws FailedException {
        if (size < 0) {
            throw new IllegalArgumentException("a file of " + size + " bytes");
        }
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("a SHA-256 is 64 lower-case hex digits");
        }
        String name = FileNames.safe(offeredName);
        Path part = dir.resolve(".parley-" + UUID.randomUUID() + ".part");
        try {
            if (!Files.isDirectory(dir)) {
                throw new FailedException(Failure.DISK, "the folder " + dir + " does not exist", null);
            }
            long free = Files.getFileStore(dir).getUsableSpace();
            if (free < size) {
                throw new FailedException(
                        Failure.DISK,
                        String.format(Locale.ROOT, "%s needs %d bytes; %s has %d free", name, size, dir, free),
                        null);
            }
            FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            return new IncomingFile(dir, name, size, sha256, part, out);
        } catch (AccessDeniedException e) {
            throw new FailedException(Failure.DISK, "cannot write in " + dir, e);
        } catch (IOException e) {
            throw new FailedException(Failure.DISK, "cannot write in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The name it will have (the peer's name made safe; a number is added if it is taken). */
    String name() {
        return name;
    }

    long size() {
        return size;
    }

    synchronized long received() {
        return received;
    }

    /** Writes the next bytes; more than announced fails the file (and deletes it). */
    synchronized void write(ByteBuffer chunk) throws FailedException {
        check();
        int n = chunk.remaining();
        if (received + n > size) {
            throw fail(Failure.TOO_LONG, "the peer sent more than the " + size + " bytes it announced", null);
        }
        digest.update(chunk.duplicate());
        try {
            while (chunk.hasRemaining()) {
                out.write(chunk);
            }
        } catch (IOException e) {
            throw fail(Failure.DISK, "writing " + name + " failed: " + e.getMessage(), e);
        }
        received += n;
    }

    /**
     * The peer says it sent everything: checks the size and the hash, and gives the file its name in the folder.
     * Returns where it is.
     */
    synchronized Path finish() throws FailedException {
        check();
        if (received != size) {
            throw fail(Failure.TOO_SHORT, "only " + received + " of " + size + " bytes arrived", null);
        }
        String got = HexFormat.of().formatHex(digest.digest());
        if (!got.equals(sha256)) {
            throw fail(Failure.HASH_MISMATCH, "the file's SHA-256 is not the one the peer announced", null);
        }
        try {
            out.force(true);
            out.close();
            Path target = FileNames.claim(dir, name); // an empty file of our own under the free name
            try {
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                Files.deleteIfExists(target); // the name we claimed goes too (a cancel took the part file, say)
                throw e;
            }
            over = true;
            return target;
        } catch (IOException e) {
            throw fail(Failure.DISK, "saving " + name + " failed: " + e.getMessage(), e);
        }
    }

    /** Stops receiving: the part file goes. Does nothing once the file is finished or failed. */
    void cancel() {
        if (!over) {
            discard();
        }
    }

    @Override
    public void close() {
        cancel();
    }

    private void check() throws FailedException {
        if (over) {
            throw new FailedException(Failure.CANCELLED, name + " is no longer being received", null);
        }
    }

    private FailedException fail(Failure failure, String message, Throwable cause) {
        discard();
        return new FailedException(failure, message, cause);
    }

    private void discard() {
        over = true;
        try {
            out.close();
        } catch (IOException e) {
            // closing a file we throw away: nothing to save
        }
        try {
            Files.deleteIfExists(part);
        } catch (IOException e) {
            log.warn("Cannot delete the part file {}: {}", part, e.toString());
        }
    }
}
