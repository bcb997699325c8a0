package dev.parley.media;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.onvoid.webrtc.media.video.I420Buffer;
import dev.onvoid.webrtc.media.video.VideoFrame;
import dev.onvoid.webrtc.media.video.VideoTrack;
import dev.onvoid.webrtc.media.video.VideoTrackSink;
import dev.parley.testsupport.SystemTest;
import java.awt.Color;
import java.awt.Frame;
import java.awt.GraphicsEnvironment;
import java.awt.Rectangle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Screen capture through AWT, under the virtual display the test wrapper starts (scripts/netns/bin/java): a window
 * of a known colour is captured, converted and pushed as video, and a sink on the track sees that colour's luma,
 * and then the next colour's.
 */
@SystemTest
@Timeout(60)
class ScreenSourceTest {

    @Test
    void aCapturedWindowArrivesAsVideoWithItsColours() throws Exception {
        assertFalse(GraphicsEnvironment.isHeadless(), "no display: test.sh installs Xvfb and the wrapper starts it");
        Frame window = new Frame("parley screen test");
        window.setUndecorated(true);
        window.setBounds(0, 0, 320, 240);
        window.setBackground(Color.GREEN);
        window.setVisible(true);
        CenterLuma sink = new CenterLuma();
        try (MediaEngine engine = MediaEngine.headless();
                RobotScreenSource screen = new RobotScreenSource(new Rectangle(0, 0, 320, 240), 10)) {
            VideoTrack track = engine.factory().createVideoTrack("screen", screen.videoSource());
            track.addSink(sink);
            screen.start();
            // BT.601 studio range: green (0,255,0) has Y ≈ 145, red (255,0,0) Y ≈ 82.
            awaitLuma(sink, 135, 155, "green");
            window.setBackground(Color.RED);
            window.repaint();
            awaitLuma(sink, 72, 92, "red");
            assertTrue(screen.framesCaptured() >= 2);
            track.removeSink(sink);
            track.dispose();
        } finally {
            window.dispose();
        }
    }

    private static void awaitLuma(CenterLuma sink, int low, int high, String colour) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            int y = sink.luma;
            if (y >= low && y <= high) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(colour + " never arrived: the centre's luma is " + sink.luma);
    }

    /** The luma of the newest frame's centre pixel. */
    private static final class CenterLuma implements VideoTrackSink {
        volatile int luma = -1;

        @Override
        public void onVideoFrame(VideoFrame frame) {
            try {
                if (frame.buffer instanceof I420Buffer i420) {
                    luma = i420.getDataY().get(i420.getHeight() / 2 * i420.getStrideY() + i420.getWidth() / 2) & 0xff;
                }
            } finally {
                frame.release();
            }
        }
    }
}
