package dev.parley.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a received file may be opened with, and the commands that open it: never through a shell. */
class FileOpenerTest {
    @TempDir
    Path dir;

    @Test
    void whatCouldRunAProgramIsNeverOpened() {
        for (String name : List.of(
                "setup.sh",
                "Photo.JPG.desktop",
                "invoice.pdf.exe",
                "x.AppImage",
                "tool.jar",
                "run.py",
                "a.bat",
                "README", // no extension: the desktop would choose by content
                "pdf",
                ".pdf",
                "x.exe\u00a0",
                "link.url",
                "x.pdf.scf",
                "x.unknownkind")) {
            assertFalse(FileOpener.mayOpen(Path.of("/tmp", name)), name);
        }
        for (String name : List.of("photo.JPG", "report.pdf", "notes.txt", "film.mkv", "song.flac", "slides.odp")) {
            assertTrue(FileOpener.mayOpen(Path.of("/tmp", name)), name);
        }
    }

    @Test
    void theDesktopOpenerRefusesAScriptBeforeRunningAnything() throws IOException {
        Path script = Files.writeString(dir.resolve("setup.sh"), "touch " + dir.resolve("ran") + "\n");
        IOException refused =
                assertThrows(IOException.class, () -> FileOpener.desktop().open(script));
        assertTrue(refused.getMessage().contains("could run a program"), refused.getMessage());
        assertFalse(Files.exists(dir.resolve("ran")));
    }

    @Test
    void thePathIsOneArgumentWhateverItsName() {
        Path odd = Path.of("/home/a/Downloads/-rf; $(reboot) & x,y.txt");
        assertEquals(
                List.of(List.of("xdg-open", odd.toString()), List.of("gio", "open", odd.toString())),
                FileOpener.commands("Linux", false, odd));
        List<List<String>> show = FileOpener.commands("Linux", true, odd);
        assertEquals("dbus-send", show.get(0).get(0));
        assertEquals(
                "array:string:" + odd.toUri().toString().replace(",", "%2C"),
                show.get(0).get(7),
                "a file URI, escaped, its comma too (dbus-send splits arrays at commas)");
        assertFalse(show.get(0).get(7).substring("array:string:".length()).contains(","));
        assertEquals(List.of("xdg-open", "/home/a/Downloads"), show.get(1));
        assertEquals(List.of(List.of("open", "-R", odd.toString())), FileOpener.commands("Mac OS X", true, odd));
        assertEquals(List.of(List.of("explorer.exe", "/select," + odd)), FileOpener.commands("Windows 11", true, odd));
    }
}
