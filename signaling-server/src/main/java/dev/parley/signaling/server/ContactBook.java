package dev.parley.signaling.server;

import dev.parley.signaling.protocol.Contacts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is whose contact: presence is shared only between two users who are each other's contact — one asked, the
 * other accepted — so nobody can watch someone who did not agree to it (docs/SECURITY.md). Requests wait here
 * until answered. With a file, it survives a restart (written atomically, readable by the owner only).
 *
 * <p>{@link #everyone()} is the open-mode exception (a LAN, the app's built-in server): everybody sees everybody,
 * and a request is accepted at once.
 *
 * <p>Not thread-safe: the {@link Hub}'s lock guards it. The file is written behind, by a thread of its own, so that no
 * disk write happens under the hub's lock or on the thread that reads the sockets; {@link #close()} waits for the last
 * write.
 */
final class ContactBook implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ContactBook.class);

    /** Requests a user may have waiting for an answer at once. */
    static final int MAX_OUTGOING = 100;

    private final boolean everyone;
    private final Path file;
    private final Map<String, Set<String>> accepted = new HashMap<>();
    private final Map<String, Set<String>> requestedBy = new HashMap<>(); // who asked → whom

    /** The newest contents not yet written; null when the file is up to date. */
    private final AtomicReference<String> unwritten = new AtomicReference<>();
    /** True inside {@link #withoutSaving}. Guarded by the hub's lock like the rest of the book. */
    private boolean holdingSaves;

    /** The last contents whose write failed, while no later write succeeded; null otherwise. */
    private volatile String failed;

    /** Writes the file, one snapshot at a time; null without a file. */
    private final ExecutorService writer;

    private ContactBook(boolean everyone, Path file) {
        this.everyone = everyone;
        this.file = file;
        this.writer = file == null
                ? null
                : Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "parley-contacts-writer");
                    t.setDaemon(true);
                    return t;
                });
    }

    /** Open mode: presence for everyone, requests accepted at once (in memory). */
    static ContactBook everyone() {
        return new ContactBook(true, null);
    }

    /** Presence between contacts only, kept in memory. */
    static ContactBook inMemory() {
        return new ContactBook(false, null);
    }

    /** Presence between contacts only, kept in {@code file}. */
    static ContactBook in(Path file) {
        ContactBook book = new ContactBook(false, file);
        try {
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    String[] parts = line.strip().split(" ");
                    if (parts.length == 3 && parts[0].equals("contact")) {
                        book.link(parts[1], parts[2]);
                    } else if (parts.length == 3 && parts[0].equals("request")) {
                        book.requestedBy
                                .computeIfAbsent(parts[1], u -> new TreeSet<>())
                                .add(parts[2]);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the contacts in " + file, e);
        }
        return book;
    }

    boolean isEveryone() {
        return everyone;
    }

    /** Whether {@code watcher} may see {@code watched}'s presence. */
    boolean mayWatch(String watcher, String watched) {
        return everyone
                || watcher.equals(watched)
                || accepted.getOrDefault(watcher, Set.of()).contains(watched);
    }

    /**
     * {@code from} asks {@code to}. Returns true if they are contacts now (open mode, or {@code to} had asked
     * {@code from} already); false if the request waits. Refused (IllegalStateException) beyond
     * {@link #MAX_OUTGOING} waiting requests.
     */
    boolean request(String from, String to) {
        if (from.equals(to)) {
            throw new IllegalArgumentException("you cannot add yourself");
        }
        if (everyone || requestedBy.getOrDefault(to, Set.of()).contains(from) || mayWatch(from, to)) {
            unrequest(to, from);
            link(from, to);
            save();
            return true;
        }
        Set<String> mine = requestedBy.computeIfAbsent(from, u -> new TreeSet<>());
        if (!mine.contains(to) && mine.size() >= MAX_OUTGOING) {
            throw new IllegalStateException(
                    "too many contact requests waiting for an answer (at most " + MAX_OUTGOING + ")");
        }
        mine.add(to);
        save();
        return false;
    }

    /** {@code from} answers {@code to}'s request. Returns true if there was one to answer. */
    boolean answer(String from, String to, boolean accept) {
        if (!requestedBy.getOrDefault(to, Set.of()).contains(from)) {
            return false;
        }
        unrequest(to, from);
        if (accept) {
            link(from, to);
        }
        save();
        return true;
    }

    /** {@code from} ends being {@code to}'s contact, or withdraws or refuses a request either way. */
    void remove(String from, String to) {
        unlink(from, to);
        unrequest(from, to);
        unrequest(to, from);
        save();
    }

    // ---- a pair's state, as the nodes of a cluster share it (docs/SCALING.md) ----

    /** Linked: each is the other's contact. */
    static final String LINKED = "linked";
    /** The first of the pair (in name order) asked the second. */
    static final String FIRST_ASKED = "first-asked";
    /** The second of the pair (in name order) asked the first. */
    static final String SECOND_ASKED = "second-asked";

    /** The state of the pair {@code a} and {@code b}: {@link #LINKED}, one of the two asked, or null for nothing. */
    String pairState(String a, String b) {
        String first = a.compareTo(b) < 0 ? a : b;
        String second = first.equals(a) ? b : a;
        if (accepted.getOrDefault(first, Set.of()).contains(second)) {
            return LINKED;
        }
        if (requestedBy.getOrDefault(first, Set.of()).contains(second)) {
            return FIRST_ASKED;
        }
        if (requestedBy.getOrDefault(second, Set.of()).contains(first)) {
            return SECOND_ASKED;
        }
        return null;
    }

    /**
     * Sets the pair's state as the cluster says (another node decided it, or Redis held it); returns true if that
     * changed anything here. An unknown state is refused (IllegalArgumentException), leaving the pair as it was.
     */
    boolean setPairState(String a, String b, String state) {
        if (state != null && !state.equals(LINKED) && !state.equals(FIRST_ASKED) && !state.equals(SECOND_ASKED)) {
            throw new IllegalArgumentException("not a contact state: " + LogSafe.quote(state));
        }
        if (a.equals(b) || java.util.Objects.equals(pairState(a, b), state)) {
            return false;
        }
        String first = a.compareTo(b) < 0 ? a : b;
        String second = first.equals(a) ? b : a;
        unlink(first, second);
        unrequest(first, second);
        unrequest(second, first);
        if (LINKED.equals(state)) {
            link(first, second);
        } else if (FIRST_ASKED.equals(state)) {
            requestedBy.computeIfAbsent(first, u -> new TreeSet<>()).add(second);
        } else if (SECOND_ASKED.equals(state)) {
            requestedBy.computeIfAbsent(second, u -> new TreeSet<>()).add(first);
        }
        save();
        return true;
    }

    /** Every pair with a state: {@link #pairKey} to its state. */
    Map<String, String> pairStates() {
        Map<String, String> pairs = new HashMap<>();
        accepted.forEach((a, bs) -> bs.forEach(b -> {
            if (a.compareTo(b) < 0) {
                pairs.put(pairKey(a, b), LINKED);
            }
        }));
        requestedBy.forEach((asker, asked) ->
                asked.forEach(b -> pairs.put(pairKey(asker, b), asker.compareTo(b) < 0 ? FIRST_ASKED : SECOND_ASKED)));
        return pairs;
    }

    /** A pair as the cluster names it: the two names in name order, a line apart. */
    static String pairKey(String a, String b) {
        return a.compareTo(b) < 0 ? a + "\n" + b : b + "\n" + a;
    }

    /** What {@code user}'s client is told about its contacts. */
    Contacts view(String user) {
        List<String> incoming = new ArrayList<>();
        requestedBy.forEach((asker, asked) -> {
            if (asked.contains(user)) {
                incoming.add(asker);
            }
        });
        incoming.sort(null);
        return new Contacts(
                List.copyOf(new TreeSet<>(accepted.getOrDefault(user, Set.of()))),
                incoming,
                List.copyOf(requestedBy.getOrDefault(user, Set.of())));
    }

    private void link(String a, String b) {
        accepted.computeIfAbsent(a, u -> new TreeSet<>()).add(b);
        accepted.computeIfAbsent(b, u -> new TreeSet<>()).add(a);
    }

    private void unlink(String a, String b) {
        remove(accepted, a, b);
        remove(accepted, b, a);
    }

    private void unrequest(String asker, String asked) {
        remove(requestedBy, asker, asked);
    }

    private static void remove(Map<String, Set<String>> map, String key, String value) {
        Set<String> set = map.get(key);
        if (set != null && set.remove(value) && set.isEmpty()) {
            map.remove(key);
        }
    }

    /**
     * Runs {@code change} with no file write: for working a change out and putting the book back as it was (the
     * cluster's nodes change their books only as Redis says).
     */
    <T> T withoutSaving(java.util.function.Supplier<T> change) {
        boolean held = holdingSaves;
        holdingSaves = true;
        try {
            return change.get();
        } finally {
            holdingSaves = held;
        }
    }

    /** Hands the book's contents to the writer; a snapshot not yet written is replaced by this newer one. */
    private void save() {
        if (file == null || holdingSaves) {
            return;
        }
        StringBuilder text = new StringBuilder();
        accepted.forEach((a, bs) -> bs.stream()
                .filter(b -> a.compareTo(b) < 0)
                .forEach(b ->
                        text.append("contact ").append(a).append(' ').append(b).append('\n')));
        requestedBy.forEach((a, bs) -> bs.forEach(
                b -> text.append("request ").append(a).append(' ').append(b).append('\n')));
        if (unwritten.getAndSet(text.toString()) == null) {
            try {
                writer.execute(this::writeNewest);
            } catch (java.util.concurrent.RejectedExecutionException stopped) {
                writeNewest(); // a change that came as the server stopped: written here, once
            }
        }
    }

    /** Synchronized: a write on a stopping server's caller thread never races the writer thread's. */
    private synchronized void writeNewest() {
        String text = unwritten.getAndSet(null);
        if (text == null) {
            return;
        }
        Path tmp = null;
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            tmp = Files.createTempFile(
                    dir,
                    ".contacts",
                    ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            failed = null;
        } catch (IOException | RuntimeException e) {
            failed = text; // the next change writes a newer one; else it is tried again on close
            log.error("Cannot save the contacts to {}; they are kept in memory and tried again", file, e);
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    log.debug("Could not delete {}", tmp);
                }
            }
        }
    }

    /** Writes what is not written yet and stops the writer. */
    @Override
    public void close() {
        if (writer == null) {
            return;
        }
        writer.shutdown();
        try {
            if (!writer.awaitTermination(10, TimeUnit.SECONDS)) {
                log.error("The contacts were not saved to {} within 10 s", file);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String last = failed;
        if (last != null) {
            unwritten.compareAndSet(null, last);
            writeNewest(); // a last try for a write that failed
        }
    }
}
