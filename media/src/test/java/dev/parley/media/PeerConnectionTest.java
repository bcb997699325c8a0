package dev.parley.media;

import dev.parley.testsupport.SystemTest;
import dev.onvoid.webrtc.media.video.VideoTrack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real WebRTC connection between two peer connections, inside the test JVM's own network namespace. */
@SystemTest
@Timeout(60)
class PeerConnectionTest {

    @Test
    void syntheticVideoArrivesInOrderWithItsStampReadable() throws Exception {
        try (MediaEngine engine = MediaEngine.headless();
             SyntheticVideoSource camera = new SyntheticVideoSource(640, 480, 30)) {
            PeerPair pair = new PeerPair(engine);
            RemoteVideoSink sink = new RemoteVideoSink();
            VideoTrack track = engine.factory().createVideoTrack("camera", camera.videoSource());
            pair.caller.pc.addTrack(track, List.of("parley-stream"));
            camera.start();

            pair.negotiate().get(10, TimeUnit.SECONDS);
            pair.caller.connected.get(10, TimeUnit.SECONDS);
            pair.callee.connected.get(10, TimeUnit.SECONDS);
            VideoTrack remote = pair.callee.firstRemoteVideo.get(10, TimeUnit.SECONDS);
            assertEquals("camera", remote.getId());
            remote.addSink(sink);

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (sink.framesReceived() < 30 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            FrameStamp first = sink.lastStamp();
            assertNotNull(first, "no stamped frame arrived (" + sink.framesReceived() + " frames)");
            Thread.sleep(1000);
            FrameStamp later = sink.lastStamp();
            assertTrue(later.counter() > first.counter(), first + " then " + later);
            assertTrue(later.counter() <= camera.framesSent(), "a counter from the future: " + later);
            long age = sink.lastStampAgeMicros();
            assertTrue(age >= 0 && age < 2_000_000, "capture-to-receipt " + age + " µs");
            int[] size = sink.size();
            assertTrue(size[0] > 0 && size[1] > 0);
            // What a display gets: opaque BGRA pixels of the newest frame, the ramp making them differ.
            java.nio.ByteBuffer pixels = java.nio.ByteBuffer.allocate(size[0] * size[1] * 4);
            RemoteVideoSink.Snapshot shot = sink.copyNewest(pixels);
            assertNotNull(shot);
            assertEquals(size[0], shot.width());
            java.util.Set<Integer> blues = new java.util.HashSet<>();
            for (int i = 0; i < size[0] * size[1]; i += 97) {
                assertEquals((byte) 0xFF, pixels.get(4 * i + 3), "alpha of pixel " + i);
                blues.add(pixels.get(4 * i) & 0xff);
            }
            assertTrue(blues.size() > 10, "a flat picture: " + blues);
            assertEquals(null, sink.copyNewest(java.nio.ByteBuffer.allocate(16)), "no room, no copy");

            // Close order that webrtc-java 0.14 survives (shared/WEBRTC-NOTES.md): stop the source, remove
            // sinks, close both connections; the source and factory are disposed by try-with-resources.
            camera.close();
            remote.removeSink(sink);
            pair.close();
        }
    }
}
