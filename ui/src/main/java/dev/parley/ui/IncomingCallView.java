package dev.parley.ui;

import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The incoming-call card, shown by the {@link Navigation} while its {@link IncomingCallViewModel} rings: who is
 * calling, accept with video, audio only, decline (also Escape).
 */
final class IncomingCallView extends VBox {

    IncomingCallView(IncomingCallViewModel model, Messages text) {
        super(16);
        Label who = new Label();
        who.getStyleClass().add("title-3");
        who.setId("incoming-title");
        who.textProperty().bind(model.title());
        Button video = new Button(text.get("incoming.acceptVideo"), new FontIcon(Icons.VIDEO_CALL));
        video.setId("accept-video");
        video.getStyleClass().addAll("success", "focus-first");
        video.setOnAction(e -> model.acceptWithVideo());
        Button audio = new Button(text.get("incoming.acceptAudio"), new FontIcon(Icons.CALL));
        audio.setId("accept-audio");
        audio.getStyleClass().add("success");
        audio.setOnAction(e -> model.acceptAudioOnly());
        Button decline = new Button(text.get("incoming.decline"), new FontIcon(Icons.HANG_UP));
        decline.setId("decline");
        decline.getStyleClass().add("danger");
        decline.setOnAction(e -> model.decline());
        HBox buttons = new HBox(10, video, audio, decline);
        buttons.setAlignment(Pos.CENTER);
        getChildren().addAll(who, buttons);
        setAlignment(Pos.CENTER);
        setPadding(new Insets(24));
        setId("incoming-call");
    }
}
