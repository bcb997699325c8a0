package dev.parley.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.onvoid.webrtc.media.video.VideoTrackSource;
import dev.parley.media.CallStats;
import dev.parley.media.DtlsIdentity;
import dev.parley.media.FrameStamp;
import dev.parley.media.MediaEngine;
import dev.parley.media.SyntheticVideoSource;
import dev.parley.media.VideoSource;
import dev.parley.signaling.client.LoopbackTransport;
import dev.parley.signaling.client.SignalingClient;
import dev.parley.signaling.protocol.Answer;
import dev.parley.signaling.protocol.CallMessage;
import dev.parley.signaling.protocol.Candidate;
import dev.parley.signaling.protocol.Invite;
import dev.parley.signaling.protocol.Message;
import dev.parley.signaling.protocol.Offer;
import dev.parley.testsupport.Await;
import dev.parley.testsupport.SystemTest;
import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two call engines, each with its own signaling client, over the in-memory signaling hub; the peer connections
 * are real and run in the test JVM's own network namespace.
 */
@SystemTest
@Timeout(60)
class CallEngineTest {
    private CallPair pair;
    private CallEngine alice;
    private CallEngine bob;
    private LinkedBlockingQueue<CallSession> bobsIncoming;

    @BeforeEach
    void setUp() throws Exception {
        pair = new CallPair(
                URI.create("loopback:calls"), CallOptions.defaults().withNoAnswerTimeout(Duration.ofSeconds(2)));
        alice = pair.alice;
        bob = pair.bob;
        bobsIncoming = pair.bobsIncoming;
    }

    @AfterEach
    void tearDown() {
        pair.close();
    }

    private static void waitFor(BooleanSupplier condition, String failure) {
        Await.until(condition, CallPair.WAIT, failure);
    }

    @Test
    void aCallConnectsVideoFlowsBothWaysAndAHangupEndsItForBoth() throws Exception {
        CallSession outgoing = alice.dial("bob");
        CompletableFuture<CallState> connected = CallPair.reaches(outgoing, CallState.CONNECTED);
        CallSession incoming = bobsIncoming.poll(10, TimeUnit.SECONDS);
        assertNotNull(incoming, "bob was never called");
        assertEquals("alice", incoming.peer());
        connected.get(15, TimeUnit.SECONDS);
        CallPair.reaches(incoming, CallState.CONNECTED).get(15, TimeUnit.SECONDS);

        for (CallSession side : new CallSession[] {outgoing, incoming}) {
            waitFor(() -> side.remoteVideo().lastStamp() != null, side.peer() + "'s video never arrived");
            FrameStamp first = side.remoteVideo().lastStamp();
            waitFor(() -> side.remoteVideo().lastStamp().counter() > first.counter() + 10, "the video froze");
        }

        // Chat over the call's data channel, both ways, with non-ASCII text intact.
        LinkedBlockingQueue<String> bobReads = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<String> aliceReads = new LinkedBlockingQueue<>();
        incoming.addChatListener((s, text) -> bobReads.add(text));
        outgoing.addChatListener((s, text) -> aliceReads.add(text));
        // The first message opens the channel (a renegotiation) and waits for it: it is sent, not dropped.
        assertTrue(outgoing.sendChat("hello, Bob — привет").get(10, TimeUnit.SECONDS), "the chat channel never opened");
        assertEquals("hello, Bob — привет", bobReads.poll(10, TimeUnit.SECONDS));
        assertTrue(incoming.sendChat("hi Alice").get(5, TimeUnit.SECONDS));
        assertEquals("hi Alice", aliceReads.poll(10, TimeUnit.SECONDS));
        // PROTOCOL.md, in-call messages: a chat message is at most 4,000 characters.
        assertTrue(outgoing.sendChat("y".repeat(4000)).get(5, TimeUnit.SECONDS), "4,000 characters refused");
        assertEquals("y".repeat(4000), bobReads.poll(10, TimeUnit.SECONDS));
        assertFalse(outgoing.sendChat("x".repeat(4001)).get(5, TimeUnit.SECONDS), "4,001 characters sent");
        assertNull(bobReads.poll(500, TimeUnit.MILLISECONDS), "the refused message arrived anyway");

        outgoing.hangup();
        assertTrue(incoming.awaitEnd(10_000));
        assertEquals(EndReason.REMOTE_HUNG_UP, incoming.endReason());
        assertTrue(outgoing.awaitEnd(5_000));
        assertEquals(EndReason.HUNG_UP, outgoing.endReason());
    }

