package dev.parley.call;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Recent calls, newest first, in {@code history.json}; the newest {@value #LIMIT} are kept. Thread-safe. */
public final class CallHistory {
    public static final int LIMIT = 200;

    /**
     * One finished call.
     *
     * @param peer            who it was with
     * @param outgoing        whether we called
     * @param startedAtMillis when it began (epoch milliseconds)
     * @param durationSeconds how long it was connected; 0 for a call that never connected
     * @param outcome         the end reason's wire name ({@code hung-up}, {@code declined}, {@code no-answer}, …)
     */
    public record Entry(String peer, boolean outgoing, long startedAtMillis, long durationSeconds, String outcome) {
        /** A call that rang here and was never answered. */
        public boolean missed() {
            return !outgoing
                    && durationSeconds == 0
                    && (EndReason.CANCELLED.wireName().equals(outcome)
                            || EndReason.NO_ANSWER.wireName().equals(outcome));
        }
    }

    private record Document(int version, List<Entry> calls) {}

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(CallHistory.class);
    private final JsonFile<Document> file;
    private final List<Entry> entries = new ArrayList<>();

    public CallHistory(Path directory) {
        file = new JsonFile<>(directory.resolve("history.json"), Document.class);
        for (Entry e : Objects.requireNonNullElse(
                file.load(() -> new Document(1, List.of())).calls(), List.<Entry>of())) {
            if (e != null && e.peer() != null && e.outcome() != null) {
                entries.add(e);
            }
        }
    }

    public synchronized List<Entry> all() {
        return List.copyOf(entries);
    }

    /** Adds a call at the top and saves; a failed save is logged and the entry kept in memory. */
    public synchronized void add(Entry entry) {
        entries.add(0, entry);
        while (entries.size() > LIMIT) {
            entries.remove(entries.size() - 1);
        }
        try {
            file.save(new Document(1, List.copyOf(entries)));
        } catch (IOException e) {
            log.warn("Cannot save the call history to {}: {}", file.path(), e.toString());
        }
    }
}
