package dev.parley.ui;

import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ContentDisplay;
import javafx.scene.control.Label;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.awt.GraphicsDevice;
import java.awt.GraphicsEnvironment;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.Robot;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Choose what to share: each screen with a live thumbnail (captured once a second through AWT, off the FX
 * thread). Single windows are not offered: AWT cannot capture one window on its own, and webrtc-java 0.14.0's
 * window capturer crashes on X11 (shared/WEBRTC-NOTES.md).
 */
final class ScreenPicker extends VBox implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ScreenPicker.class);
    static final int THUMB_WIDTH = 240;

    private final ScheduledExecutorService capture = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "parley-screen-thumbnails");
        t.setDaemon(true);
        return t;
    });
    private final FlowPane tiles = new FlowPane(12, 12);
    private final List<ImageView> thumbnails = new ArrayList<>();
    private Robot robot; // the capture thread only

    ScreenPicker(Messages text, Executor fx, Consumer<Rectangle> chosen, Runnable cancel) {
        super(12);
        setId("screen-picker");
        setPadding(new Insets(20));
        Label title = new Label(text.get("share.title"));
        title.getStyleClass().add("title-3");
        Label note = new Label(text.get("share.noWindows"));
        note.getStyleClass().addAll("text-muted", "text-small");
        note.setWrapText(true);
        note.setMaxWidth(520);
        Button close = new Button(text.get("common.cancel"));
        close.setCancelButton(true);
        close.setOnAction(e -> cancel.run());
        HBox buttons = new HBox(close);
        buttons.setAlignment(Pos.CENTER_RIGHT);
        tiles.setPrefWrapLength(520);
        getChildren().addAll(title, tiles, note, buttons);

        capture.execute(() -> {
            List<Rectangle> screens = screens();
            fx.execute(() -> {
                for (int i = 0; i < screens.size(); i++) {
                    Rectangle r = screens.get(i);
                    ImageView thumb = new ImageView();
                    thumb.setFitWidth(THUMB_WIDTH);
                    thumb.setPreserveRatio(true);
                    thumbnails.add(thumb);
                    String caption = text.get("share.screen", i + 1, r.width, r.height);
                    Button tile = new Button(caption, thumb);
                    tile.setId("share-screen-" + (i + 1));
                    tile.setContentDisplay(ContentDisplay.TOP);
                    tile.setAccessibleText(caption);
                    tile.setOnAction(e -> chosen.accept(r));
                    if (i == 0) {
                        tile.getStyleClass().add("focus-first");
                        tile.requestFocus();
                    }
                    tiles.getChildren().add(tile);
                }
                if (screens.isEmpty()) {
                    tiles.getChildren().add(new Label(text.get("share.none")));
                }
            });
            capture.scheduleWithFixedDelay(() -> refresh(screens, fx), 0, 1, TimeUnit.SECONDS);
        });
    }

    private static List<Rectangle> screens() {
        List<Rectangle> list = new ArrayList<>();
        try {
            for (GraphicsDevice d : GraphicsEnvironment.getLocalGraphicsEnvironment().getScreenDevices()) {
                list.add(d.getDefaultConfiguration().getBounds());
            }
        } catch (java.awt.HeadlessException e) {
            log.info("No screens to share: {}", e.toString());
        }
        return list;
    }

    private void refresh(List<Rectangle> screens, Executor fx) {
        try {
            if (robot == null) {
                robot = new Robot(); // once: the capture thread's, for every refresh
            }
            for (int i = 0; i < screens.size(); i++) {
                Rectangle r = screens.get(i);
                int w = THUMB_WIDTH;
                int h = Math.max(1, r.height * w / Math.max(1, r.width));
                BufferedImage small = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
                var g = small.createGraphics();
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                g.drawImage(robot.createScreenCapture(r), 0, 0, w, h, null);
                g.dispose();
                int[] argb = small.getRGB(0, 0, w, h, null, 0, w);
                int index = i;
                fx.execute(() -> {
                    WritableImage image = new WritableImage(w, h);
                    image.getPixelWriter().setPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), argb, 0, w);
                    if (index < thumbnails.size()) {
                        thumbnails.get(index).setImage(image);
                    }
                });
            }
        } catch (Exception e) {
            log.info("No screen thumbnails: {}", e.toString());
        }
    }

    @Override
    public void close() {
        capture.shutdownNow();
    }
}
