package dev.parley.ui;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a received file with the desktop's program for it, or shows it in the file manager. The file came from
 * another person: only a file whose name ends in a known kind of document, picture, sound, video or archive is
 * opened (an allow-list: the desktop picks the program by extension and, for unknown ones, by content, so a list of
 * what not to open would always miss something); anything else is only shown in its folder. Commands get the path
 * as one argument, never through a shell. Blocking (it starts and waits for a process): call it off the FX thread.
 */
interface FileOpener {
    Logger log = LoggerFactory.getLogger(FileOpener.class);

    /** Endings of files opened from here (lower case, no dot): documents, pictures, sound, video, archives. */
    Set<String> OPENABLE = Set.of(
            "txt", "md", "csv", "tsv", "log", "json", "xml", "pdf", "epub", "rtf", "odt", "ods", "odp", "odg", "doc",
            "docx", "xls", "xlsx", "ppt", "pptx", "jpg", "jpeg", "png", "gif", "webp", "bmp", "tif", "tiff", "heic",
            "avif", "mp3", "ogg", "oga", "opus", "flac", "wav", "m4a", "aac", "mp4", "m4v", "mkv", "webm", "mov", "avi",
            "ogv", "zip", "7z", "tar", "gz", "tgz", "xz", "bz2", "zst");

    /** Opens {@code file} with its program. */
    void open(Path file) throws IOException;

    /** Shows {@code file} in the file manager (selected where the file manager can do that). */
    void showInFolder(Path file) throws IOException;

    /** Whether {@code file} may be opened with its program: its name ends in one of {@link #OPENABLE}. */
    static boolean mayOpen(Path file) {
        Path name = file.getFileName();
        if (name == null) {
            return false;
        }
        String n = name.toString().toLowerCase(Locale.ROOT);
        int dot = n.lastIndexOf('.');
        return dot > 0 && OPENABLE.contains(n.substring(dot + 1));
    }

    /** The commands this desktop uses to open a file and to show it in its folder (the first that works wins). */
    static List<List<String>> commands(String os, boolean show, Path file) {
        String path = file.toAbsolutePath().toString();
        String o = os.toLowerCase(Locale.ROOT);
        if (o.contains("win")) {
            // explorer.exe exits with 1 even when it did what was asked: its exit status says nothing (run()).
            return List.of(show ? List.of("explorer.exe", "/select," + path) : List.of("explorer.exe", path));
        }
        if (o.contains("mac")) {
            return List.of(show ? List.of("open", "-R", path) : List.of("open", path));
        }
        if (!show) {
            return List.of(List.of("xdg-open", path), List.of("gio", "open", path));
        }
        // The freedesktop file-manager interface selects the file (Files, Dolphin, Nemo, Caja, Thunar…);
        // without it, the folder opens.
        return List.of(
                List.of(
                        "dbus-send",
                        "--session",
                        "--print-reply",
                        "--dest=org.freedesktop.FileManager1",
                        "--type=method_call",
                        "/org/freedesktop/FileManager1",
                        "org.freedesktop.FileManager1.ShowItems",
                        // dbus-send splits an array at commas: a comma in the name is escaped in the URI.
                        "array:string:"
                                + file.toAbsolutePath().toUri().toString().replace(",", "%2C"),
                        "string:"),
                List.of("xdg-open", file.toAbsolutePath().getParent().toString()));
    }

    /** The opener of this desktop. */
    static FileOpener desktop() {
        String os = System.getProperty("os.name", "");
        return new FileOpener() {
            @Override
            public void open(Path file) throws IOException {
                if (!mayOpen(file)) {
                    throw new IOException("not opened: it could run a program or is of an unknown kind");
                }
                run(commands(os, false, file));
            }

            @Override
            public void showInFolder(Path file) throws IOException {
                run(commands(os, true, file));
            }
        };
    }

    /** Runs the commands in turn until one succeeds (exit 0 within 10 s). */
    private static void run(List<List<String>> commands) throws IOException {
        IOException last = null;
        for (List<String> command : commands) {
            try {
                Process p = new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
                p.getOutputStream().close(); // nothing to read
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    return; // still running: a program that stays (the file is open in it)
                }
                if (p.exitValue() == 0 || command.get(0).equals("explorer.exe")) {
                    return;
                }
                last = new IOException(command.get(0) + " exited with " + p.exitValue());
            } catch (IOException e) {
                last = e; // not installed: try the next
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            log.debug("{} did not open it: {}", command.get(0), last.getMessage());
        }
        throw last != null ? last : new IOException("no way to open files here");
    }
}
