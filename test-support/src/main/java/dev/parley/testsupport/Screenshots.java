package dev.parley.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Scene;
import javax.imageio.ImageIO;

/** Saves a scene as a PNG under {@code target/screenshots}: the test artifacts to look at. */
public final class Screenshots {
    private static final Path DIR = Path.of("target", "screenshots");

    private Screenshots() {}

    public static Path save(Scene scene, String name) throws Exception {
        Path file = DIR.resolve(name + ".png");
        Files.createDirectories(DIR);
        ImageIO.write(SwingFXUtils.fromFXImage(UiWait.snapshot(scene), null), "png", file.toFile());
        return file;
    }
}
