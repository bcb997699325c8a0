package dev.parley.media;

import dev.onvoid.webrtc.media.video.VideoCaptureCapability;
import dev.parley.testsupport.SystemTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /** CI has no sound server: listing microphones hangs in webrtc-java, so the probe must give up in time. */
    @Test
    @SystemTest // loads the native library, which needs PulseAudio's and X11's client libraries (test.sh installs them)
    @Timeout(30)
    void withoutASoundSystemTheEngineFallsBackToHeadlessInTime() {
        long start = System.nanoTime();
        try (MediaEngine engine = MediaEngine.create(Duration.ofSeconds(1))) {
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(ms < 5_000, "probing took " + ms + " ms");
            if (!engine.devices().hasAudio()) {
                assertTrue(engine.isHeadless(), "no audio devices, yet not headless");
            }
            assertTrue(engine.factory() != null);
        }
    }
}
