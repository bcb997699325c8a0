package dev.parley.call;

import java.io.IOException;
import java.nio.file.Path;

/** Loads and saves {@link Settings}; a device id is made once and kept. Thread-safe. */
public final class SettingsStore {
    private final JsonFile<Settings> file;
    private Settings current;

    public SettingsStore(Path directory) {
        this.file = new JsonFile<>(directory.resolve("settings.json"), Settings.class);
        Settings loaded = file.load(Settings::defaults).withDefaults();
        this.current = loaded;
    }

    public synchronized Settings get() {
        return current;
    }

    /** Replaces the settings and saves them; on a failed save the old settings stay. */
    public synchronized void set(Settings settings) throws IOException {
        Settings next = settings.withDefaults();
        file.save(next);
        current = next;
    }
}
