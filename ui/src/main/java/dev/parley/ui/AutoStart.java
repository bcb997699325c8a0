package dev.parley.ui;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes or removes "start at login" on Linux desktops: an XDG autostart entry
 * ({@code ~/.config/autostart/parley.desktop}) that runs the given command. Off by default; turning it off removes
 * the entry.
 */
public final class AutoStart {
    private final Path entry;

    public AutoStart(Path xdgConfigHome) {
        this.entry = xdgConfigHome.resolve("autostart").resolve("parley.desktop");
    }

    public static AutoStart forUser() {
        String xdg = System.getenv("XDG_CONFIG_HOME");
        return new AutoStart(
                xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config"));
    }

    public boolean enabled() {
        return Files.exists(entry);
    }

    public Path entry() {
        return entry;
    }

    /** Writes or removes the entry. {@code command} is what starts Parley (e.g. the launcher's path). */
    public void set(boolean on, String command) throws IOException {
        if (!on) {
            Files.deleteIfExists(entry);
            return;
        }
        Files.createDirectories(entry.getParent());
        Files.writeString(
                entry,
                String.join(
                        "\n",
                        "[Desktop Entry]",
                        "Type=Application",
                        "Name=Parley",
                        "Comment=Video calls",
                        "Exec=" + command,
                        "X-GNOME-Autostart-enabled=true",
                        ""));
    }
}
