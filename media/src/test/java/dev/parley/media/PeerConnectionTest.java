package dev.parley.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.onvoid.webrtc.media.video.I420Buffer;
import dev.onvoid.webrtc.media.video.VideoFrame;
import dev.onvoid.webrtc.media.video.VideoTrack;
import dev.onvoid.webrtc.media.video.VideoTrackSink;
import dev.parley.testsupport.Await;
import dev.parley.testsupport.SystemTest;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A real WebRTC connection between two peer connections, inside the test JVM's own network namespace. */
@SystemTest
@Timeout(60)
class PeerConnectionTest {

    /**
     * Reads the stamp of every frame before handing it on to the real sink (which releases it), so the test sees
     * each frame's counter, not only the newest. On the native thread: records, never throws.
     */
    private static final class StampRecorder implements VideoTrackSink {
        private final RemoteVideoSink next;
        private final List<Long> counters = new ArrayList<>(); // guarded by this
        private final List<String> problems = new ArrayList<>(); // guarded by this
        private int unreadable; // guarded by this: a frame scaled down too far to read its stamp

        StampRecorder(RemoteVideoSink next) {
            this.next = next;
        }

        @Override
        public void onVideoFrame(VideoFrame frame) {
            try {
                if (frame.buffer instanceof I420Buffer i420) {
                    FrameStamp stamp =
                            FrameStamp.read(i420.getDataY(), i420.getStrideY(), i420.getWidth(), i420.getHeight());
                    synchronized (this) {
                        if (stamp == null) {
                            unreadable++;
                        } else {
                            counters.add(stamp.counter());
                        }
                    }
                } else {
                    synchronized (this) {
                        problems.add("a " + frame.buffer.getClass().getName() + " frame");
                    }
                }
            } catch (Throwable e) {
                synchronized (this) {
                    problems.add(e.toString());
                }
            } finally {
                next.onVideoFrame(frame);
            }
        }

        synchronized List<Long> counters() {
            return List.copyOf(counters);
        }

        synchronized List<String> problems() {
            return List.copyOf(problems);
        }

        synchronized int unreadable() {
            return unreadable;
        }
    }

    @Test
    void syntheticVideoArrivesInOrderWithItsStampReadable() throws Exception {
        try (MediaEngine engine = MediaEngine.headless();
                SyntheticVideoSource camera = new SyntheticVideoSource(640, 480, 30)) {
            PeerPair pair = new PeerPair(engine);
            RemoteVideoSink sink = new RemoteVideoSink();
            StampRecorder stamps = new StampRecorder(sink);
            VideoTrack track = engine.factory().createVideoTrack("camera", camera.videoSource());
            pair.caller.pc.addTrack(track, List.of("parley-stream"));
            camera.start();

            pair.negotiate().get(10, TimeUnit.SECONDS);
            pair.caller.connected.get(10, TimeUnit.SECONDS);
            pair.callee.connected.get(10, TimeUnit.SECONDS);
            VideoTrack remote = pair.callee.firstRemoteVideo.get(10, TimeUnit.SECONDS);
            assertEquals("camera", remote.getId());
            remote.addSink(stamps);

            // 60 stamped frames (two seconds at 30 fps) must arrive, each after the one before it.
            Await.until(
                    () -> stamps.counters().size() >= 60,
                    Duration.ofSeconds(20),
                    () -> "stamped frames so far: " + stamps.counters().size() + " of " + sink.framesReceived()
                            + " received (" + stamps.unreadable() + " unreadable); problems: " + stamps.problems());
            List<Long> counters = stamps.counters();
            assertEquals(List.of(), stamps.problems(), "frames that were not I420 or failed to read");
            for (int i = 1; i < counters.size(); i++) {
                long before = counters.get(i - 1);
                long after = counters.get(i);
                assertTrue(
                        after > before, "frame " + i + " has counter " + after + " after " + before + ": " + counters);
            }
            assertTrue(sink.framesReceived() >= counters.size(), "the real sink saw " + sink.framesReceived());
            long newest = counters.get(counters.size() - 1);
            assertTrue(newest <= camera.framesSent(), "a counter from the future: " + newest);
            assertTrue(sink.lastStamp().counter() >= newest, "the sink's newest stamp " + sink.lastStamp());
            long age = sink.lastStampAgeMicros();
            assertTrue(age >= 0 && age < 2_000_000, "capture-to-receipt " + age + " µs");
            int[] size = sink.size();
            assertTrue(size[0] > 0 && size[1] > 0);
            // What a display gets: opaque BGRA pixels of the newest frame, the ramp making them differ.
            ByteBuffer pixels = ByteBuffer.allocate(size[0] * size[1] * 4);
            RemoteVideoSink.Snapshot shot = sink.copyNewest(pixels);
            assertTrue(shot != null, "no newest frame to copy");
            assertEquals(size[0], shot.width());
            assertEquals(size[1], shot.height());
            assertTrue(shot.number() > 0 && shot.number() <= sink.framesReceived(), shot::toString);
            Set<Integer> blues = new HashSet<>();
            for (int i = 0; i < size[0] * size[1]; i += 97) {
                assertEquals((byte) 0xFF, pixels.get(4 * i + 3), "alpha of pixel " + i);
                blues.add(pixels.get(4 * i) & 0xff);
            }
            assertTrue(blues.size() > 10, "a flat picture: " + blues);
            assertNull(sink.copyNewest(ByteBuffer.allocate(16)), "no room, no copy");

            // Close order that webrtc-java 0.14 survives (shared/WEBRTC-NOTES.md): stop the source, remove
            // sinks, close both connections; the source and factory are disposed by try-with-resources.
            camera.close();
            remote.removeSink(stamps);
            pair.close();
        }
    }
}
