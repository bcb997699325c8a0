package dev.parley.call;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.media.CallStats;
import dev.parley.testsupport.SystemTest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files over a real call (two engines, real peer connections and data channels in the test JVM's namespace):
 * a 50 MB file arrives byte for byte; either side can cancel while bytes move, and then no part file is left.
 */
@SystemTest
@Timeout(120)
class FileTransferTest {
    @TempDir
    Path dir;

    private CallPair pair;
    private CallSession alice;
    private CallSession bob;
    private final LinkedBlockingQueue<FileTransfer> aliceSees = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<FileTransfer> bobSees = new LinkedBlockingQueue<>();

    @BeforeEach
    void call() throws Exception {
        pair = new CallPair(URI.create("loopback:files"), CallOptions.defaults().withVideo(320, 240, 15));
        CallSession[] call = pair.connected();
        alice = call[0];
        bob = call[1];
        alice.addFileListener((s, t) -> aliceSees.add(t));
        bob.addFileListener((s, t) -> bobSees.add(t));
    }

    @AfterEach
    void hangUp() {
        pair.close();
    }

    /** The first snapshot that matches, within 60 s. */
    private static FileTransfer await(
            LinkedBlockingQueue<FileTransfer> seen, Predicate<FileTransfer> match, String what)
            throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < end) {
            FileTransfer t = seen.poll(1, TimeUnit.SECONDS);
            if (t != null && match.test(t)) {
                return t;
            }
        }
        throw new AssertionError("never saw: " + what);
    }

    private Path randomFile(String name, long bytes) throws IOException {
        Path f = dir.resolve(name);
        Random random = new Random(bytes);
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(f)) {
            for (long left = bytes; left > 0; left -= block.length) {
                random.nextBytes(block);
                out.write(block, 0, (int) Math.min(block.length, left));
            }
        }
        return f;
    }

    /** Alice sends {@code file} and bob takes it into {@code downloads}: {sent, bob's end, alice's end}, both DONE. */
    private FileTransfer[] aliceSendsBobTakes(Path file, Path downloads) throws InterruptedException {
        FileTransfer sent = alice.sendFile(file);
        FileTransfer offer = await(bobSees, t -> t.status() == FileTransfer.Status.OFFERED, "an offer");
        bob.acceptFile(offer.id(), downloads);
        FileTransfer received = await(bobSees, t -> t.status().over(), "bob's file done");
        assertEquals(FileTransfer.Status.DONE, received.status(), received.reason());
        FileTransfer done = await(aliceSees, t -> t.status().over(), "alice hearing bob's verdict");
        assertEquals(FileTransfer.Status.DONE, done.status(), done.reason());
        return new FileTransfer[] {sent, received, done};
    }

    private static byte[] sha256(Path f) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f));
    }

    private List<String> filesIn(Path folder) throws IOException {
        try (Stream<Path> all = Files.list(folder)) {
            return all.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /**
     * Waits for alice's call statistics to show its path host to host (as it is here; right at the connection
     * libwebrtc may still name bob's candidate peer-reflexive): her file link follows it.
     */
    private void awaitAlicesRoute() throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (alice.stats() == null
                || alice.stats().route() == null
                || !alice.stats().route().direct()) {
            assertTrue(System.nanoTime() < end, "alice's path never showed host to host: " + alice.stats());
            Thread.sleep(100);
        }
    }

    @Test
    void aFiftyMegabyteFileArrivesByteForByteWithProgress() throws Exception {
        awaitAlicesRoute();
        Path downloads = Files.createDirectories(dir.resolve("bob-downloads"));
        Path file = randomFile("film.bin", 50_000_000);
        FileTransfer sent = alice.sendFile(file);
        FileTransfer offer = await(bobSees, t -> t.status() == FileTransfer.Status.OFFERED, "bob offered a file");
        assertEquals(sent.id(), offer.id());
        assertEquals("film.bin", offer.name());
        assertEquals(50_000_000, offer.size());
        bob.acceptFile(offer.id(), downloads);
        FileTransfer midway =
                await(bobSees, t -> t.status() == FileTransfer.Status.MOVING && t.bytes() > 0, "bytes arriving at bob");
        assertTrue(midway.bytes() < midway.size(), "progress before the end: " + midway);
        FileTransfer received = await(bobSees, t -> t.status().over(), "bob's file done");
        assertEquals(FileTransfer.Status.DONE, received.status(), received.reason());
        FileTransfer done = await(aliceSees, t -> t.status().over(), "alice hearing bob's verdict");
        assertEquals(FileTransfer.Status.DONE, done.status(), done.reason());
        assertNotNull(received.savedAs());
        assertEquals(downloads.resolve("film.bin"), received.savedAs());
        assertArrayEquals(sha256(file), sha256(received.savedAs()), "not the same bytes");
        assertEquals(List.of("film.bin"), filesIn(downloads), "no part file left");
        assertTrue(received.onLink(), "bob: the bytes came on a file link, a connection of their own");
        assertTrue(done.onLink(), "alice: the bytes went on a file link");
        assertTrue(bob.fileLinks().answering(), "bob answers alice's link");
        assertTrue(received.overTcp() && done.overTcp(), "both ends know the link is TCP");
        // The call's path is host to host (one namespace): the link goes over TCP.
        CompletableFuture<CallStats.Route> route = new CompletableFuture<>();
        alice.run(() -> alice.fileLinks().outgoingRoute(route::complete));
        CallStats.Route r = route.get(10, TimeUnit.SECONDS);
        assertNotNull(r, "alice's link has no route");
        assertEquals("tcp", r.protocol(), "alice's link: " + r);
    }

    /**
     * A direct path whose firewall drops TCP: the TCP link never connects, and after its limit the sender offers one
     * UDP link, which the receiver answers (its second and last) and the file takes.
     */
    @Test
    void aLinkTcpCannotCrossGivesWayToAUdpLink() throws Exception {
        awaitAlicesRoute();
        CallContext.tcpBlockedForTest = true;
        try {
            long start = System.nanoTime();
            FileTransfer[] ends =
                    aliceSendsBobTakes(randomFile("notes.bin", 2_000_000), Files.createDirectories(dir.resolve("in")));
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
            assertTrue(ends[1].onLink() && ends[2].onLink(), "on a link: " + ends[1] + " / " + ends[2]);
            assertTrue(!ends[1].overTcp() && !ends[2].overTcp(), "over UDP: " + ends[1] + " / " + ends[2]);
            assertTrue(seconds >= FileLinks.TCP_CONNECT_LIMIT_MILLIS / 1000 - 1, "no TCP attempt first: " + seconds);
            int[] answered = new int[1];
            CountDownLatch look = new CountDownLatch(1);
            bob.run(() -> {
                answered[0] = bob.fileLinks().answered();
                look.countDown();
            });
            assertTrue(look.await(5, TimeUnit.SECONDS));
            assertEquals(2, answered[0], "bob answers the TCP link, then the UDP one");
        } finally {
            CallContext.tcpBlockedForTest = false;
        }
    }

    /** A peer without file links (an older Parley) gets its files on the call's connection, as before. */
    @Test
    void aReceiverWithoutLinksGetsTheFileOnTheCallsConnection() throws Exception {
        bob.useFileLinks(false);
        Path downloads = Files.createDirectories(dir.resolve("bob-downloads"));
        Path file = randomFile("notes.bin", 3_000_000);
        FileTransfer[] ends = aliceSendsBobTakes(file, downloads);
        FileTransfer received = ends[1];
        FileTransfer done = ends[2];
        assertArrayEquals(sha256(file), sha256(received.savedAs()), "not the same bytes");
        assertTrue(!received.onLink() && !done.onLink(), "no link: " + received + " / " + done);
        assertTrue(!bob.fileLinks().answering(), "bob made no link");
    }

    /**
     * A hostile peer's link offers: one before this side took a file on a link is ignored (no connection made for
     * it); once one is welcome, an offer carrying a media section is refused; an offer libwebrtc refuses (no
     * fingerprint) costs one connection, closed at once, and no later offer gets another (no connection after
     * connection); a candidate it cannot read is dropped. The call goes on throughout.
     */
    @Test
    void linkOffersTheCallDoesNotExpectAreIgnored() throws Exception {
        String head = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";
        String data = head + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\n"
                + "a=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\na=setup:actpass\r\na=mid:0\r\n"
                + "a=sctp-port:5000\r\n"; // no fingerprint: libwebrtc refuses it
        int[] seen = new int[4];
        CountDownLatch first = new CountDownLatch(1);
        bob.run(() -> {
            FileLinks links = bob.fileLinks();
            links.message(new PeerMessages.LinkDescription(true, data, false)); // nothing accepted on a link yet
            seen[0] = links.answered();
            links.agree();
            links.message(new PeerMessages.LinkDescription(true, data + "m=video 9 UDP/TLS/RTP/SAVPF 96\r\n", false));
            seen[1] = links.answered();
            links.message(new PeerMessages.LinkDescription(true, data, false)); // taken, then refused by libwebrtc
            seen[2] = links.answered();
            first.countDown();
        });
        assertTrue(first.await(10, TimeUnit.SECONDS));
        assertEquals(0, seen[0], "a link answered before any file was taken on one");
        assertEquals(0, seen[1], "a link with a media section answered");
        assertEquals(1, seen[2], "the well-formed offer was not taken");
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        boolean[] down = {false};
        while (!down[0] && System.nanoTime() < end) {
            CountDownLatch look = new CountDownLatch(1);
            bob.run(() -> {
                down[0] = !bob.fileLinks().answering();
                look.countDown();
            });
            look.await(5, TimeUnit.SECONDS);
            Thread.sleep(100);
        }
        assertTrue(down[0], "libwebrtc took an offer without a fingerprint");
        CountDownLatch again = new CountDownLatch(1);
        bob.run(() -> {
            FileLinks links = bob.fileLinks();
            for (int i = 0; i < 5; i++) {
                links.message(new PeerMessages.LinkDescription(true, data, false));
                links.message(new PeerMessages.LinkCandidate(true, "0", 0, "not a candidate"));
            }
            seen[3] = links.answered();
            again.countDown();
        });
        assertTrue(again.await(10, TimeUnit.SECONDS));
        assertEquals(1, seen[3], "offers after a failed link made new connections");
        assertEquals(CallState.CONNECTED, bob.state(), "the call goes on");
        assertEquals(CallState.CONNECTED, alice.state(), "the call goes on");
    }

    @Test
    void theReceiverCancelsWhileBytesMoveAndNothingIsLeft() throws Exception {
        Path downloads = Files.createDirectories(dir.resolve("bob-downloads"));
        alice.sendFile(randomFile("big.bin", 200_000_000));
        FileTransfer offer = await(bobSees, t -> t.status() == FileTransfer.Status.OFFERED, "an offer");
        bob.acceptFile(offer.id(), downloads);
        await(bobSees, t -> t.bytes() > 1_000_000, "bytes arriving");
        bob.cancelFile(offer.id());
        assertEquals(
                FileTransfer.Status.CANCELLED,
                await(bobSees, t -> t.status().over(), "bob's end").status());
        FileTransfer aliceEnd = await(aliceSees, t -> t.status().over(), "alice hearing the cancel");
        assertEquals(FileTransfer.Status.CANCELLED, aliceEnd.status(), aliceEnd.reason());
        assertEquals(List.of(), filesIn(downloads));
        assertTrue(alice.state() == CallState.CONNECTED, "the call goes on");
    }

    @Test
    void theSenderCancelsWhileBytesMoveAndNothingIsLeft() throws Exception {
        Path downloads = Files.createDirectories(dir.resolve("bob-downloads"));
        FileTransfer sent = alice.sendFile(randomFile("big.bin", 200_000_000));
        FileTransfer offer = await(bobSees, t -> t.status() == FileTransfer.Status.OFFERED, "an offer");
        bob.acceptFile(offer.id(), downloads);
        await(bobSees, t -> t.bytes() > 1_000_000, "bytes arriving");
        alice.cancelFile(sent.id());
        FileTransfer bobEnd = await(bobSees, t -> t.status().over(), "bob hearing the cancel");
        assertEquals(FileTransfer.Status.CANCELLED, bobEnd.status(), bobEnd.reason());
        assertEquals(List.of(), filesIn(downloads));
    }

    /**
     * A cancel travels on the call's own channel, the transfer's close on another stream: the close may come first
     * (the race CI once lost). Either way round the other side says "cancelled", not "failed".
     */
    @Test
    void aCancelThatArrivesAfterTheChannelClosedStillReadsAsCancelled() throws Exception {
        Path downloads = Files.createDirectories(dir.resolve("bob-downloads"));
        FileTransfer sent = alice.sendFile(randomFile("big.bin", 200_000_000));
        FileTransfer offer = await(bobSees, t -> t.status() == FileTransfer.Status.OFFERED, "an offer");
        bob.acceptFile(offer.id(), downloads);
        await(bobSees, t -> t.bytes() > 1_000_000, "bytes arriving");
        bob.delayFileCancels(300);
        bob.cancelFile(offer.id());
        FileTransfer aliceEnd = await(aliceSees, t -> t.status().over(), "alice hearing the late cancel");
        assertEquals(FileTransfer.Status.CANCELLED, aliceEnd.status(), aliceEnd.reason());
        assertEquals(sent.id(), aliceEnd.id());
        assertEquals(List.of(), filesIn(downloads));
        assertTrue(alice.state() == CallState.CONNECTED, "the call goes on");
    }

    /**
     * The receiver's verdict travels on the call's own channel and may overtake the sender's news that its channel
     * drained (CI once saw "the receiver says: not saved" for a file that had arrived whole).
     */
    @Test
    void aVerdictThatOvertakesTheDrainStillReadsAsDone() throws Exception {
        Path downloads = Files.createDirectories(dir.resolve("bob-downloads"));
        alice.lagFileSender(3000);
        FileTransfer[] ends = aliceSendsBobTakes(randomFile("notes.bin", 3_000_000), downloads);
        FileTransfer done = ends[2];
        assertEquals(ends[0].id(), done.id());
        assertEquals(3_000_000, done.bytes());
    }

    @Test
    void aSlowDiskHoldsTheSenderBackAndTheFileStillArrives() throws Exception {
        Path downloads = Files.createDirectories(dir.resolve("bob-downloads"));
        CountDownLatch diskStuck = new CountDownLatch(1);
        bob.useDiskThreads(task -> new Thread(() -> {
                    try {
                        diskStuck.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    task.run();
                })
                .start());
        Path file = randomFile("slow.bin", 64_000_000);
        FileTransfer sent = alice.sendFile(file);
        FileTransfer offer = await(bobSees, t -> t.status() == FileTransfer.Status.OFFERED, "an offer");
        bob.acceptFile(offer.id(), downloads);
        long mostSent = await(aliceSees, t -> t.id().equals(sent.id()) && t.bytes() > 0, "bytes leaving alice")
                .bytes();
        Thread.sleep(3_000); // at the link's speed, ~70 MB could leave meanwhile
        for (FileTransfer t; (t = aliceSees.poll()) != null; ) {
            mostSent = Math.max(mostSent, t.bytes());
        }
        assertTrue(
                mostSent > 0 && mostSent <= FileTransfers.WINDOW, "sent while bob's disk wrote nothing: " + mostSent);
        diskStuck.countDown();
        FileTransfer received = await(bobSees, t -> t.status().over(), "bob's file done");
        assertEquals(FileTransfer.Status.DONE, received.status(), received.reason());
        assertEquals(
                FileTransfer.Status.DONE,
                await(aliceSees, t -> t.status().over(), "alice's end").status());
        assertArrayEquals(sha256(file), sha256(received.savedAs()), "not the same bytes");
        assertEquals(List.of("slow.bin"), filesIn(downloads));
    }

    @Test
    void severalFilesMoveAtOnceAndChatKeepsFlowing() throws Exception {
        Path downloads = Files.createDirectories(dir.resolve("bob-downloads"));
        LinkedBlockingQueue<String> bobReads = new LinkedBlockingQueue<>();
        java.util.Map<String, FileTransfer> bobsLatest = new java.util.concurrent.ConcurrentHashMap<>();
        bob.addFileListener((s, t) -> bobsLatest.put(t.id(), t));
        bob.addChatListener((s, text) -> bobReads.add(text));
        List<Path> sent = List.of(
                randomFile("one.bin", 30_000_000), randomFile("two.bin", 20_000_000), randomFile("three.bin", 10_000));
        for (Path f : sent) {
            alice.sendFile(f);
        }
        for (int i = 0; i < sent.size(); i++) {
            FileTransfer offer = await(bobSees, t -> t.status() == FileTransfer.Status.OFFERED, "three offers");
            bob.acceptFile(offer.id(), downloads);
        }
        await(bobSees, t -> t.status() == FileTransfer.Status.MOVING && t.bytes() > 1_000_000, "bytes arriving");
        long askedAt = System.nanoTime();
        alice.sendChat("is it coming?");
        assertEquals("is it coming?", bobReads.poll(5, TimeUnit.SECONDS), "chat while files move");
        long chatMillis = (System.nanoTime() - askedAt) / 1_000_000;
        for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                bobsLatest.size() < sent.size()
                        || !bobsLatest.values().stream()
                                .allMatch(t -> t.status().over()); ) {
            assertTrue(System.nanoTime() < end, "not every file ended: " + bobsLatest.values());
            Thread.sleep(100);
        }
        for (FileTransfer t : bobsLatest.values()) {
            assertEquals(FileTransfer.Status.DONE, t.status(), t.reason());
        }
        for (Path f : sent) {
            assertArrayEquals(sha256(f), sha256(downloads.resolve(f.getFileName())), f.toString());
        }
        assertEquals(List.of("one.bin", "three.bin", "two.bin"), filesIn(downloads));
        assertTrue(chatMillis < 5_000, "a chat line took " + chatMillis + " ms behind the files");
    }

    @Test
    void aDeclinedFileIsNeverSent() throws Exception {
        FileTransfer sent = alice.sendFile(randomFile("unwanted.bin", 1_000));
        FileTransfer offer = await(bobSees, t -> t.status() == FileTransfer.Status.OFFERED, "an offer");
        bob.declineFile(offer.id());
        FileTransfer end =
                await(aliceSees, t -> t.id().equals(sent.id()) && t.status().over(), "alice's end");
        assertEquals(FileTransfer.Status.DECLINED, end.status());
    }

    @Test
    void theCallEndingMidTransferLeavesNoPartFile() throws Exception {
        Path downloads = Files.createDirectories(dir.resolve("bob-downloads"));
        alice.sendFile(randomFile("big.bin", 200_000_000));
        FileTransfer offer = await(bobSees, t -> t.status() == FileTransfer.Status.OFFERED, "an offer");
        bob.acceptFile(offer.id(), downloads);
        await(bobSees, t -> t.bytes() > 1_000_000, "bytes arriving");
        alice.hangup();
        assertTrue(bob.awaitEnd(10_000));
        FileTransfer end = await(bobSees, t -> t.status().over(), "bob's file stopping");
        assertTrue(
                end.status() == FileTransfer.Status.CANCELLED || end.status() == FileTransfer.Status.FAILED,
                end.toString());
        assertEquals(List.of(), filesIn(downloads));
    }
}
