package dev.parley.ui;

import dev.parley.call.CallState;
import dev.parley.call.PeerMedia;
import java.util.Locale;
import java.util.concurrent.Executor;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.util.Subscription;

/**
 * Shows the peer's side of a call: their camera large — or their shared screen large, with the camera in a tile —
 * and, while there is no picture, their initial with the reason (calling, camera off).
 */
final class RemoteStage extends StackPane {
    final VideoView remoteVideo;
    final VideoView remoteScreen;
    private final CallViewModel model;
    private final CallTexts texts;
    private final StackPane cameraTile = new StackPane();
    private final Label placeholderText = new Label();
    private final VBox placeholder;
    private final Subscription subscriptions;
    private boolean disposed;

    RemoteStage(CallViewModel model, Messages text, CallTexts texts, Executor fx) {
        this.model = model;
        this.texts = texts;
        getStyleClass().add("call-stage");
        setMinSize(0, 0);

        remoteVideo = new VideoView(fx);
        remoteVideo.setId("remote-video");
        remoteVideo.setAccessibleText(text.get("call.remoteVideo", model.peer()));
        remoteVideo.attach(model.remoteVideo());
        remoteScreen = new VideoView(fx);
        remoteScreen.setId("remote-screen");
        remoteScreen.setAccessibleText(text.get("call.remoteScreen", model.peer()));

        Label initials = new Label(model.peer().substring(0, 1).toUpperCase(Locale.ROOT));
        initials.getStyleClass().add("call-initials");
        placeholderText.setId("remote-placeholder");
        placeholderText.getStyleClass().add("call-placeholder-text");
        placeholder = new VBox(14, initials, placeholderText);
        placeholder.setAlignment(Pos.CENTER);

        // The peer's camera as a tile while its screen is shown large.
        cameraTile.setMaxSize(240, 135);
        cameraTile.setPrefSize(240, 135);
        cameraTile.setId("camera-tile");
        cameraTile.getStyleClass().add("camera-tile");
        StackPane.setAlignment(cameraTile, Pos.BOTTOM_LEFT);
        StackPane.setMargin(cameraTile, new Insets(12));

        getChildren().addAll(placeholder, remoteVideo, remoteScreen, cameraTile);
        subscriptions = Subscription.combine(
                model.state().subscribe((before, now) -> refresh()),
                model.peerMedia().subscribe((before, now) -> refresh()),
                model.remoteVideoFlowing().subscribe((before, now) -> refresh()));
        refresh();
    }

    private void refresh() {
        PeerMedia peer = model.peerMedia().get();
        CallState state = model.state().get();
        boolean live = state == CallState.CONNECTED || state == CallState.RECONNECTING;
        // The peer's screen goes large and its camera into the tile; back when the sharing stops.
        if (peer.screen() && remoteVideo.getParent() == this) {
            getChildren().remove(remoteVideo);
            cameraTile.getChildren().setAll(remoteVideo);
            remoteScreen.attach(model.remoteScreen());
        } else if (!peer.screen() && remoteVideo.getParent() == cameraTile) {
            cameraTile.getChildren().clear();
            getChildren().add(1, remoteVideo);
            remoteScreen.detach();
        }
        boolean cameraShown =
                live && peer.camera() && model.remoteVideoFlowing().get();
        remoteScreen.setVisible(live && peer.screen());
        remoteVideo.setVisible(cameraShown);
        cameraTile.setVisible(cameraShown && peer.screen());
        placeholder.setVisible(!cameraShown && !remoteScreen.isVisible() || !live);
        placeholderText.setText(texts.placeholder(state, peer, model.peer()));
    }

    /** Stops following the model and lets go of the peer's video. FX thread; idempotent. */
    void dispose() {
        if (disposed) {
            return;
        }
        disposed = true;
        subscriptions.unsubscribe();
        remoteVideo.detach();
        remoteScreen.detach();
    }
}
