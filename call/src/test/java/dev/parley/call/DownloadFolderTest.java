package dev.parley.call;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DownloadFolderTest {
    @TempDir
    Path home;

    private Path withDirs(String line) throws Exception {
        Path config = Files.createDirectories(home.resolve(".config"));
        Files.writeString(config.resolve("user-dirs.dirs"), "# written by xdg-user-dirs-update\n" + line + "\n");
        return DownloadFolder.find(home, Map.of());
    }

    @Test
    void theDesktopsOwnDownloadFolderInItsLanguage() throws Exception {
        assertEquals(home.resolve("Загрузки"), withDirs("XDG_DOWNLOAD_DIR=\"$HOME/Загрузки\""));
        assertEquals(Path.of("/srv/inbox"), withDirs("XDG_DOWNLOAD_DIR=\"/srv/inbox\""));
    }

    @Test
    void withoutOneOrWithNonsenseItIsDownloadsInTheHomeFolder() throws Exception {
        assertEquals(home.resolve("Downloads"), DownloadFolder.find(home, Map.of()), "no user-dirs.dirs");
        assertEquals(home.resolve("Downloads"), withDirs("XDG_DOWNLOAD_DIR=\"$HOME/../../etc\""), "climbing out");
        assertEquals(home.resolve("Downloads"), withDirs("XDG_DOWNLOAD_DIR=\"relative/path\""));
        assertEquals(home.resolve("Downloads"), withDirs("XDG_DOWNLOAD_DIR=\"$HOME/\""), "the home folder itself");
    }

    @Test
    void xdgConfigHomeIsWhereTheFileIs() throws Exception {
        Path elsewhere = Files.createDirectories(home.resolve("cfg"));
        Files.writeString(elsewhere.resolve("user-dirs.dirs"), "XDG_DOWNLOAD_DIR=\"$HOME/Dl\"\n");
        assertEquals(home.resolve("Dl"), DownloadFolder.find(home, Map.of("XDG_CONFIG_HOME", elsewhere.toString())));
    }
}
