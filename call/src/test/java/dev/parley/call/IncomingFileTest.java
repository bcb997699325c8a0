package dev.parley.call;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The receiving end of a file transfer against a hostile peer: names that try to leave the folder, hide, pose as a
 * device or disguise their extension; sizes that lie; a hash that does not match; a transfer cut short. Whatever
 * happens, nothing outside the folder is touched and nothing half-written is left in it.
 */
class IncomingFileTest {
    @TempDir
    Path root;

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    private Path downloads() throws IOException {
        return Files.createDirectories(root.resolve("Downloads"));
    }

    /** Everything under the test's root, as relative paths. */
    private List<String> everything() throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(Files::isRegularFile)
                    .map(p -> root.relativize(p).toString())
                    .sorted()
                    .toList();
        }
    }

    /** Receives {@code data} offered as {@code name}, in chunks of 64 KB, and returns where it was saved. */
    private Path receive(String name, byte[] data) throws Exception {
        try (IncomingFile f = IncomingFile.open(downloads(), name, data.length, sha256(data))) {
            for (int at = 0; at < data.length; at += 65_536) {
                f.write(ByteBuffer.wrap(data, at, Math.min(65_536, data.length - at)));
            }
            return f.finish();
        }
    }

    @Test
    void aFileArrivesByteForByteUnderItsNameInTheFolder() throws Exception {
        byte[] data = new byte[1_000_003];
        new Random(7).nextBytes(data);
        Path saved = receive("holiday photos.zip", data);
        assertEquals(downloads().resolve("holiday photos.zip"), saved);
        assertArrayEquals(data, Files.readAllBytes(saved));
        assertEquals(List.of("Downloads/holiday photos.zip"), everything(), "no part file left");
    }

    @Test
    void anEmptyFileIsAFileToo() throws Exception {
        Path saved = receive("empty.txt", new byte[0]);
        assertEquals(0, Files.size(saved));
    }

    @Test
    void aNameNeverLeavesTheFolderNorReplacesAFile() throws Exception {
        Files.writeString(root.resolve("secret.txt"), "keep me");
        Files.writeString(downloads().resolve("report.pdf"), "mine");
        byte[] data = "attack".getBytes(StandardCharsets.UTF_8);
        for (String hostile : List.of(
                "../secret.txt",
                "../../etc/passwd",
                "/etc/passwd",
                "..\\..\\secret.txt",
                "C:\\Windows\\system.ini",
                "report.pdf")) {
            Path saved = receive(hostile, data);
            assertEquals(downloads(), saved.getParent(), hostile + " was saved as " + saved);
        }
        assertEquals("keep me", Files.readString(root.resolve("secret.txt")));
        assertEquals("mine", Files.readString(downloads().resolve("report.pdf")), "an existing file was replaced");
        assertEquals(
                List.of(
                                "Downloads/passwd",
                                "Downloads/passwd (1)",
                                "Downloads/report.pdf",
                                "Downloads/report (1).pdf",
                                "Downloads/secret.txt",
                                "Downloads/secret (1).txt",
                                "Downloads/system.ini",
                                "secret.txt")
                        .stream()
                        .sorted()
                        .toList(),
                everything());
    }

    @Test
    void namesAreMadeHarmless() {
        assertEquals("bashrc", FileNames.safe(".bashrc"), "no hidden files");
        assertEquals("file", FileNames.safe(".."));
        assertEquals("file", FileNames.safe(""));
        assertEquals("file", FileNames.safe(null));
        assertEquals("_CON", FileNames.safe("CON"), "a Windows device");
        assertEquals("_nul.txt", FileNames.safe("nul.txt"));
        assertEquals("invoicegpj.exe", FileNames.safe("invoice\u202Egpj.exe"), "a right-to-left override");
        assertEquals("a b.txt", FileNames.safe("a\u0000\n b.txt\u0007"), "control characters");
        assertEquals("what.txt", FileNames.safe("what?*<>|\".txt"));
        assertEquals("notes", FileNames.safe("notes. . "), "trailing dots and spaces");
        assertEquals("x.exe", FileNames.safe("x.exe\u00a0"), "a trailing no-break space");
        assertEquals("x.exe", FileNames.safe("x.exe\u200b"), "a zero-width space");
        String cutToADot = FileNames.safe("A".repeat(195) + ".exe." + "B".repeat(20));
        assertTrue(!cutToADot.endsWith(".") && cutToADot.endsWith(".exe"), "shortened to end in a dot: " + cutToADot);
        String longName = "x".repeat(400) + ".tar.gz";
        String kept = FileNames.safe(longName);
        assertTrue(kept.getBytes(StandardCharsets.UTF_8).length <= FileNames.MAX_BYTES, kept);
        assertTrue(kept.endsWith(".gz"), kept);
        String cyrillic = FileNames.safe("ж".repeat(300) + ".txt"); // 2 bytes each: cut on a character boundary
        assertTrue(cyrillic.getBytes(StandardCharsets.UTF_8).length <= FileNames.MAX_BYTES);
        assertTrue(cyrillic.matches("ж+\\.txt"), cyrillic);
    }

    @Test
    void aPlantedLinkIsNotWrittenThrough() throws Exception {
        Path outside = root.resolve("outside.txt");
        Files.writeString(outside, "untouched");
        Files.createSymbolicLink(downloads().resolve("notes.txt"), outside);
        Path saved = receive("notes.txt", "payload".getBytes(StandardCharsets.UTF_8));
        assertEquals("notes (1).txt", saved.getFileName().toString());
        assertEquals("untouched", Files.readString(outside));
    }

    @Test
    void moreBytesThanAnnouncedFailAndLeaveNothing() throws Exception {
        byte[] data = new byte[100];
        IncomingFile f = IncomingFile.open(downloads(), "small.bin", 60, sha256(data));
        f.write(ByteBuffer.wrap(data, 0, 50));
        IncomingFile.FailedException e =
                assertThrows(IncomingFile.FailedException.class, () -> f.write(ByteBuffer.wrap(data, 50, 50)));
        assertEquals(IncomingFile.Failure.TOO_LONG, e.failure());
        assertEquals(List.of(), everything());
        assertThrows(IncomingFile.FailedException.class, f::finish, "a failed file cannot be finished");
    }

    @Test
    void fewerBytesThanAnnouncedFailAndLeaveNothing() throws Exception {
        byte[] data = new byte[100];
        IncomingFile f = IncomingFile.open(downloads(), "short.bin", 100, sha256(data));
        f.write(ByteBuffer.wrap(data, 0, 99));
        IncomingFile.FailedException e = assertThrows(IncomingFile.FailedException.class, f::finish);
        assertEquals(IncomingFile.Failure.TOO_SHORT, e.failure());
        assertEquals(List.of(), everything());
    }

    @Test
    void anotherHashFailsAndLeavesNothing() throws Exception {
        byte[] announced = "the real thing".getBytes(StandardCharsets.UTF_8);
        byte[] sent = "the fake thing".getBytes(StandardCharsets.UTF_8);
        IncomingFile f = IncomingFile.open(downloads(), "thing.txt", sent.length, sha256(announced));
        f.write(ByteBuffer.wrap(sent));
        IncomingFile.FailedException e = assertThrows(IncomingFile.FailedException.class, f::finish);
        assertEquals(IncomingFile.Failure.HASH_MISMATCH, e.failure());
        assertEquals(List.of(), everything());
    }

    @Test
    void aPeerThatVanishesOrACancelLeavesNothing() throws Exception {
        byte[] data = new byte[10_000];
        try (IncomingFile f = IncomingFile.open(downloads(), "gone.bin", data.length, sha256(data))) {
            f.write(ByteBuffer.wrap(data, 0, 5_000));
            assertEquals(1, everything().size(), "the part file while it arrives");
            assertTrue(
                    everything().get(0).startsWith("Downloads/.parley-"),
                    everything().toString());
        } // the call ended: closed without finishing
        assertEquals(List.of(), everything());
    }

    @Test
    void aMalformedOfferOrAFolderThatCannotTakeItIsRefusedUpFront() throws Exception {
        String hash = sha256(new byte[0]);
        assertThrows(IllegalArgumentException.class, () -> IncomingFile.open(downloads(), "x", -1, hash));
        assertThrows(IllegalArgumentException.class, () -> IncomingFile.open(downloads(), "x", 1, "ABC"));
        assertThrows(
                IllegalArgumentException.class,
                () -> IncomingFile.open(downloads(), "x", 1, hash.toUpperCase(java.util.Locale.ROOT)));
        IncomingFile.FailedException tooBig = assertThrows(
                IncomingFile.FailedException.class,
                () -> IncomingFile.open(downloads(), "huge.iso", Long.MAX_VALUE, hash));
        assertEquals(IncomingFile.Failure.DISK, tooBig.failure());
        IncomingFile.FailedException missing = assertThrows(
                IncomingFile.FailedException.class, () -> IncomingFile.open(root.resolve("nowhere"), "x", 0, hash));
        assertEquals(IncomingFile.Failure.DISK, missing.failure());
        assertFalse(Files.exists(root.resolve("nowhere")));
    }
}