    @Test
    void eachSideHearsTheOthersToneAndStatsDescribeTheConnection() throws Exception {
        CallSession[] call = pair.connected();
        CallSession aliceSide = call[0];
        CallSession bobSide = call[1];
        // Alice's synthetic microphone plays 440 Hz and Bob's 660 Hz: each must hear the other's.
        waitFor(
                () -> Math.abs(bobSide.remoteAudio().frequencyHz() - 440) < 20,
                "bob does not hear 440 Hz but " + bobSide.remoteAudio().frequencyHz() + " Hz after "
                        + bobSide.remoteAudio().chunksReceived() + " chunks");
        waitFor(
                () -> Math.abs(aliceSide.remoteAudio().frequencyHz() - 660) < 20,
                "alice does not hear 660 Hz but " + aliceSide.remoteAudio().frequencyHz() + " Hz");
        assertTrue(
                bobSide.remoteAudio().level() > 0.05,
                "level " + bobSide.remoteAudio().level());

        waitFor(
                () -> bobSide.stats() != null
                        && bobSide.stats().find("video", false) != null
                        && bobSide.stats().find("video", false).bitrateBps() > 0,
                "no video bitrate in bob's stats");
        CallStats stats = bobSide.stats();
        CallStats.Stream video = stats.find("video", false);
        assertEquals("H264", video.codec(), "the preferred codec (CallOptions.videoCodec) was not chosen");
        assertEquals("camera", video.trackId());
        assertTrue(video.bitrateBps() > 50_000 && video.bitrateBps() < 20_000_000, "bitrate " + video.bitrateBps());
        assertTrue(video.width() > 0 && video.frames() > 0, video.toString());
        CallStats.Stream audio = stats.find("audio", false);
        assertNotNull(audio, "no received audio stream in " + stats);
        assertEquals("opus", audio.codec());
        // The jitter buffers' delays of the last second: a frame or a sample waits there a little, never minutes.
        for (CallStats.Stream in : List.of(video, audio)) {
            assertTrue(
                    in.jitterBufferMs() > 0 && in.jitterBufferMs() < 2_000 && in.targetDelayMs() >= 0,
                    "jitter buffer of " + in);
        }
        assertNotNull(stats.find("video", true), "no sent video stream in " + stats);
        assertEquals(-1, stats.find("video", true).jitterBufferMs(), "a sent stream has no jitter buffer");
        assertNotNull(stats.route(), "no selected candidate pair");
        assertEquals("host", stats.route().localType());
        assertEquals("host", stats.route().remoteType());
        assertTrue(
                stats.route().remoteAddress().startsWith("198.18.0."),
                stats.route().toString());
        assertTrue(stats.rttMs() >= 0 && stats.rttMs() < 1000, "rtt " + stats.rttMs());
        aliceSide.hangup();
        assertTrue(bobSide.awaitEnd(10_000));
    }

