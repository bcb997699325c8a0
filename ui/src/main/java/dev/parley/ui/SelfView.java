package dev.parley.ui;

import java.util.concurrent.Executor;
import javafx.geometry.Bounds;
import javafx.scene.layout.Pane;
import javafx.scene.layout.StackPane;
import javafx.util.Subscription;

/**
 * Shows our own camera as a mirrored picture-in-picture over the call, which the user can drag anywhere; until
 * dragged it keeps to the top right corner. Hidden while the camera is off.
 */
final class SelfView extends Pane {
    private static final double WIDTH = 200;
    private static final double HEIGHT = 150;

    final VideoView video;
    private final StackPane pip;
    private final Subscription subscriptions;
    private final double[] grab = new double[2];
    private boolean moved;
    private boolean disposed;

    SelfView(CallViewModel model, Messages text, Executor fx) {
        video = new VideoView(fx);
        video.setId("self-view");
        video.setMirrored(true); // a mirror is what people expect of themselves
        video.setAccessibleText(text.get("call.selfView"));
        video.attach(model.localVideo());
        pip = new StackPane(video);
        pip.setId("self-view-pip");
        pip.getStyleClass().add("self-view-pip");
        pip.setPrefSize(WIDTH, HEIGHT);
        pip.setMaxSize(WIDTH, HEIGHT);
        getChildren().add(pip);
        setPickOnBounds(false);
        pip.setOnMousePressed(e -> {
            moved = true;
            grab[0] = e.getSceneX() - pip.getLayoutX();
            grab[1] = e.getSceneY() - pip.getLayoutY();
        });
        pip.setOnMouseDragged(e -> pip.relocate(
                clamp(e.getSceneX() - grab[0], getWidth() - pip.getWidth()),
                clamp(e.getSceneY() - grab[1], getHeight() - pip.getHeight())));
        subscriptions = Subscription.combine(
                layoutBoundsProperty().subscribe(this::keepInside),
                model.localMedia().subscribe(mine -> pip.setVisible(mine.camera())));
    }

    private void keepInside(Bounds area) {
        if (!moved || pip.getLayoutX() + WIDTH > area.getWidth() || pip.getLayoutY() + HEIGHT > area.getHeight()) {
            pip.relocate(Math.max(0, area.getWidth() - WIDTH - 16), 16);
        }
    }

    private static double clamp(double v, double max) {
        return Math.max(0, Math.min(v, Math.max(0, max)));
    }

    /** Stops following the model and lets go of our camera's picture. FX thread; idempotent. */
    void dispose() {
        if (disposed) {
            return;
        }
        disposed = true;
        subscriptions.unsubscribe();
        video.detach();
    }
}
