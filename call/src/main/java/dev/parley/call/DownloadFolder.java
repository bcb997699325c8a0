package dev.parley.call;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where received files go by default: the desktop's own download folder. On Linux that is {@code
 * XDG_DOWNLOAD_DIR} from {@code ~/.config/user-dirs.dirs} (a Russian desktop calls it {@code ~/Загрузки}), else
 * {@code ~/Downloads}. The file is the user's own, but it is read as untrusted text: only {@code "$HOME/…"} or an
 * absolute path is taken, and never one that climbs out with {@code ..}.
 */
public final class DownloadFolder {
    private DownloadFolder() {}

    /** This user's download folder. */
    public static Path ofThisUser() {
        return find(Path.of(System.getProperty("user.home")), System.getenv());
    }

    static Path find(Path home, Map<String, String> env) {
        String config = env.get("XDG_CONFIG_HOME");
        Path dirs = (config != null && !config.isBlank() ? Path.of(config) : home.resolve(".config"))
                .resolve("user-dirs.dirs");
        try {
            List<String> lines = Files.readAllLines(dirs, StandardCharsets.UTF_8);
            for (String line : lines) {
                String l = line.strip();
                if (!l.startsWith("XDG_DOWNLOAD_DIR=")) {
                    continue;
                }
                String value = l.substring("XDG_DOWNLOAD_DIR=".length()).strip();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                Path p;
                if (value.startsWith("$HOME/")) {
                    p = home.resolve(value.substring("$HOME/".length()));
                } else if (value.startsWith("/")) {
                    p = Path.of(value);
                } else {
                    continue;
                }
                if (!value.contains("..") && !p.normalize().equals(home.normalize())) {
                    return p.normalize();
                }
            }
        } catch (IOException | RuntimeException e) {
            // no such file, or not readable: the default below
        }
        return home.resolve("Downloads");
    }
}
