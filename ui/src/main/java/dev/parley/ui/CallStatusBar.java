package dev.parley.ui;

import dev.parley.call.CallState;
import dev.parley.call.SecurityCode;
import dev.parley.call.Trust;
import java.util.Locale;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.util.Duration;
import javafx.util.Subscription;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The call's top bar: who the call is with, how long it has lasted (or what it is doing, or why it ended), whether
 * the peer is muted, and how well the call is connected.
 */
final class CallStatusBar extends HBox {
    private final CallViewModel model;
    private final CallTexts texts;
    private final Label status = new Label();
    private final Label quality = new Label();
    private final Label remoteMuted;
    private final Label code = new Label();
    private final Messages text;
    private final Timeline clock;
    private final Subscription subscriptions;
    private final String qualityCaption;

    CallStatusBar(CallViewModel model, Messages text, CallTexts texts) {
        super(14);
        this.model = model;
        this.texts = texts;
        this.text = text;
        qualityCaption = text.get("call.quality");
        Label name = new Label(model.peer());
        name.getStyleClass().add("title-3");
        status.setId("call-status");
        quality.setId("call-quality");
        quality.setGraphic(new FontIcon(Icons.SIGNAL));
        remoteMuted = new Label(text.get("call.remoteMuted", model.peer()), new FontIcon(Icons.MIC_OFF));
        remoteMuted.setId("remote-muted");
        remoteMuted.getStyleClass().add("warning");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        code.setId("call-code");
        code.setVisible(false);
        code.managedProperty().bind(code.visibleProperty());
        getChildren().addAll(name, status, remoteMuted, spacer, code, quality);
        setAlignment(Pos.CENTER_LEFT);
        setPadding(new Insets(10, 14, 10, 14));

        clock = new Timeline(new KeyFrame(Duration.seconds(1), e -> showStatus()));
        clock.setCycleCount(Timeline.INDEFINITE);
        subscriptions = Subscription.combine(
                model.state().subscribe((before, now) -> {
                    refresh();
                    if (now == CallState.ENDED) {
                        clock.stop();
                    }
                }),
                model.peerMedia().subscribe((before, now) -> refresh()),
                model.quality().subscribe(this::showQuality),
                model.securityCode().subscribe(this::showCode),
                model.standing().subscribe(s -> showCode(model.securityCode().get())));
        refresh();
        clock.play();
    }

    private void refresh() {
        CallState state = model.state().get();
        boolean live = state == CallState.CONNECTED || state == CallState.RECONNECTING;
        remoteMuted.setVisible(live && !model.peerMedia().get().microphone());
        showStatus();
    }

    private void showStatus() {
        status.setText(texts.status(model.state().get(), model.endReason().get(), model.connectedSeconds()));
    }

    /** The words, and the signal icon's colour from a style class (quality-good, -fair, -poor, -unknown). */
    private void showQuality(CallViewModel.Quality q) {
        quality.setText(texts.quality(q));
        quality.getStyleClass().removeIf(c -> c.startsWith("quality-"));
        quality.getStyleClass().add("quality-" + q.name().toLowerCase(Locale.ROOT));
        quality.setAccessibleText(qualityCaption + ": " + quality.getText());
    }

    /**
     * The security code, once there is one, with the one-line reason to read it aloud as its tooltip; a warning
     * instead when the call cannot be verified.
     */
    private void showCode(SecurityCode c) {
        code.getStyleClass().removeAll("warning", "success");
        code.setTooltip(null);
        switch (c.status()) {
            case READY -> {
                Trust.Standing standing = model.standing().get();
                String shown = switch (standing) {
                    case VERIFIED -> text.get("call.verified");
                    case CHANGED -> text.get("call.codeChanged", c.display());
                    case UNKNOWN -> text.get("call.code", c.display());
                };
                String said = texts.standing(standing, model.peer());
                String hint = said != null ? said : text.get("call.codeHint");
                code.setText(shown);
                code.setGraphic(new FontIcon(standing == Trust.Standing.CHANGED ? Icons.SHIELD_ALERT : Icons.SHIELD));
                code.getStyleClass().add(standing == Trust.Standing.CHANGED ? "warning" : "success");
                code.setTooltip(new Tooltip(hint));
                code.setAccessibleText(shown + ". " + hint);
            }
            case FAILED -> {
                code.setText(text.get("call.codeFailed"));
                code.setGraphic(new FontIcon(Icons.SHIELD_ALERT));
                code.getStyleClass().add("warning");
                code.setTooltip(new Tooltip(c.problem()));
                code.setAccessibleText(text.get("call.codeFailed") + ": " + c.problem());
            }
            default -> {}
        }
        code.setVisible(c.status() != SecurityCode.Status.PENDING);
    }

    /** Stops the timer and stops following the model. FX thread; idempotent. */
    void dispose() {
        clock.stop();
        subscriptions.unsubscribe();
    }
}
