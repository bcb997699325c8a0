package dev.parley.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.parley.media.RemoteAudioSink;
import dev.parley.signaling.server.ServerConfig;
import dev.parley.signaling.server.SignalingServer;
import dev.parley.testsupport.ChildProcess;
import dev.parley.testsupport.SystemTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A call through a real sound system: each side its own PulseAudio server ({@link SoundServer}: a virtual
 * microphone speaking a tone, a virtual speaker), so webrtc-java's real audio module records, plays and keeps time
 * instead of the headless one. What each side's speaker played is recorded from the sound server itself and must
 * be the other side's voice; the playout runs at the sound server's clock (100 chunks of 10 ms a second) and the
 * audio jitter buffer stays short.
 */
@SystemTest
@Timeout(120)
class RealAudioPathTest {
    private static final Duration START = Duration.ofSeconds(30);
    private static final int ALICE_HZ = 440;
    private static final int BOB_HZ = 660;

    @TempDir
    Path dir;

    @RegisterExtension
    final ParleyChildren children = new ParleyChildren();

    @Test
    void eachSpeakerPlaysTheOtherSidesMicrophoneAtTheSoundServersClock() throws Exception {
        try (SignalingServer server = SignalingServer.start(
                        ServerConfig.builder().bind("127.0.0.1").port(0).build());
                SoundServer aliceSound = SoundServer.start(dir.resolve("alice-sound"), ALICE_HZ);
                SoundServer bobSound = SoundServer.start(dir.resolve("bob-sound"), BOB_HZ)) {
            String url = server.uri().toString();
            ChildProcess answer = start(
                    "answer",
                    bobSound.environment(),
                    "answer",
                    "--server",
                    url,
                    "--user",
                    "bob",
                    "--fake-video",
                    "--max-calls",
                    "1",
                    "--json");
            answer.awaitErrorLine(l -> l.contains("answering calls for bob"), START, "'answering calls for bob'");
            ChildProcess call = start(
                    "call",
                    aliceSound.environment(),
                    "call",
                    "bob",
                    "--server",
                    url,
                    "--user",
                    "alice",
                    "--fake-video",
                    "--duration",
                    "14",
                    "--json");
            call.awaitEvent(
                    e -> e.get("event").getAsString().equals("stats")
                            && e.has("audioLevel")
                            && e.get("audioLevel").getAsDouble() > 0,
                    START,
                    "alice hearing something");

            // What each Parley played, taken from its sound server's speaker: the other side's microphone.
            double[] aliceHears = pitchAndLevel(aliceSound.recordSpeaker(1.5));
            double[] bobHears = pitchAndLevel(bobSound.recordSpeaker(1.5));
            assertEquals(BOB_HZ, aliceHears[0], 15, "alice's speaker did not play bob's voice");
            assertEquals(ALICE_HZ, bobHears[0], 15, "bob's speaker did not play alice's voice");
            assertTrue(
                    aliceHears[1] > 0.02 && bobHears[1] > 0.02,
                    "played too softly: " + Arrays.toString(aliceHears) + " " + Arrays.toString(bobHears));

            call.assertExit(0, Duration.ofSeconds(60));
            answer.assertExit(0, Duration.ofSeconds(30));
            for (ChildProcess side : List.of(call, answer)) {
                String log = String.join("\n", side.errorLines());
                assertTrue(log.contains("Audio: 1 microphone(s), "), "not the real audio module: " + log);
                assertFalse(log.contains("no sound system"), log);
            }
            assertSteadyPlayout(call, BOB_HZ);
            assertSteadyPlayout(answer, ALICE_HZ);
        }
    }

    private ChildProcess start(String name, Map<String, String> env, String... args) {
        return children.start(dir, name, env, args);
    }

    /**
     * The second half of the call as one side's stats saw it: the peer's pitch, about 100 audio chunks a second
     * played (a coarse check over a few seconds: it catches a stalled or bursty playout, not the headless module's
     * 0.4 % — the log line above tells the modules apart), and an audio jitter buffer that holds tens of
     * milliseconds in the median second, not hundreds (a microphone that delivers in bursts fills it).
     */
    private static void assertSteadyPlayout(ChildProcess side, int peerHz) {
        List<JsonObject> stats = side.events("stats").stream()
                .filter(e ->
                        e.has("audioChunks") && e.get("state").getAsString().equals("connected"))
                .toList();
        assertTrue(stats.size() >= 10, "too few stats lines: " + stats.size());
        List<JsonObject> late = stats.subList(stats.size() / 2, stats.size());
        JsonObject first = late.get(0);
        JsonObject last = late.get(late.size() - 1);
        double seconds = (last.get("ms").getAsLong() - first.get("ms").getAsLong()) / 1000.0;
        double chunksPerSecond =
                (last.get("audioChunks").getAsLong() - first.get("audioChunks").getAsLong()) / seconds;
        assertEquals(100, chunksPerSecond, 1.5, "audio played at " + chunksPerSecond + " chunks a second");
        // The pitch of the median second of that half: one second's zero crossings can catch a glitch (CI saw 507
        // and 681 Hz for 440 and 660 on single lines while the seconds around them were right).
        double[] pitches = late.stream()
                .mapToDouble(e -> e.get("audioHz").getAsDouble())
                .sorted()
                .toArray();
        assertEquals(peerHz, pitches[pitches.length / 2], 15, java.util.Arrays.toString(pitches) + " " + last);
        double[] waits = late.stream()
                .filter(e -> e.has("audioJitterBufferMs"))
                .mapToDouble(e -> e.get("audioJitterBufferMs").getAsDouble())
                .sorted()
                .toArray();
        assertTrue(waits.length > 0, "no audio jitter buffer figures: " + last);
        // The median second: one slow second may come (159.8 ms was seen once); a microphone that delivers in bursts
        // kept every second at 400-1,300 ms.
        double median = waits[waits.length / 2];
        assertTrue(
                median < 150,
                "audio waited " + median + " ms in the jitter buffer (median second); all: " + Arrays.toString(waits));
    }

    /** Pitch (zero crossings) and level of 48 kHz mono 16-bit PCM, through the same meter calls use. */
    private static double[] pitchAndLevel(byte[] pcm) {
        assertTrue(pcm.length >= 48_000, "recorded only " + pcm.length + " bytes");
        RemoteAudioSink meter = new RemoteAudioSink();
        double loudest = 0;
        for (int at = 0; at + 960 <= pcm.length; at += 960) {
            meter.onData(Arrays.copyOfRange(pcm, at, at + 960), 16, 48_000, 1, 480);
            loudest = Math.max(loudest, meter.level());
        }
        return new double[] {meter.frequencyHz(), loudest};
    }
}
