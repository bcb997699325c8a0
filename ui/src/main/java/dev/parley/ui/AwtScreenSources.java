package dev.parley.ui;

import dev.parley.media.RobotScreenSource;
import dev.parley.media.VideoSource;
import java.awt.GraphicsDevice;
import java.awt.GraphicsEnvironment;
import java.awt.HeadlessException;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.Robot;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The screens through AWT: the graphics environment lists them, a {@link Robot} takes their thumbnails, and a
 * {@link RobotScreenSource} captures the one shared (webrtc-java 0.14.0's own screen capturer crashes on X11).
 */
public final class AwtScreenSources implements ScreenSources {
    private static final Logger log = LoggerFactory.getLogger(AwtScreenSources.class);
    private final int fps;
    private Robot robot; // made once, by the thread taking thumbnails

    /** @param fps how often a shared screen is captured */
    public AwtScreenSources(int fps) {
        this.fps = fps;
    }

    @Override
    public List<Rectangle> screens() {
        List<Rectangle> list = new ArrayList<>();
        try {
            for (GraphicsDevice d :
                    GraphicsEnvironment.getLocalGraphicsEnvironment().getScreenDevices()) {
                list.add(d.getDefaultConfiguration().getBounds());
            }
        } catch (HeadlessException e) {
            log.info("No screens to share: {}", e.toString());
        }
        return list;
    }

    @Override
    public Thumbnail thumbnail(Rectangle screen, int width) throws Exception {
        if (robot == null) {
            robot = new Robot();
        }
        int height = Math.max(1, screen.height * width / Math.max(1, screen.width));
        BufferedImage small = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        var g = small.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(robot.createScreenCapture(screen), 0, 0, width, height, null);
        g.dispose();
        return new Thumbnail(width, height, small.getRGB(0, 0, width, height, null, 0, width));
    }

    @Override
    public boolean desktopAsks() {
        return onWayland(System.getenv());
    }

    /**
     * A Wayland session as the JDK tells it (by {@code XDG_SESSION_TYPE} alone): AWT's Robot then captures through
     * the desktop's portal, which asks the user.
     */
    static boolean onWayland(java.util.Map<String, String> env) {
        return "wayland".equalsIgnoreCase(env.get("XDG_SESSION_TYPE"));
    }

    @Override
    public boolean untestedDesktop() {
        return onWlroots(System.getenv());
    }

    /** A wlroots compositor, by the desktop names they set in {@code XDG_CURRENT_DESKTOP} (a colon list). */
    static boolean onWlroots(java.util.Map<String, String> env) {
        String desktops = env.getOrDefault("XDG_CURRENT_DESKTOP", "").toLowerCase(java.util.Locale.ROOT);
        for (String d : desktops.split(":")) {
            if (java.util.Set.of("sway", "hyprland", "river", "wayfire", "labwc", "wlroots")
                    .contains(d.trim())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public VideoSource capture(Rectangle screen) throws Exception {
        return new RobotScreenSource(screen, fps);
    }
}
