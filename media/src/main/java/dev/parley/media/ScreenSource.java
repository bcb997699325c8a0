package dev.parley.media;

/**
 * A screen or a window as video. webrtc-java 0.14.0's own desktop capture crashes the JVM on X11
 * (shared/WEBRTC-NOTES.md), so {@link RobotScreenSource} captures through AWT instead; a native capturer can take
 * its place behind this interface once a fixed release is out.
 */
public interface ScreenSource extends VideoSource {
    /**
     * Hears, once, that the desktop refused the capture or stopped it (on Wayland the desktop's own dialog asks the
     * user, whose "Cancel" — or "Stop sharing" later — ends it); called on the capture thread with the desktop's
     * reason. The source sends no more frames after it; closing it is still up to its owner.
     */
    default void onRefused(java.util.function.Consumer<String> listener) {}
}
