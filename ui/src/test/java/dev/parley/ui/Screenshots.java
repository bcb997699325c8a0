package dev.parley.ui;

import javafx.scene.Scene;
import javafx.scene.image.WritableImage;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;

/** Saves a scene as a PNG under {@code target/screenshots}: the test artifacts to look at. */
public final class Screenshots {
    static final Path DIR = Path.of("target", "screenshots");

    private Screenshots() {
    }

    public static Path save(Scene scene, String name) throws Exception {
        WritableImage image = WaitForAsyncUtils.asyncFx(() -> scene.snapshot(null)).get();
        return write(image, name);
    }

    public static Path write(WritableImage image, String name) throws Exception {
        return Snapshots.write(image, DIR.resolve(name + ".png"));
    }
}
