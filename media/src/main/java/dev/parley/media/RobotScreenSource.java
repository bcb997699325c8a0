package dev.parley.media;

import dev.onvoid.webrtc.media.FourCC;
import dev.onvoid.webrtc.media.video.CustomVideoSource;
import dev.onvoid.webrtc.media.video.VideoBufferConverter;
import java.awt.AWTException;
import java.awt.GraphicsEnvironment;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Captures a region of the screen (the whole screen, or a window's bounds) with AWT's {@link Robot} a few times a
 * second, converts it to I420 with webrtc-java's native converter and pushes it through a
 * {@link CustomVideoSource}. Measured on this kind of machine: ~14 ms to capture 1280x720, ~0.7 ms to convert.
 */
public final class RobotScreenSource implements ScreenSource {
    private static final Logger log = LoggerFactory.getLogger(RobotScreenSource.class);

    private final CustomVideoSource source = new CustomVideoSource();
    private final Robot robot;
    private final Rectangle region;
    private final int fps;
    private final Ticker ticker = new Ticker("parley-screen-capture");
    private ByteBuffer argb; // the ticker's thread only
    private long frames;
    private java.util.function.Consumer<String> refusedListener; // guarded by this
    private volatile String refusal; // the desktop's reason once it refused; set under this with the listener
    /** Guards the native source: a frame is pushed only while it is open, and it is disposed under it. */
    private final Object pushing = new Object();

    private boolean closed; // guarded by pushing

    /**
     * @param region what to capture, in screen coordinates (its width and height are rounded down to even)
     * @param fps    captures per second, 1 to 30
     * @throws AWTException if there is no screen to capture (no display, or a headless JVM)
     */
    public RobotScreenSource(Rectangle region, int fps) throws AWTException {
        if (fps < 1 || fps > 30 || region.width < 16 || region.height < 16) {
            throw new IllegalArgumentException("need at least 16x16 pixels and 1 to 30 fps");
        }
        NativeLibrary.load();
        this.robot = new Robot();
        this.region = new Rectangle(region.x, region.y, region.width & ~1, region.height & ~1);
        this.fps = fps;
    }

    /** The whole default screen. */
    public static RobotScreenSource wholeScreen(int fps) throws AWTException {
        GraphicsEnvironment env = GraphicsEnvironment.getLocalGraphicsEnvironment();
        if (GraphicsEnvironment.isHeadless()) {
            throw new AWTException("no display to capture");
        }
        return new RobotScreenSource(
                env.getDefaultScreenDevice().getDefaultConfiguration().getBounds(), fps);
    }

    @Override
    public CustomVideoSource videoSource() {
        return source;
    }

    /** Frames pushed so far. */
    public synchronized long framesCaptured() {
        return frames;
    }

    @Override
    public void start() {
        ticker.start(1_000_000L / fps, this::capture);
    }

    @Override
    public void onRefused(java.util.function.Consumer<String> listener) {
        String already;
        synchronized (this) {
            refusedListener = listener;
            already = refusal;
        }
        if (already != null) {
            listener.accept(already); // the desktop said no before anyone listened
        }
    }

    private void capture() {
        if (refusal != null) {
            return; // refused: asking again every tick would only ask again
        }
        try {
            BufferedImage image = robot.createScreenCapture(region);
            int w = region.width;
            int h = region.height;
            int[] pixels = pixelsOf(image, w, h);
            if (argb == null) {
                argb = ByteBuffer.allocateDirect(w * h * 4).order(ByteOrder.LITTLE_ENDIAN);
            }
            argb.clear();
            argb.asIntBuffer().put(pixels); // 0xAARRGGBB little-endian: B,G,R,A in memory, libyuv's "ARGB"
            synchronized (pushing) {
                if (closed) {
                    return; // closed while the capture waited (on Wayland, for the desktop's dialog)
                }
                Frames.push(source, w, h, i420 -> VideoBufferConverter.convertToI420(argb, i420, FourCC.ARGB));
            }
            synchronized (this) {
                frames++;
            }
        } catch (SecurityException e) {
            // The desktop said no: on Wayland, AWT captures through the desktop's screen-cast portal, whose dialog
            // the user cancelled (or whose sharing they stopped).
            log.info("The desktop refused the screen capture: {}", e.getMessage());
            java.util.function.Consumer<String> l;
            String why = e.getMessage() == null ? "refused" : e.getMessage();
            synchronized (this) {
                refusal = why;
                l = refusedListener;
            }
            if (l != null) {
                l.accept(why);
            }
        } catch (Exception e) {
            log.warn("Screen capture failed: {}", e.toString());
        }
    }

    private static int[] pixelsOf(BufferedImage image, int w, int h) {
        if (image.getType() == BufferedImage.TYPE_INT_RGB || image.getType() == BufferedImage.TYPE_INT_ARGB) {
            return ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        }
        return image.getRGB(0, 0, w, h, null, 0, w);
    }

    @Override
    public void close() {
        // Not waited for: on Wayland a tick may wait in the capture for as long as the desktop's dialog is open,
        // and the call's thread must not. The tick finds the source closed when it comes back.
        ticker.stopWithoutWaiting();
        synchronized (pushing) {
            if (closed) {
                return;
            }
            closed = true;
            source.dispose(); // no frame is being pushed (the lock), and none will be (closed)
        }
    }
}
