package dev.parley.call;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON document in a file. Writes are atomic (a temporary file in the same directory, then a rename), so a
 * crash never leaves half a file. A file that cannot be read is moved aside (never overwritten: the user's data
 * may still be recovered from it) and the defaults are used.
 */
final class JsonFile<T> {
    private static final Logger log = LoggerFactory.getLogger(JsonFile.class);
    private static final Gson GSON =
            new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private final Path file;
    private final Class<T> type;

    JsonFile(Path file, Class<T> type) {
        this.file = file;
        this.type = type;
    }

    Path path() {
        return file;
    }

    T load(Supplier<T> defaults) {
        if (!Files.exists(file)) {
            return defaults.get();
        }
        try {
            T value = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), type);
            return value != null ? value : defaults.get();
        } catch (IOException | RuntimeException e) { // Gson wraps constructor failures in plain RuntimeExceptions
            try {
                moveAside(file, e.getMessage());
            } catch (IOException moveFailed) {
                log.warn("Could not move {} aside: {}", file, moveFailed.toString());
            }
            return defaults.get();
        }
    }

    /**
     * A file that cannot be used is kept, not overwritten: renamed to {@code NAME.broken-SECONDS} next to it, and
     * said in the log with {@code why}.
     */
    static void moveAside(Path file, String why) throws IOException {
        Path aside = file.resolveSibling(
                file.getFileName() + ".broken-" + Instant.now().getEpochSecond());
        log.warn("Cannot use {} ({}); moved it to {} and starting afresh", file, why, aside);
        Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
    }

    void save(T value) throws IOException {
        writeAtomically(file, GSON.toJson(value));
    }

    /**
     * Replaces {@code file} with {@code text} at once (a temporary file moved over it), so a crash leaves the old
     * file or the new one, never half of one. The temporary file, and so the result, is readable by its owner only.
     */
    static void writeAtomically(Path file, String text) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
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
