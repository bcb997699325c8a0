package dev.parley.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.parley.signaling.server.ServerConfig;
import dev.parley.signaling.server.SignalingServer;
import dev.parley.testsupport.ChildProcess;
import dev.parley.testsupport.SystemTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code call --send-file} and {@code answer --receive-dir}: a file over a real call, as a script would send it. */
@SystemTest
@Timeout(120)
class HeadlessFileTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final ParleyChildren children = new ParleyChildren();

    private ChildProcess parley(String name, String... args) {
        return children.start(dir, name, args);
    }

    @Test
    void aFileSentFromTheCommandLineArrivesWholeAndTheCallThenEnds() throws Exception {
        byte[] data = new byte[5_000_000];
        new Random(3).nextBytes(data);
        Path file = Files.write(dir.resolve("notes from the meeting.bin"), data);
        Path inbox = Files.createDirectories(dir.resolve("inbox"));
        Files.writeString(inbox.resolve("notes from the meeting.bin"), "an older file of the same name");
        try (SignalingServer server = SignalingServer.start(
                ServerConfig.builder().bind("127.0.0.1").port(0).build())) {
            String url = server.uri().toString();
            ChildProcess answer =
                    children.answering(dir, url, "bob", "--receive-dir", inbox.toString(), "--max-calls", "1");
            ChildProcess call = parley(
                    "call",
                    "call",
                    "bob",
                    "--server",
                    url,
                    "--user",
                    "alice",
                    "--send-file",
                    file.toString(),
                    "--duration",
                    "60",
                    "--json");
            call.assertExit(0, Duration.ofSeconds(90));
            answer.assertExit(0, Duration.ofSeconds(30));

            JsonObject received = answer.firstEvent("file-done").orElseThrow();
            assertEquals("receiving", received.get("direction").getAsString());
            assertEquals(5_000_000, received.get("size").getAsLong());
            assertTrue(received.get("sha256Checked").getAsBoolean());
            Path saved = Path.of(received.get("savedAs").getAsString());
            assertEquals(inbox.resolve("notes from the meeting (1).bin"), saved, "the older file was replaced");
            assertArrayEquals(data, Files.readAllBytes(saved));
            assertEquals(
                    "an older file of the same name", Files.readString(inbox.resolve("notes from the meeting.bin")));
            JsonObject sent = call.firstEvent("file-done").orElseThrow();
            assertEquals("sending", sent.get("direction").getAsString());
            assertTrue(sent.get("megabytesPerSecond").getAsDouble() > 0, sent.toString());
            assertTrue(answer.firstEvent("file-offered").isPresent(), "the offer was not reported");
            try (var left = Files.list(inbox)) {
                assertEquals(2, left.count(), "a part file was left behind");
            }
        }
    }

    @Test
    void withoutAReceiveDirectoryAFileIsDeclinedAndTheSenderSaysSo() throws Exception {
        Path file = Files.writeString(dir.resolve("unwanted.txt"), "no thanks");
        try (SignalingServer server = SignalingServer.start(
                ServerConfig.builder().bind("127.0.0.1").port(0).build())) {
            String url = server.uri().toString();
            ChildProcess answer = children.answering(dir, url, "bob", "--max-calls", "1");
            ChildProcess call = parley(
                    "call",
                    "call",
                    "bob",
                    "--server",
                    url,
                    "--user",
                    "alice",
                    "--send-file",
                    file.toString(),
                    "--json");
            assertEquals(1, call.awaitExit(Duration.ofSeconds(60)), "a declined file is not a success");
            JsonObject failed = call.firstEvent("file-failed").orElseThrow();
            assertEquals("declined", failed.get("status").getAsString());
            assertTrue(call.stderr().contains("the file did not arrive"), call.stderr());
        }
    }
}
