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
import javafx.util.Subscription;

/** Shows the screen picker card: a tile with a live thumbnail for each screen its view model offers. */
final class ScreenPicker extends VBox {
    private final ScreenPickerViewModel model;
    private final Messages text;
    private final Runnable close;
    private final FlowPane tiles = new FlowPane(12, 12);
    private Subscription subscriptions;

    /** @param close closes the card (Cancel, or once a screen is chosen) */
    ScreenPicker(ScreenPickerViewModel model, Messages text, Runnable close) {
        super(12);
        this.model = model;
        this.text = text;
        this.close = close;
        setId("screen-picker");
        setPadding(new Insets(20));
        Label title = new Label(text.get("share.title"));
        title.getStyleClass().add("title-3");
        Label note = new Label(text.get(model.noteKey()));
        note.getStyleClass().addAll("text-muted", "text-small");
        note.setWrapText(true);
        note.setMaxWidth(520);
        Button cancel = new Button(text.get("common.cancel"));
        cancel.setCancelButton(true);
        cancel.setOnAction(e -> close.run());
        HBox buttons = new HBox(cancel);
        buttons.setAlignment(Pos.CENTER_RIGHT);
        tiles.setPrefWrapLength(520);
        getChildren().addAll(title, tiles, note, buttons);
        subscriptions = model.listed().subscribe(listed -> {
            if (listed) {
                showTiles();
            }
        });
    }

    private void showTiles() {
        tiles.getChildren().clear();
        for (int i = 0; i < model.screens().size(); i++) {
            ScreenPickerViewModel.Screen screen = model.screens().get(i);
            ImageView thumb = new ImageView();
            thumb.setFitWidth(ScreenPickerViewModel.THUMB_WIDTH);
            thumb.setPreserveRatio(true);
            subscriptions = subscriptions.and(screen.thumbnail().subscribe(picture -> thumb.setImage(image(picture))));
            Button tile = new Button(screen.caption(), thumb);
            tile.setId("share-screen-" + (i + 1));
            tile.setContentDisplay(ContentDisplay.TOP);
            tile.setAccessibleText(screen.caption());
            tile.setOnAction(e -> {
                close.run();
                model.share(screen);
            });
            if (i == 0) {
                tile.getStyleClass().add("focus-first");
                tile.requestFocus();
            }
            tiles.getChildren().add(tile);
        }
        if (model.screens().isEmpty()) {
            tiles.getChildren().add(new Label(text.get("share.none")));
        }
    }

    private static WritableImage image(ScreenSources.Thumbnail picture) {
        if (picture == null) {
            return null;
        }
        int w = picture.width();
        int h = picture.height();
        WritableImage image = new WritableImage(w, h);
        image.getPixelWriter().setPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), picture.argb(), 0, w);
        return image;
    }

    /** Stops following the model. FX thread; idempotent. */
    void dispose() {
        subscriptions.unsubscribe();
    }
}
