package dev.parley.ui;

import dev.parley.media.VideoSource;
import java.awt.Rectangle;
import java.util.List;

/**
 * Finds the screens that can be shared, takes small pictures of them, and opens a capture of one. Each method may
 * take a while: never on the FX thread.
 */
public interface ScreenSources {
    /** A small picture of a screen: {@code width × height} ARGB pixels, row by row. */
    record Thumbnail(int width, int height, int[] argb) {}

    /** The screens' bounds; empty where none can be captured. */
    List<Rectangle> screens();

    /** A picture of this screen scaled to {@code width}, keeping its aspect ratio. One thread at a time. */
    Thumbnail thumbnail(Rectangle screen, int width) throws Exception;

    /**
     * Whether the desktop itself asks the user what to share (Wayland: its screen-cast portal shows a dialog for
     * each capture it has not been allowed yet). Then no thumbnails are taken — each would ask — and the picker
     * says the desktop will ask.
     */
    default boolean desktopAsks() {
        return false;
    }

    /**
     * Whether this is a wlroots desktop (sway, Hyprland, …), whose screen-cast portal Parley was not tested with:
     * the picker says the shared screen may stay black there.
     */
    default boolean untestedDesktop() {
        return false;
    }

    /** A video source capturing this screen, not yet started; the caller owns it. */
    VideoSource capture(Rectangle screen) throws Exception;
}
