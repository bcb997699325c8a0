package dev.parley.call;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The user's contacts, in {@code contacts.json}; every change is saved at once. Thread-safe. */
public final class ContactStore {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ContactStore.class);
    private final JsonFile<Document> file;
    private final Map<String, Contact> contacts = new LinkedHashMap<>();

    /** The file's shape. Entries are read unvalidated and checked one by one, so one bad entry costs only itself. */
    private record Document(int version, List<Entry> contacts) {}

    private record Entry(String user, String displayName) {}

    public ContactStore(Path directory) {
        this.file = new JsonFile<>(directory.resolve("contacts.json"), Document.class);
        Document doc = file.load(() -> new Document(1, List.of()));
        for (Entry e : Objects.requireNonNullElse(doc.contacts(), List.<Entry>of())) {
            if (e != null) {
                try {
                    Contact valid = new Contact(e.user(), e.displayName());
                    contacts.put(valid.user(), valid);
                } catch (IllegalArgumentException invalid) {
                    log.warn("Skipping an invalid contact in {}: {}", file.path(), invalid.getMessage());
                }
            }
        }
    }

    /** All contacts, by display name. */
    public synchronized List<Contact> all() {
        List<Contact> list = new ArrayList<>(contacts.values());
        list.sort(Comparator.comparing(Contact::displayName, String.CASE_INSENSITIVE_ORDER));
        return list;
    }

    /** Adds or updates a contact (by user name) and saves. */
    public synchronized void put(Contact contact) throws IOException {
        Contact previous = contacts.put(contact.user(), contact);
        try {
            save();
        } catch (IOException e) {
            if (previous == null) {
                contacts.remove(contact.user());
            } else {
                contacts.put(previous.user(), previous);
            }
            throw e;
        }
    }

    /** Removes a contact and saves; false if there was none. */
    public synchronized boolean remove(String user) throws IOException {
        Contact removed = contacts.remove(user);
        if (removed == null) {
            return false;
        }
        try {
            save();
        } catch (IOException e) {
            contacts.put(user, removed);
            throw e;
        }
        return true;
    }

    private void save() throws IOException {
        file.save(new Document(
                1,
                contacts.values().stream()
                        .map(c -> new Entry(c.user(), c.displayName()))
                        .toList()));
    }
}
