package dev.parley.app;

import java.awt.Color;
import java.awt.Frame;
import java.awt.GraphicsEnvironment;
import java.awt.Rectangle;

/** A window of one colour over the whole screen, for a test to find in a shared screen: {@code ColourWindow RRGGBB}. */
public final class ColourWindow {
    private ColourWindow() {}

    public static void main(String[] args) throws Exception {
        Rectangle screen = GraphicsEnvironment.getLocalGraphicsEnvironment()
                .getDefaultScreenDevice()
                .getDefaultConfiguration()
                .getBounds();
        Frame frame = new Frame("colour");
        frame.setUndecorated(true);
        frame.setBackground(new Color(Integer.parseInt(args[0], 16)));
        frame.setBounds(screen);
        frame.setVisible(true);
        System.out.println("showing " + args[0] + " over " + screen.width + "x" + screen.height);
        Thread.sleep(Long.MAX_VALUE);
    }
}
