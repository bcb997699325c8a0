package dev.parley.call;

import java.nio.file.Path;
import java.util.Map;

/** Where Parley keeps the user's files: {@code $XDG_CONFIG_HOME/parley}, or {@code ~/.config/parley}. */
public final class ConfigDirectory {
    private ConfigDirectory() {}

    /** The directory for this environment (pass {@code System.getenv()} and the user's home). */
    public static Path resolve(Map<String, String> env, Path home) {
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute() ? Path.of(xdg) : home.resolve(".config");
        return base.resolve("parley");
    }
}
