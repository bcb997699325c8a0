package dev.parley.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.onvoid.webrtc.media.video.VideoCaptureCapability;
import dev.parley.testsupport.ChildProcess;
import dev.parley.testsupport.SystemTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class DevicesTest {
    private static final List<VideoCaptureCapability> WEBCAM = List.of(
            new VideoCaptureCapability(320, 240, 30), new VideoCaptureCapability(640, 480, 30),
            new VideoCaptureCapability(640, 360, 30), new VideoCaptureCapability(1280, 720, 10),
            new VideoCaptureCapability(1280, 720, 30), new VideoCaptureCapability(1920, 1080, 5));

    @Test
    void theClosestCapabilityMatchesSizeThenAspectThenRate() {
        assertEquals(new VideoCaptureCapability(1280, 720, 30), Devices.closest(WEBCAM, 1280, 720, 30));
        assertEquals(new VideoCaptureCapability(1280, 720, 10), Devices.closest(WEBCAM, 1280, 720, 8));
        assertEquals(new VideoCaptureCapability(640, 360, 30), Devices.closest(WEBCAM, 640, 360, 30));
        assertEquals(new VideoCaptureCapability(640, 480, 30), Devices.closest(WEBCAM, 600, 450, 25));
        // 1024x640 has 1.4x fewer pixels than 720p and 2.1x more than 480p: 720p is nearer.
        assertEquals(new VideoCaptureCapability(1280, 720, 30), Devices.closest(WEBCAM, 1024, 640, 30));
        assertEquals(new VideoCaptureCapability(1920, 1080, 5), Devices.closest(WEBCAM, 3840, 2160, 30));
        assertNull(Devices.closest(List.of(), 640, 480, 30));
    }

    /**
     * Without a sound server listing microphones hangs in webrtc-java, so the probe must give up in time and the
     * engine must be headless. webrtc-java lists audio devices through PulseAudio only (its Linux device manager
     * is PulseAudioDeviceManager), and libpulse takes its server from {@code PULSE_SERVER} over its client.conf and
     * X11 root-window settings and does not autospawn a daemon when a server is named; so a JVM whose
     * {@code PULSE_SERVER} names a socket that does not exist has no reachable sound server on any machine. The
     * engine is made in such a JVM; the environment of the test JVM itself cannot be changed.
     */
    @Test
    @SystemTest // loads the native library, which needs PulseAudio's and X11's client libraries (test.sh installs them)
    @Timeout(60)
    void withoutASoundSystemTheEngineFallsBackToHeadlessInTime(@TempDir Path dir) {
        Path noSocket = dir.resolve("no-such-pulse-socket");
        try (ChildProcess child = ChildProcess.start(
                dir,
                "probe",
                ChildProcess.java(HeadlessProbe.class.getName()),
                Map.of("PULSE_SERVER", "unix:" + noSocket))) {
            String result =
                    child.awaitLine(l -> l.startsWith("headless="), Duration.ofSeconds(45), "the probe's result");
            child.assertExit(0, Duration.ofSeconds(10));
            Matcher m = Pattern.compile("headless=(true|false) hasAudio=(true|false) ms=(\\d+)")
                    .matcher(result);
            assertTrue(m.matches(), result);
            assertEquals("false", m.group(2), "audio devices without a sound server: " + result);
            assertEquals("true", m.group(1), "no sound server, yet not headless: " + result);
            long ms = Long.parseLong(m.group(3));
            assertTrue(ms < 5_000, "probing took " + ms + " ms (three probes of at most 1 s each)");
        }
    }

    /** Run by {@link #withoutASoundSystemTheEngineFallsBackToHeadlessInTime} in a JVM of its own. */
    static final class HeadlessProbe {
        public static void main(String[] args) {
            long start = System.nanoTime();
            try (MediaEngine engine = MediaEngine.create(Duration.ofSeconds(1))) {
                long ms = (System.nanoTime() - start) / 1_000_000;
                System.out.println("headless=" + engine.isHeadless() + " hasAudio="
                        + engine.devices().hasAudio() + " ms=" + ms);
                System.out.flush();
            }
            // A probe that timed out leaves a thread parked in native code; do not wait for it.
            System.exit(0);
        }
    }
}
