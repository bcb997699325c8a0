package dev.parley.call;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * What a file offered by a peer may be called here. The peer's name is only a display name: it never decides a
 * directory (no separators, no {@code ..}), never makes a hidden file, a Windows device ({@code CON}, {@code
 * NUL.txt}) or a name that hides its real extension behind a right-to-left override, and never replaces a file
 * that exists ({@code name (1).ext} instead).
 */
final class FileNames {
    /** Longest name kept, in UTF-8 bytes (file systems allow 255). */
    static final int MAX_BYTES = 200;

    private static final Set<String> DEVICES = Set.of(
            "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9", "lpt1",
            "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9");

    private FileNames() {}

    /** A harmless file name for what the peer called its file; "file" when nothing usable is left. */
    static String safe(String offered) {
        String name = offered == null ? "" : offered;
        // Only the last part of anything that looks like a path, on either system's separator.
        name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        StringBuilder kept = new StringBuilder(name.length());
        name.codePoints().forEach(c -> {
            if (!forbidden(c)) {
                kept.appendCodePoint(c);
            }
        });
        name = trim(kept.toString());
        int dot = name.indexOf('.');
        String base = (dot < 0 ? name : name.substring(0, dot)).toLowerCase(Locale.ROOT);
        if (DEVICES.contains(base)) {
            name = "_" + name;
        }
        // Shortening can bring a dot or a space to the end again ("….exe.BBB…" cut to "….exe."): trim once more.
        return trim(shorten(name));
    }

    /**
     * No hidden files (leading dots, which also covers "." and ".."); no trailing dots or spaces, which Windows
     * drops (so "x.exe." would be "x.exe" there) — spaces of any kind, a no-break space too; "file" if nothing is left.
     */
    private static String trim(String name) {
        String t = name.replaceAll("^[.\\s\\p{Z}]+", "").replaceAll("[.\\s\\p{Z}]+$", "");
        return t.isEmpty() ? "file" : t;
    }

    /**
     * Control characters, the characters Windows forbids in names, and invisible format characters: direction
     * controls ("gpj.exe" shown as "exe.jpg"), zero-width spaces and joiners, the byte-order mark.
     */
    private static boolean forbidden(int c) {
        return c < 0x20
                || c == 0x7f
                || (c >= 0x80 && c < 0xa0)
                || "<>:\"|?*/\\".indexOf(c) >= 0
                || Character.getType(c) == Character.FORMAT;
    }

    /** Cuts the part before the extension until the whole name fits {@link #MAX_BYTES}. */
    private static String shorten(String name) {
        if (utf8(name) <= MAX_BYTES) {
            return name;
        }
        int dot = name.lastIndexOf('.');
        String ext = dot > 0 && utf8(name.substring(dot)) <= 16 ? name.substring(dot) : "";
        String base = ext.isEmpty() ? name : name.substring(0, dot);
        int end = base.length();
        while (end > 0 && utf8(base.substring(0, end)) + utf8(ext) > MAX_BYTES) {
            end = base.offsetByCodePoints(end, -1);
        }
        return base.substring(0, end) + ext;
    }

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /**
     * Claims a new, empty file for {@code safeName} in {@code dir}: the name itself if free, else {@code name (1).ext},
     * {@code name (2).ext}, … Creating it (never opening an existing one) is what makes the choice race-free: a
     * file that appears meanwhile, or a link planted under the name, is skipped, not written through.
     */
    static Path claim(Path dir, String safeName) throws IOException {
        int dot = safeName.lastIndexOf('.');
        String base = dot > 0 ? safeName.substring(0, dot) : safeName;
        String ext = dot > 0 ? safeName.substring(dot) : "";
        for (int n = 0; n < 10_000; n++) {
            Path candidate = dir.resolve(n == 0 ? safeName : base + " (" + n + ")" + ext);
            try {
                return Files.createFile(candidate);
            } catch (FileAlreadyExistsException taken) {
                // next number
            }
        }
        throw new IOException("no free name for " + safeName + " in " + dir);
    }
}
