package dev.parley.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.ui.LaunchRequest;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One app per config directory: the first claim listens, later launches hand their arguments over; what arrives is
 * anyone's input (too long, not UTF-8, too many arguments, a peer that stalls) and is refused without stopping the
 * next hand-over.
 */
@Timeout(30)
class SingleInstanceTest {
    @TempDir
    Path config;

    @Test
    void theFirstClaimRunsAndLaterLaunchesHandTheirArgumentsToIt() throws Exception {
        LinkedBlockingQueue<List<String>> received = new LinkedBlockingQueue<>();
        try (SingleInstance first = SingleInstance.claim(config)) {
            assertNotNull(first);
            assertNull(SingleInstance.claim(config), "a second claim while the first runs");
            first.listen(received::add);
            Path run = SingleInstance.runDirectory(config);
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(run)));
            assertEquals(
                    "rw-------",
                    PosixFilePermissions.toString(Files.getPosixFilePermissions(run.resolve("instance.sock"))));

            assertTrue(SingleInstance.handOver(config, List.of("parley:call/bob"), Duration.ofSeconds(5)));
            assertEquals(List.of("parley:call/bob"), received.poll(5, TimeUnit.SECONDS));
            assertTrue(SingleInstance.handOver(config, List.of(), Duration.ofSeconds(5)));
            assertEquals(List.of(), received.poll(5, TimeUnit.SECONDS));
        }
        // Closed: the next launch is the running app, over the socket the last one left.
        try (SingleInstance next = SingleInstance.claim(config)) {
            assertNotNull(next);
            next.listen(received::add);
            assertTrue(SingleInstance.handOver(config, List.of("parley:call/carol"), Duration.ofSeconds(5)));
            assertEquals(List.of("parley:call/carol"), received.poll(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void nobodyListeningMeansTheHandOverGivesUp() throws Exception {
        try (SingleInstance first = SingleInstance.claim(config)) {
            assertNotNull(first); // holds the lock but never listens (a hung start)
            long start = System.nanoTime();
            assertFalse(SingleInstance.handOver(config, List.of(), Duration.ofMillis(500)));
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos());
        }
    }

    @Test
    void hostileRequestsAreRefusedAndTheNextOneStillArrives() throws Exception {
        LinkedBlockingQueue<List<String>> received = new LinkedBlockingQueue<>();
        try (SingleInstance first = SingleInstance.claim(config)) {
            first.listen(received::add);
            Path socket = SingleInstance.runDirectory(config).resolve("instance.sock");

            assertEquals("", send(socket, new byte[SingleInstance.MAX_BYTES + 100]), "too long");
            assertEquals("", send(socket, new byte[] {'p', (byte) 0xC3, (byte) 0x28}), "not UTF-8");
            assertEquals("", send(socket, "a\0b\0c\0d\0e\0f\0g\0h\0i".getBytes(StandardCharsets.UTF_8)), "9 arguments");
            try (SocketChannel stalled = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                stalled.connect(UnixDomainSocketAddress.of(socket));
                stalled.write(ByteBuffer.wrap("parley:".getBytes(StandardCharsets.UTF_8))); // and never finishes
                assertTrue(
                        SingleInstance.handOver(config, List.of("parley:call/bob"), Duration.ofSeconds(8)),
                        "served after the stalled peer's time is up");
            }
            assertEquals(List.of("parley:call/bob"), received.poll(5, TimeUnit.SECONDS));
            assertNull(received.poll(), "nothing else was handed on");
        }
    }

    @Test
    void onlyLaunchesTheAppMakesBecomeRequests() {
        assertEquals(LaunchRequest.front(), CallLink.request(List.of()));
        assertEquals(LaunchRequest.call("bob"), CallLink.request(List.of("parley:call/bob")));
        assertEquals(
                "parley:call/%zz", CallLink.request(List.of("parley:call/%zz")).badLink());
        assertEquals(
                "parley:call/\uFFFD\uFFFDevil",
                CallLink.request(List.of("parley:call/\n\u202Eevil")).badLink(),
                "line breaks and bidi overrides are not shown as such");
        String shown = CallLink.request(List.of("parley:" + "x".repeat(3000))).badLink();
        assertEquals(81, shown.length(), "cut short: " + shown);
        assertNull(CallLink.request(List.of("server", "--port", "1")), "not a launch of the desktop app");
        assertNull(CallLink.request(List.of("parley:call/bob", "parley:call/carol")));
        assertArrayEquals("a\0b".getBytes(StandardCharsets.UTF_8), SingleInstance.encode(List.of("a", "b")));
    }

    /** Sends raw bytes as a launch would, and returns the answer ("ok\n" when taken). */
    private static String send(Path socket, byte[] bytes) throws Exception {
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            ByteBuffer out = ByteBuffer.wrap(bytes);
            while (out.hasRemaining()) {
                c.write(out);
            }
            c.shutdownOutput();
            return new String(SingleInstance.readAll(c, 64, Duration.ofSeconds(5)), StandardCharsets.UTF_8);
        } catch (IOException refusedMidWrite) {
            return ""; // the app closed on us: refused
        }
    }
}
