package dev.parley.media;

/**
 * A screen or a window as video. webrtc-java 0.14.0's own desktop capture crashes the JVM on X11
 * (shared/WEBRTC-NOTES.md), so {@link RobotScreenSource} captures through AWT instead; a native capturer can take
 * its place behind this interface once a fixed release is out.
 */
public interface ScreenSource extends VideoSource {}
