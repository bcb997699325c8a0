package dev.parley.testsupport;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.image.WritableImage;
import org.testfx.service.query.EmptyNodeQueryException;
import org.testfx.util.WaitForAsyncUtils;

/**
 * What the UI tests share: waiting for a condition read on the FX thread (scene state is read there only), and
 * comparing pictures. A node the condition looks up that is not in the scene yet ({@code lookup(..).query()}
 * finding nothing) counts as "not yet"; any other exception fails the test at once: a condition that breaks is
 * a bug to see, not a "false".
 */
public final class UiWait {
    private UiWait() {}

    /** Waits up to 15 s for a condition evaluated on the FX thread. */
    public static void until(Callable<Boolean> condition) throws Exception {
        until(condition, 15);
    }

    public static void until(Callable<Boolean> condition, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!onFx(() -> holds(condition))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the UI did not reach the expected state within " + seconds + " s");
            }
            Thread.sleep(50);
        }
    }

    private static boolean holds(Callable<Boolean> condition) throws Exception {
        try {
            return condition.call();
        } catch (EmptyNodeQueryException notThereYet) {
            return false;
        }
    }

    /** Runs {@code work} on the FX thread and returns its result; its exception is rethrown as it was. */
    public static <T> T onFx(Callable<T> work) throws Exception {
        try {
            return WaitForAsyncUtils.asyncFx(work).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        } catch (TimeoutException e) {
            throw new AssertionError("the FX thread did not answer within 10 s (blocked?)", e);
        }
    }

    /** A node's picture as shown now. */
    public static WritableImage snapshot(Node node) throws Exception {
        return onFx(() -> node.snapshot(null, null));
    }

    public static WritableImage snapshot(Scene scene) throws Exception {
        return onFx(() -> scene.snapshot(null));
    }

    /**
     * Waits until the node's picture differs from {@code before} in more than {@code pixels} of a 4×4 grid; returns
     * the new picture. Moving video shows as changing pixels.
     */
    public static WritableImage changes(Node node, WritableImage before, int pixels, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            WritableImage now = snapshot(node);
            int changed = changedPixels(before, now);
            if (changed > pixels) {
                return now;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the picture did not change (" + changed + " of the sampled pixels differ, "
                        + pixels + " needed) within " + timeout.toMillis() + " ms");
            }
            Thread.sleep(50);
        }
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
