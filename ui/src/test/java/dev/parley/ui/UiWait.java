package dev.parley.ui;

import javafx.scene.Node;
import javafx.scene.image.WritableImage;
import org.testfx.util.WaitForAsyncUtils;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** What the UI tests share: waiting for a condition read on the FX thread, and comparing pictures. */
public final class UiWait {
    private UiWait() {
    }

    /** Waits up to 15 s for a condition, evaluated on the FX thread (scene state is read there only). */
    public static void until(Callable<Boolean> condition) throws Exception {
        until(condition, 15);
    }

    public static void until(Callable<Boolean> condition, int seconds) throws Exception {
        WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, () -> {
            try {
                return WaitForAsyncUtils.asyncFx(condition).get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                return false;
            }
        });
    }

    /** A node's picture as shown now. */
    public static WritableImage snapshot(Node node) throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> node.snapshot(null, null)).get(5, TimeUnit.SECONDS);
    }

    /** How many pixels of a 4×4 grid differ between two pictures (over their common area). */
    public static int changedPixels(WritableImage a, WritableImage b) {
        int w = (int) Math.min(a.getWidth(), b.getWidth());
        int h = (int) Math.min(a.getHeight(), b.getHeight());
        int changed = 0;
        for (int y = 0; y < h; y += 4) {
            for (int x = 0; x < w; x += 4) {
                if (a.getPixelReader().getArgb(x, y) != b.getPixelReader().getArgb(x, y)) {
                    changed++;
                }
            }
        }
        return changed;
    }
}