    @Test
    void cameraOffAndMuteReachThePeerAndTheCallSurvivesThem() throws Exception {
        CallSession[] call = pair.connected();
        CallSession aliceSide = call[0];
        CallSession bobSide = call[1];
        LinkedBlockingQueue<PeerMedia> bobSees = new LinkedBlockingQueue<>();
        bobSide.addPeerMediaListener((s, m) -> bobSees.add(m));
        waitFor(() -> bobSide.remoteAudio().level() > 0.05, "bob hears nothing");

        aliceSide.setCameraEnabled(false);
        aliceSide.setMicrophoneEnabled(false);
        waitFor(
                () -> !bobSide.peerMedia().camera() && !bobSide.peerMedia().microphone(),
                "bob was not told: " + bobSide.peerMedia());
        CallPair.awaitStill(bobSide.remoteVideo()); // frames already on their way have landed
        assertEquals(0, CallPair.framesDuring(bobSide.remoteVideo(), 4000), "video still arrives with the camera off");
        assertTrue(
                bobSide.remoteAudio().level() < 0.01,
                "still audible while muted: " + bobSide.remoteAudio().level());
        // 4 s without a frame, longer than any watchdog threshold: the call must not count as interrupted.
        assertEquals(CallState.CONNECTED, bobSide.state());
        assertEquals(CallState.CONNECTED, aliceSide.state());

        aliceSide.setCameraEnabled(true);
        aliceSide.setMicrophoneEnabled(true);
        waitFor(() -> bobSide.peerMedia().camera() && bobSide.peerMedia().microphone(), "bob was not told again");
        waitFor(() -> bobSide.remoteAudio().level() > 0.05, "the microphone did not come back");
        assertTrue(CallPair.framesDuring(bobSide.remoteVideo(), 1000) > 10, "the camera did not come back");
        // What bob was told, in order: both off (one or two messages), then both on again.
        assertEquals(
                new PeerMedia(false, false, false),
                bobSees.stream()
                        .filter(m -> !m.camera() && !m.microphone())
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("never told both are off: " + bobSees)));
        assertEquals(
                new PeerMedia(true, true, false),
                List.copyOf(bobSees).get(bobSees.size() - 1),
                "last told: " + bobSees);
        aliceSide.hangup();
        assertTrue(bobSide.awaitEnd(10_000));
    }

    @Test
    void aScreenSharedMidCallArrivesAsASecondVideoBesideTheCamera() throws Exception {
        CallSession[] call = pair.connected();
        CallSession aliceSide = call[0];
        CallSession bobSide = call[1];
        // The callee shares, so the renegotiating offer comes from the side that answered the first one.
        assertTrue(bobSide.shareScreen(new SyntheticVideoSource(1280, 720, 10)).get(5, TimeUnit.SECONDS));
        waitFor(() -> aliceSide.remoteScreen().framesReceived() > 5, "the screen never arrived");
        waitFor(() -> aliceSide.peerMedia().screen(), "alice was not told of the share");
        assertTrue(CallPair.framesDuring(aliceSide.remoteVideo(), 1000) > 10, "the camera stopped during the share");
        assertTrue(CallPair.framesDuring(aliceSide.remoteScreen(), 1000) > 3, "the screen froze");
        int width = aliceSide.remoteScreen().size()[0];
        assertTrue(width >= 320 && width <= 1280, "screen width " + width);

        bobSide.stopScreenShare();
        waitFor(() -> !aliceSide.peerMedia().screen(), "alice was not told the share ended");
        CallPair.awaitStill(aliceSide.remoteScreen());
        assertEquals(0, CallPair.framesDuring(aliceSide.remoteScreen(), 1500), "screen frames after the share ended");
        assertTrue(CallPair.framesDuring(aliceSide.remoteVideo(), 1000) > 10, "the camera stopped after the share");
        assertEquals(CallState.CONNECTED, aliceSide.state());
        bobSide.hangup();
        assertTrue(aliceSide.awaitEnd(10_000));
        assertEquals(EndReason.REMOTE_HUNG_UP, aliceSide.endReason());
    }

    /**
     * A screen capture that throws as it starts (webrtc-java's "Object handle is null", or an Error) is a share that
     * did not start: the caller hears false, the call goes on, and a later share works.
     */
    @Test
    void aScreenCaptureThatFailsToStartLeavesTheCallGoing() throws Exception {
        CallSession[] call = pair.connected();
        CallSession aliceSide = call[0];
        VideoSource failsToStart = failingToStart(
                () -> {
                    throw new IllegalStateException("Object handle is null");
                },
                () -> {});
        assertEquals(false, aliceSide.shareScreen(failsToStart).get(5, TimeUnit.SECONDS));
        assertEquals(CallState.CONNECTED, aliceSide.state(), "the call ended with the share");
        // webrtc-java throws Errors too: one at the start is a share that did not start, its source closed.
        CountDownLatch closed = new CountDownLatch(1);
        VideoSource nativeError = failingToStart(
                () -> {
                    throw new Error("a native failure");
                },
                closed::countDown);
        assertEquals(false, aliceSide.shareScreen(nativeError).get(5, TimeUnit.SECONDS));
        assertTrue(closed.await(5, TimeUnit.SECONDS), "the failed share's source was left open");
        assertEquals(CallState.CONNECTED, aliceSide.state(), "the call ended with the share");
        assertTrue(!aliceSide.peerMedia().screen() && !call[1].peerMedia().screen());
        assertTrue(aliceSide.shareScreen(new SyntheticVideoSource(320, 240, 10)).get(5, TimeUnit.SECONDS));
        waitFor(() -> call[1].remoteScreen().framesReceived() > 0, "the second share never arrived");
        assertEquals(CallState.CONNECTED, call[1].state());
    }

    /** A synthetic pattern whose start fails with {@code start}; {@code onClose} runs as it is closed. */
    private static VideoSource failingToStart(Runnable start, Runnable onClose) {
        SyntheticVideoSource pattern = new SyntheticVideoSource(320, 240, 10);
        return new VideoSource() {
            @Override
            public VideoTrackSource videoSource() {
                return pattern.videoSource();
            }

            @Override
            public void start() {
                start.run();
            }

            @Override
            public void close() {
                onClose.run();
                pattern.close();
            }
        };
    }

    /** A part whose close throws must not keep the call from ending: listeners, waiters and the engine all hear it. */
    @Test
    void aCallEndsForEveryoneEvenWhenClosingOneOfItsPartsFails() throws Exception {
        CallSession[] call = pair.connected();
        CallSession aliceSide = call[0];
        SyntheticVideoSource pattern = new SyntheticVideoSource(320, 240, 10);
        VideoSource breaksOnClose = new VideoSource() {
            @Override
            public VideoTrackSource videoSource() {
                return pattern.videoSource();
            }

            @Override
            public void start() {
                pattern.start();
            }

            @Override
            public void close() {
                pattern.close();
                throw new IllegalStateException("a source that fails to close");
            }
        };
        assertTrue(aliceSide.shareScreen(breaksOnClose).get(5, TimeUnit.SECONDS));
        waitFor(() -> call[1].remoteScreen().framesReceived() > 0, "the screen never arrived");
        LinkedBlockingQueue<CallState> heard = new LinkedBlockingQueue<>();
        aliceSide.addListener((s, state, reason) -> heard.add(state));
        aliceSide.hangup();
        assertEquals(CallState.ENDED, heard.poll(10, TimeUnit.SECONDS), "the listener never heard the end");
        assertTrue(aliceSide.awaitEnd(1_000), "waiters were not released");
        assertEquals(EndReason.HUNG_UP, aliceSide.endReason());
        waitFor(() -> alice.activeCalls().isEmpty(), "the engine still counts the call");
        assertTrue(call[1].awaitEnd(10_000), "the peer was not told");
        String thread = "parley-call-" + aliceSide.callId().substring(0, 8);
        waitFor(
                () -> Thread.getAllStackTraces().keySet().stream()
                        .noneMatch(t -> t.getName().equals(thread)),
                "the call's thread still runs");
    }

    @Test
    void whenBothCallEachOtherAtOnceOneCallConnects() throws Exception {
        pair.bobAnswers = false; // nobody presses "answer": the crossing itself must make the call
        // The hub holds the first invite until the second is sent, so the invites cross on the wire whatever the
        // threads' timing (without it, alice's invite could reach bob before he dials: a call-back, not glare).
        List<Invite> held = new ArrayList<>();
        List<Consumer<CallMessage>> deliveries = new ArrayList<>();
        pair.factory.transport(LoopbackTransport.class).hub("calls").setRelay((m, deliver) -> {
            if (!(m instanceof Invite invite)) {
                deliver.accept(m);
                return;
            }
            synchronized (held) {
                held.add(invite);
                deliveries.add(deliver);
                if (held.size() == 2) {
                    for (int i = 0; i < 2; i++) {
                        deliveries.get(i).accept(held.get(i));
                    }
                }
            }
        });
        CallSession fromAlice = alice.dial("bob");
        CallSession fromBob = bob.dial("alice");
        String aliceDialed = fromAlice.callId();
        String bobDialed = fromBob.callId();
        assertNotEquals(aliceDialed, bobDialed, "bob's dial took alice's ringing call: the invites did not cross");
        CallPair.reaches(fromAlice, CallState.CONNECTED).get(15, TimeUnit.SECONDS);
        CallPair.reaches(fromBob, CallState.CONNECTED).get(15, TimeUnit.SECONDS);
        // Both keep the call with the smaller id (PROTOCOL.md, glare); the other side's session took it over.
        String kept = aliceDialed.compareTo(bobDialed) < 0 ? aliceDialed : bobDialed;
        assertEquals(kept, fromAlice.callId());
        assertEquals(kept, fromBob.callId());
        assertTrue(fromAlice.outgoing() != fromBob.outgoing(), "both think they placed the call");
        waitFor(
                () -> fromAlice.remoteVideo().framesReceived() > 0
                        && fromBob.remoteVideo().framesReceived() > 0,
                "no video");
        assertEquals(1, alice.activeCalls().size());
        assertEquals(1, bob.activeCalls().size());
        fromBob.hangup();
        assertTrue(fromAlice.awaitEnd(10_000));
        assertEquals(EndReason.REMOTE_HUNG_UP, fromAlice.endReason());
    }

    @Test
    void callingBackSomeoneWhoseCallIsRingingAnswersIt() throws Exception {
        pair.bobAnswers = false;
        CallSession fromAlice = alice.dial("bob");
        CallSession ringing = bobsIncoming.poll(10, TimeUnit.SECONDS);
        assertNotNull(ringing);
        CallSession fromBob = bob.dial("alice");
        assertTrue(ringing == fromBob, "bob's dial made a second call");
        CallPair.reaches(fromAlice, CallState.CONNECTED).get(15, TimeUnit.SECONDS);
        fromAlice.hangup();
        assertTrue(fromBob.awaitEnd(10_000));
    }

    /**
     * Both ends' addresses change mid-call, as when a laptop moves to another network: every candidate pair dies,
     * and only an ICE restart (new candidates, exchanged over signaling) can bring the media back.
     */
    @Test
    void aCallSurvivesBothAddressesChangingThroughAnIceRestart() throws Exception {
        CallSession[] call = pair.connected();
        CallSession aliceSide = call[0];
        CallSession bobSide = call[1];
        LinkedBlockingQueue<CallState> aliceStates = new LinkedBlockingQueue<>();
        aliceSide.addListener((s, state, reason) -> aliceStates.add(state));
        try {
            Netns.renumber("198.18.0.1", "198.18.0.3", "pa");
            Netns.renumber("198.18.0.2", "198.18.0.4", "pb");
            assertEquals(CallState.RECONNECTING, aliceStates.poll(10, TimeUnit.SECONDS), "the break went unnoticed");
            assertEquals(CallState.CONNECTED, aliceStates.poll(10, TimeUnit.SECONDS), "the call did not recover");
            waitFor(
                    () -> bobSide.stats() != null
                            && bobSide.stats().route() != null
                            && bobSide.stats().route().remoteAddress().startsWith("198.18.0.3"),
                    "still on the old route: "
                            + (bobSide.stats() == null ? null : bobSide.stats().route()));
            // The decoders may wait for a key frame after the gap; video must resume within seconds.
            long bobHad = bobSide.remoteVideo().framesReceived();
            long aliceHad = aliceSide.remoteVideo().framesReceived();
            waitFor(() -> bobSide.remoteVideo().framesReceived() > bobHad + 30, "no video after the restart");
            waitFor(() -> aliceSide.remoteVideo().framesReceived() > aliceHad + 30, "no video back after the restart");
        } finally {
            Netns.renumber("198.18.0.3", "198.18.0.1", "pa");
            Netns.renumber("198.18.0.4", "198.18.0.2", "pb");
        }
        aliceSide.hangup();
        assertTrue(bobSide.awaitEnd(10_000));
        assertEquals(EndReason.REMOTE_HUNG_UP, bobSide.endReason());
    }

    /** Fifty calls in one process: none may fail, and native memory must not pile up from call to call. */
    @Test
    @Timeout(300)
    void fiftySequentialCallsConnectAndKeepMemoryFlat() throws Exception {
        long rssAtFive = 0;
        for (int i = 1; i <= 50; i++) {
            CallSession[] call = pair.connected();
            int n = i;
            waitFor(() -> call[1].remoteVideo().framesReceived() >= 10, "call " + n + " froze");
            call[i % 2].hangup(); // either side hangs up
            assertTrue(call[0].awaitEnd(10_000) && call[1].awaitEnd(10_000), "a call did not end");
            waitFor(() -> alice.activeCalls().isEmpty() && bob.activeCalls().isEmpty(), "a call lingers");
            bobsIncoming.clear();
            if (i == 5) {
                rssAtFive = residentKilobytes();
            }
            if (i % 5 == 0) {
                System.out.printf(
                        "call %d: RSS %d MB, heap committed %d MB, threads %d%n",
                        i, residentKilobytes() / 1024, Runtime.getRuntime().totalMemory() >> 20, Thread.activeCount());
            }
        }
        long rssAtFifty = residentKilobytes();
        System.out.printf(
                "RSS after call 5: %d MB, after call 50: %d MB (%+.1f%%)%n",
                rssAtFive / 1024, rssAtFifty / 1024, 100.0 * (rssAtFifty - rssAtFive) / rssAtFive);
        // Measured here: +2 to +10% (glibc arenas settling while the full suite runs); the SCTP leak this guards
        // against (1.2 MB per call and side, decision 0003) would add about 100 MB over 45 calls, some +35%.
        assertTrue(rssAtFifty < rssAtFive * 1.15, "RSS grew from " + rssAtFive + " kB to " + rssAtFifty + " kB");
    }

    /**
     * Resident memory once what a collection can give back is given back: each call's video sinks hold direct
     * buffers that only a collection frees (their cleaners run on another thread), and glibc keeps freed memory
     * until asked (jcmd System.trim_native_heap). Read until two readings agree within 1 MB.
     */
    private static long residentKilobytes() throws Exception {
        long previous = -1;
        for (int reading = 0; reading < 20; reading++) {
            System.gc();
            ManagementFactory.getPlatformMBeanServer()
                    .invoke(
                            new ObjectName("com.sun.management:type=DiagnosticCommand"),
                            "systemTrimNativeHeap",
                            new Object[] {null},
                            new String[] {String[].class.getName()});
            long rss = vmRssKilobytes();
            if (previous >= 0 && Math.abs(rss - previous) < 1024) {
                return rss;
            }
            previous = rss;
            Thread.sleep(100); // between readings; the loop ends on agreement, not on the sleep
        }
        throw new AssertionError("RSS did not settle: last " + previous + " kB");
    }

    private static long vmRssKilobytes() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    @Test
    void anEchoServiceSendsTheCallerItsOwnVideoAndAudioBack() throws Exception {
        try (MediaEngine echoMedia = MediaEngine.headless();
                CallEngine echo = new CallEngine(
                        echoMedia,
                        pair.client(URI.create("loopback:calls"), "echo"),
                        CallOptions.defaults().withEcho(true).withToneHz(660),
                        CallSession::accept)) {
            CallSession call = alice.dial("echo");
            CallPair.reaches(call, CallState.CONNECTED).get(15, TimeUnit.SECONDS);
            // The echo makes no pattern and no tone of its own: stamped frames and a 440 Hz tone are alice's.
            waitFor(() -> call.remoteVideo().lastStamp() != null, "no video came back");
            FrameStamp first = call.remoteVideo().lastStamp();
            waitFor(
                    () -> Math.abs(call.remoteAudio().frequencyHz() - 440) < 20
                            && call.remoteAudio().level() > 0.05,
                    "alice does not hear herself: " + call.remoteAudio().frequencyHz() + " Hz");
            assertTrue(CallPair.framesDuring(call.remoteVideo(), 1000) > 10, "the echoed video froze");
            assertTrue(call.remoteVideo().lastStamp().counter() > first.counter());
            long roundTrip = call.remoteVideo().lastStampAgeMicros();
            assertTrue(roundTrip > 0 && roundTrip < 1_000_000, "round trip " + roundTrip + " µs");
            call.hangup();
            assertTrue(call.awaitEnd(10_000));
        }
    }

    @Test
    void losingSignalingWhileACallRingsEndsItOnBothSides() throws Exception {
        pair.bobAnswers = false;
        CallSession outgoing = alice.dial("bob");
        CallSession incoming = bobsIncoming.poll(10, TimeUnit.SECONDS);
        assertNotNull(incoming);
        pair.factory.transport(LoopbackTransport.class).hub("calls").disconnectAll();
        assertTrue(outgoing.awaitEnd(10_000), "the caller still dials without a server");
        assertEquals(EndReason.SIGNALING_LOST, outgoing.endReason());
        assertTrue(incoming.awaitEnd(10_000), "the callee still rings without a server");
        assertEquals(EndReason.SIGNALING_LOST, incoming.endReason());
    }

    @Test
    void aDeclineEndsTheCallerWithDeclined() throws Exception {
        pair.bobAnswers = false;
        CallSession outgoing = alice.dial("bob");
        CallSession incoming = bobsIncoming.poll(10, TimeUnit.SECONDS);
        assertNotNull(incoming);
        incoming.decline();
        assertTrue(outgoing.awaitEnd(10_000));
        assertEquals(EndReason.DECLINED, outgoing.endReason());
        assertTrue(incoming.awaitEnd(5_000));
        assertEquals(EndReason.DECLINED, incoming.endReason());
    }

    @Test
    void nobodyAnsweringEndsWithNoAnswerAndTheCalleeSeesItCancelled() throws Exception {
        pair.bobAnswers = false;
        CallSession outgoing = alice.dial("bob");
        CallSession incoming = bobsIncoming.poll(10, TimeUnit.SECONDS);
        assertNotNull(incoming);
        assertTrue(outgoing.awaitEnd(10_000));
        assertEquals(EndReason.NO_ANSWER, outgoing.endReason());
        assertTrue(incoming.awaitEnd(5_000));
        assertEquals(EndReason.CANCELLED, incoming.endReason());
    }

    @Test
    void aSecondCallWhileBusyGetsBusy() throws Exception {
        pair.bobAnswers = false;
        CallSession first = alice.dial("bob");
        assertNotNull(bobsIncoming.poll(10, TimeUnit.SECONDS));
        try (CallEngine carol = new CallEngine(
                pair.aliceMedia, pair.client(URI.create("loopback:calls"), "carol"), CallOptions.defaults(), s -> {})) {
            CallSession second = carol.dial("bob");
            assertTrue(second.awaitEnd(10_000));
            assertEquals(EndReason.BUSY, second.endReason());
        }
        first.hangup();
        assertTrue(first.awaitEnd(5_000));
        assertEquals(EndReason.CANCELLED, first.endReason());
    }

    @Test
    void callingSomeoneOfflineEndsUnavailable() throws Exception {
        CallSession outgoing = alice.dial("nobody");
        assertTrue(outgoing.awaitEnd(10_000));
        assertEquals(EndReason.UNAVAILABLE, outgoing.endReason());
    }

    /** Verification (PROTOCOL.md 7b): both people see the same code; the next call between them has another. */
    @Test
    void bothSidesOfACallSeeTheSameSecurityCodeAndTheNextCallAnother() throws Exception {
        CallSession[] first = pair.connected();
        String code = CallPair.securityCode(first[0]);
        assertNotNull(code, "alice's verification failed: " + first[0].securityCode());
        assertEquals(code, CallPair.securityCode(first[1]), "bob sees another code than alice");
        first[0].hangup();
        assertTrue(first[1].awaitEnd(10_000) && first[0].awaitEnd(10_000));
        assertEquals(code, first[0].securityCode().code(), "the code stays readable after the end");

        CallSession[] second = pair.connected();
        String next = CallPair.securityCode(second[0]);
        assertEquals(next, CallPair.securityCode(second[1]));
        assertNotEquals(code, next, "two calls gave the same code");
        second[0].hangup();
    }

    /**
     * With an identity of their own (Trust: kept per installation), calls connect over DTLS with those certificates
     * and each side's code names the other's key: the fingerprint a verified peer is remembered by.
     */
    @Test
    void callsPresentEachInstallationsOwnCertificate() throws Exception {
        DtlsIdentity aliceId = DtlsIdentity.generate(Duration.ofDays(30));
        DtlsIdentity bobId = DtlsIdentity.generate(Duration.ofDays(30));
        alice.setIdentity(aliceId);
        bob.setIdentity(bobId);
        for (int call = 0; call < 2; call++) {
            CallSession[] sides = pair.connected(); // video both ways: DTLS-SRTP with our certificates
            CallPair.securityCode(sides[0]);
            CallPair.securityCode(sides[1]);
            assertEquals(bobId.fingerprint(), sides[0].securityCode().peerKey());
            assertEquals(aliceId.fingerprint(), sides[1].securityCode().peerKey());
            sides[0].hangup();
            assertTrue(sides[1].awaitEnd(10_000));
        }
    }

    /**
     * The client's own check, for a server that relays everything (a compromised one; the in-memory hub does too,
     * while the real server holds the offer until a device accepts): a device signed in under bob's name that never
     * rang or accepted answers alice's early offer with a valid answer and sends a candidate. Alice, still dialing,
     * must take neither — no connectivity check reaches the impostor's address (a UDP socket the test listens on)
     * — and the call still connects when the real bob accepts.
     */
    @Test
    void anAnswerAndACandidateFromADeviceThatNeverAcceptedAreIgnoredWhileDialing() throws Exception {
        pair.close(); // this test needs the default no-answer timeout: it watches a ringing call for 3 s
        pair = new CallPair(URI.create("loopback:untrusted"), CallOptions.defaults());
        alice = pair.alice;
        bobsIncoming = pair.bobsIncoming;
        pair.bobAnswers = false;
        LinkedBlockingQueue<Message> toImpostor = new LinkedBlockingQueue<>();
        try (SignalingClient impostor = pair.client(URI.create("loopback:untrusted"), "bob");
                DatagramSocket trap = new DatagramSocket(new InetSocketAddress("198.18.0.2", 0));
                ImpostorPeer answerer = new ImpostorPeer(pair.bobMedia)) {
            impostor.addListener(new SignalingClient.Listener() {
                @Override
                public void onMessage(Message message) {
                    toImpostor.add(message);
                }
            });
            CallSession call = alice.dial("bob");
            Offer offer = (Offer) Await.value(
                    () -> toImpostor.stream()
                            .filter(m -> m instanceof Offer)
                            .findFirst()
                            .orElse(null),
                    m -> true,
                    CallPair.WAIT,
                    () -> "the impostor never saw alice's early offer");
            String answer = answerer.answer(offer.sdp());
            impostor.send(new Answer(call.callId(), null, "alice", answer));
            impostor.send(new Candidate(
                    call.callId(),
                    null,
                    "alice",
                    "0",
                    0,
                    "candidate:1 1 udp 2122260223 198.18.0.2 " + trap.getLocalPort() + " typ host generation 0",
                    false));
            trap.setSoTimeout(3000);
            DatagramPacket packet = new DatagramPacket(new byte[1500], 1500);
            assertThrows(
                    SocketTimeoutException.class,
                    () -> trap.receive(packet),
                    "alice sent connectivity checks to a device that never accepted");
            assertEquals(CallState.DIALING, call.state());

            CallSession real = bobsIncoming.poll(10, TimeUnit.SECONDS);
            assertNotNull(real, "the real bob never rang");
            real.accept();
            CallPair.reaches(call, CallState.CONNECTED).get(15, TimeUnit.SECONDS);
            waitFor(() -> call.remoteVideo().framesReceived() > 0, "no video from the real bob");
            call.hangup();
            assertTrue(real.awaitEnd(10_000));
        }
    }
}
