package dev.parley.ui;

import dev.parley.call.CallState;
import dev.parley.call.EndReason;
import dev.parley.call.PeerMedia;
import dev.parley.media.CallStats;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputControl;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.util.Duration;
import org.kordamp.ikonli.javafx.FontIcon;

import java.util.Locale;
import java.util.concurrent.Executor;

/**
 * A call: the peer's video large (or their shared screen large, with their camera as a tile), our own camera as
 * a mirrored picture-in-picture that can be dragged anywhere, the controls with their shortcuts (M, V, S, C,
 * Ctrl+W / Esc to hang up after a confirmation), the timer, the quality indicator, and the chat and
 * connection-details panels.
 */
final class CallView extends BorderPane {
    /** What the call view needs from the window around it. */
    interface Host {
        /** Opens the screen picker; it calls back with a chosen source. */
        void pickScreen(CallViewModel call);

        /** The call is over and its end has been shown. */
        void callFinished(CallView view);
    }

    private final CallViewModel model;
    private final Messages text;
    private final Overlays overlays;
    private final Host host;
    final VideoView remoteVideo;
    final VideoView remoteScreen;
    final VideoView selfView;
    private final Label status = new Label();
    private final Label quality = new Label();
    private final ToggleButton mic;
    private final ToggleButton camera;
    private final ToggleButton screen;
    private final ToggleButton chatToggle;
    private final ToggleButton detailsToggle;
    private final VBox chatPanel;
    private final ConnectionDetailsView details;
    private final Timeline clock;
    private final javafx.event.EventHandler<KeyEvent> shortcuts = this::shortcut;
    private Node confirm;

    CallView(CallViewModel model, Messages text, Overlays overlays, Executor fx, Host host) {
        this.model = model;
        this.text = text;
        this.overlays = overlays;
        this.host = host;
        setId("call-view");
        getStyleClass().add("call-view");

        remoteVideo = new VideoView(fx);
        remoteVideo.setId("remote-video");
        remoteVideo.setAccessibleText(text.get("call.remoteVideo", model.peer()));
        remoteScreen = new VideoView(fx);
        remoteScreen.setId("remote-screen");
        selfView = new VideoView(fx);
        selfView.setId("self-view");
        selfView.setMirrored(true); // a mirror is what people expect of themselves
        selfView.setAccessibleText(text.get("call.selfView"));
        remoteVideo.attach(model.session().remoteVideo());
        selfView.attach(model.session().localVideo());

        // The placeholder while there is no picture: initials and why (calling, camera off).
        Label initials = new Label(model.peer().substring(0, 1).toUpperCase(Locale.ROOT));
        initials.setStyle("-fx-font-size: 48px; -fx-text-fill: white; -fx-background-color: -color-accent-emphasis;"
                + " -fx-background-radius: 60; -fx-min-width: 120; -fx-min-height: 120; -fx-alignment: center;");
        Label placeholderText = new Label();
        placeholderText.setId("remote-placeholder");
        placeholderText.setStyle("-fx-text-fill: #e6e6e6; -fx-font-size: 16px;");
        VBox placeholder = new VBox(14, initials, placeholderText);
        placeholder.setAlignment(Pos.CENTER);

        // The peer's camera as a tile while its screen is shown large.
        StackPane cameraTile = new StackPane();
        cameraTile.setMaxSize(240, 135);
        cameraTile.setPrefSize(240, 135);
        cameraTile.setStyle("-fx-background-color: black; -fx-border-color: #ffffff88; -fx-border-width: 1;");
        StackPane.setAlignment(cameraTile, Pos.BOTTOM_LEFT);
        StackPane.setMargin(cameraTile, new Insets(12));

        StackPane stageArea = new StackPane(placeholder, remoteVideo, remoteScreen, cameraTile);
        stageArea.setStyle("-fx-background-color: #111418;");
        stageArea.setMinSize(0, 0);

        // The self-view, dragged anywhere in the stage area.
        StackPane pip = new StackPane(selfView);
        pip.setId("self-view-pip");
        pip.setPrefSize(200, 150);
        pip.setMaxSize(200, 150);
        pip.setStyle("-fx-background-color: #000000aa; -fx-border-color: #ffffffaa; -fx-border-width: 1;"
                + " -fx-cursor: move;");
        Pane pipLayer = new Pane(pip);
        pipLayer.setPickOnBounds(false);
        boolean[] moved = {false}; // until the user drags it, it keeps to the top right corner
        pipLayer.layoutBoundsProperty().addListener((o, a, b) -> {
            if (!moved[0] || pip.getLayoutX() + 200 > b.getWidth() || pip.getLayoutY() + 150 > b.getHeight()) {
                pip.relocate(Math.max(0, b.getWidth() - 216), 16);
            }
        });
        double[] grab = new double[2];
        pip.setOnMousePressed(e -> {
            moved[0] = true;
            grab[0] = e.getSceneX() - pip.getLayoutX();
            grab[1] = e.getSceneY() - pip.getLayoutY();
        });
        pip.setOnMouseDragged(e -> pip.relocate(
                clamp(e.getSceneX() - grab[0], pipLayer.getWidth() - pip.getWidth()),
                clamp(e.getSceneY() - grab[1], pipLayer.getHeight() - pip.getHeight())));
        StackPane center = new StackPane(stageArea, pipLayer);
        center.setMinSize(0, 0);
        setCenter(center);

        // The top bar: who, how long, how well.
        Label name = new Label(model.peer());
        name.getStyleClass().add("title-3");
        status.setId("call-status");
        quality.setId("call-quality");
        Label remoteMuted = new Label(text.get("call.remoteMuted", model.peer()), new FontIcon(Icons.MIC_OFF));
        remoteMuted.setId("remote-muted");
        remoteMuted.getStyleClass().add("warning");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox top = new HBox(14, name, status, remoteMuted, spacer, quality);
        top.setAlignment(Pos.CENTER_LEFT);
        top.setPadding(new Insets(10, 14, 10, 14));
        setTop(top);

        // The controls.
        mic = toggle(Icons.MIC, "call.mic", "M", "toggle-mic");
        mic.setOnAction(e -> model.toggleMicrophone());
        camera = toggle(Icons.CAMERA, "call.camera", "V", "toggle-camera");
        camera.setOnAction(e -> model.toggleCamera());
        screen = toggle(Icons.SCREEN, "call.screen", "S", "toggle-screen");
        screen.setOnAction(e -> toggleScreen());
        chatToggle = toggle(Icons.CHAT, "call.chat", "C", "toggle-chat");
        detailsToggle = toggle(Icons.DETAILS, "call.details", "D", "toggle-details");
        Button hangup = new Button(text.get("call.hangup"), new FontIcon(Icons.HANG_UP));
        hangup.setId("hang-up");
        hangup.getStyleClass().add("danger");
        hangup.setAccessibleText(text.get("call.hangup"));
        hangup.setTooltip(new Tooltip(text.get("call.hangup") + " (Ctrl+W, Esc)"));
        hangup.setOnAction(e -> model.hangup());
        HBox controls = new HBox(10, mic, camera, screen, chatToggle, detailsToggle, hangup);
        controls.setAlignment(Pos.CENTER);
        controls.setPadding(new Insets(10));
        setBottom(controls);

        // Side panels.
        chatPanel = chatPanel(fx);
        details = new ConnectionDetailsView(text);
        details.setId("connection-details");
        chatToggle.selectedProperty().addListener((o, a, on) -> {
            if (on) {
                detailsToggle.setSelected(false);
            }
            showPanel();
        });
        detailsToggle.selectedProperty().addListener((o, a, on) -> {
            if (on) {
                chatToggle.setSelected(false);
                details.show(model.stats().get());
            }
            showPanel();
        });

        // Keep everything in step with the model.
        Runnable refresh = () -> {
            PeerMedia peer = model.peerMedia().get();
            PeerMedia mine = model.localMedia().get();
            CallState st = model.state().get();
            boolean live = st == CallState.CONNECTED || st == CallState.RECONNECTING;
            boolean sharing = peer.screen() && model.session().remoteScreen().framesReceived() > 0;
            // The peer's screen goes large and its camera into the tile; back when the sharing stops.
            if (peer.screen() && remoteVideo.getParent() == stageArea) {
                stageArea.getChildren().remove(remoteVideo);
                cameraTile.getChildren().setAll(remoteVideo);
                remoteScreen.attach(model.session().remoteScreen());
            } else if (!peer.screen() && remoteVideo.getParent() == cameraTile) {
                cameraTile.getChildren().clear();
                stageArea.getChildren().add(1, remoteVideo);
                remoteScreen.detach();
            }
            boolean cameraShown = live && peer.camera() && model.remoteVideoFlowing().get();
            remoteScreen.setVisible(live && peer.screen());
            remoteVideo.setVisible(cameraShown);
            cameraTile.setVisible(cameraShown && peer.screen());
            placeholder.setVisible(!cameraShown && !remoteScreen.isVisible() || !live);
            placeholderText.setText(placeholderText(st, peer));
            remoteMuted.setVisible(live && !peer.microphone());
            mic.setSelected(!mine.microphone());
            swap(mic, mine.microphone() ? Icons.MIC : Icons.MIC_OFF);
            camera.setSelected(!mine.camera());
            swap(camera, mine.camera() ? Icons.CAMERA : Icons.CAMERA_OFF);
            screen.setSelected(mine.screen());
            swap(screen, mine.screen() ? Icons.SCREEN_OFF : Icons.SCREEN);
            pip.setVisible(mine.camera());
            screen.setDisable(!live);
            status.setText(statusText());
            if (sharing) {
                remoteScreen.setAccessibleText(text.get("call.remoteScreen", model.peer()));
            }
        };
        model.state().addListener((o, a, b) -> {
            refresh.run();
            if (b == CallState.ENDED) {
                ended();
            }
        });
        model.peerMedia().addListener((o, a, b) -> refresh.run());
        model.localMedia().addListener((o, a, b) -> refresh.run());
        model.remoteVideoFlowing().addListener((o, a, b) -> refresh.run());
        model.quality().addListener((o, a, q) -> showQuality(q));
        model.stats().addListener((o, a, s) -> {
            if (detailsToggle.isSelected()) {
                details.show(s); // rebuilt only while shown
            }
        });
        showQuality(CallViewModel.Quality.UNKNOWN);
        refresh.run();
        clock = new Timeline(new KeyFrame(Duration.seconds(1), e -> status.setText(statusText())));
        clock.setCycleCount(Timeline.INDEFINITE);
        clock.play();

        sceneProperty().addListener((o, before, after) -> {
            if (before != null) {
                before.removeEventFilter(KeyEvent.KEY_PRESSED, shortcuts);
            }
            if (after != null) {
                after.addEventFilter(KeyEvent.KEY_PRESSED, shortcuts);
            }
        });
    }

    CallViewModel model() {
        return model;
    }

    private void shortcut(KeyEvent e) {
        if (model.state().get() == CallState.ENDED || !overlays.isEmpty() && confirm == null) {
            return;
        }
        if (confirm != null && e.getCode() == KeyCode.ESCAPE) {
            return; // Escape on the confirmation means "keep talking": the card handles it
        }
        if (e.getCode() == KeyCode.ESCAPE || e.getCode() == KeyCode.W && e.isShortcutDown()) {
            e.consume();
            confirmHangup();
            return;
        }
        boolean typing = getScene().getFocusOwner() instanceof TextInputControl;
        if (typing || e.isShortcutDown() || e.isAltDown() || confirm != null) {
            return; // letters typed into the chat are text, not commands
        }
        switch (e.getCode()) {
            case M -> model.toggleMicrophone();
            case V -> model.toggleCamera();
            case S -> toggleScreen();
            case C -> chatToggle.setSelected(!chatToggle.isSelected());
            case D -> detailsToggle.setSelected(!detailsToggle.isSelected());
            default -> {
                return;
            }
        }
        e.consume();
    }

    /** Esc and Ctrl+W ask first: a stray key should not end a call. */
    private void confirmHangup() {
        if (confirm != null) {
            return;
        }
        Label question = new Label(text.get("call.confirmHangup", model.peer()));
        Button yes = new Button(text.get("call.hangup"));
        yes.setId("confirm-hang-up");
        yes.getStyleClass().addAll("danger", "focus-first");
        yes.setDefaultButton(true);
        Button no = new Button(text.get("call.keepTalking"));
        no.setId("keep-talking");
        HBox buttons = new HBox(10, yes, no);
        buttons.setAlignment(Pos.CENTER_RIGHT);
        VBox card = new VBox(14, question, buttons);
        card.setPadding(new Insets(20));
        card.setId("confirm-hang-up-card");
        confirm = card;
        Runnable close = () -> {
            overlays.close(card);
            confirm = null;
        };
        yes.setOnAction(e -> {
            close.run();
            model.hangup();
        });
        no.setOnAction(e -> close.run());
        overlays.show(card, close);
    }

    private void toggleScreen() {
        if (model.localMedia().get().screen()) {
            model.stopScreenShare();
        } else if (model.state().get() == CallState.CONNECTED) {
            host.pickScreen(model);
        }
        screen.setSelected(model.localMedia().get().screen());
    }

    private void showPanel() {
        setRight(chatToggle.isSelected() ? chatPanel : detailsToggle.isSelected() ? details : null);
        if (chatToggle.isSelected()) {
            chatPanel.lookup("#chat-input").requestFocus();
        }
    }

    private VBox chatPanel(Executor fx) {
        ListView<CallViewModel.ChatLine> lines = new ListView<>(model.chat());
        lines.setId("chat-lines");
        lines.setAccessibleText(text.get("call.chat"));
        lines.setPlaceholder(new Label(text.get("chat.empty")));
        lines.setCellFactory(l -> new ListCell<>() {
            @Override
            protected void updateItem(CallViewModel.ChatLine line, boolean empty) {
                super.updateItem(line, empty);
                if (empty || line == null) {
                    setText(null);
                    return;
                }
                String who = line.mine() ? text.get("chat.me") : model.peer();
                setText(who + ": " + line.text() + (line.failed() ? "  " + text.get("chat.failed") : ""));
                setWrapText(true);
                setPrefWidth(0);
            }
        });
        model.chat().addListener((javafx.collections.ListChangeListener<CallViewModel.ChatLine>) c -> {
            lines.scrollTo(model.chat().size() - 1);
            if (!chatToggle.isSelected() && c.next() && c.wasAdded() && !c.getAddedSubList().get(0).mine()) {
                chatToggle.getStyleClass().add("unread");
                chatToggle.setText("•");
            }
        });
        chatToggle.selectedProperty().addListener((o, a, on) -> {
            chatToggle.getStyleClass().remove("unread");
            chatToggle.setText(null);
        });
        TextField input = new TextField();
        input.setId("chat-input");
        input.setPromptText(text.get("chat.prompt"));
        input.setAccessibleText(text.get("chat.prompt"));
        Button send = new Button(text.get("chat.send"));
        send.setId("chat-send");
        Runnable submit = () -> {
            model.sendChat(input.getText());
            input.clear();
        };
        input.setOnAction(e -> submit.run());
        send.setOnAction(e -> submit.run());
        HBox.setHgrow(input, Priority.ALWAYS);
        Label title = new Label(text.get("call.chat"));
        title.getStyleClass().add("title-4");
        VBox panel = new VBox(8, title, lines, new HBox(6, input, send));
        VBox.setVgrow(lines, Priority.ALWAYS);
        panel.setPadding(new Insets(10));
        panel.setPrefWidth(320);
        panel.setId("chat-panel");
        return panel;
    }

    private ToggleButton toggle(String icon, String key, String shortcut, String id) {
        ToggleButton b = new ToggleButton(null, new FontIcon(icon));
        b.setId(id);
        b.setAccessibleText(text.get(key));
        b.setTooltip(new Tooltip(text.get(key) + " (" + shortcut + ")"));
        b.getStyleClass().add("button-icon");
        return b;
    }

    private static void swap(ToggleButton b, String icon) {
        if (!(b.getGraphic() instanceof FontIcon f) || !f.getIconLiteral().equals(icon)) {
            b.setGraphic(new FontIcon(icon));
        }
    }

    private void showQuality(CallViewModel.Quality q) {
        quality.setText(text.get("quality." + q.name().toLowerCase(Locale.ROOT)));
        FontIcon bars = new FontIcon(Icons.SIGNAL);
        bars.setIconColor(javafx.scene.paint.Color.web(switch (q) {
            case GOOD -> "#2da44e";
            case FAIR -> "#bf8700";
            case POOR -> "#cf222e";
            case UNKNOWN -> "#8c959f";
        }));
        quality.setGraphic(bars);
        quality.setAccessibleText(text.get("call.quality") + ": " + quality.getText());
    }

    private String placeholderText(CallState st, PeerMedia peer) {
        return switch (st) {
            case IDLE, DIALING -> text.get("call.calling");
            case RINGING, CONNECTING -> text.get("call.connecting");
            case ENDED -> "";
            default -> !peer.camera() ? text.get("call.remoteCameraOff", model.peer()) : text.get("call.waitingVideo");
        };
    }

    private String statusText() {
        CallState st = model.state().get();
        return switch (st) {
            case IDLE, DIALING -> text.get("call.calling");
            case RINGING, CONNECTING -> text.get("call.connecting");
            case CONNECTED -> clock(Math.max(0, model.connectedSeconds()));
            case RECONNECTING -> text.get("call.reconnecting");
            case ENDED -> {
                EndReason r = model.endReason().get();
                yield text.get("call.ended", r == null ? "" : text.get("end." + r.wireName()));
            }
        };
    }

    private void ended() {
        clock.stop();
        status.setText(statusText());
        if (confirm != null) {
            overlays.close(confirm);
            confirm = null;
        }
        remoteVideo.detach();
        remoteScreen.detach();
        selfView.detach();
        Timeline later = new Timeline(new KeyFrame(Duration.seconds(2), e -> host.callFinished(this)));
        later.play();
    }

    static String clock(long seconds) {
        long h = seconds / 3600;
        long m = seconds / 60 % 60;
        long s = seconds % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s) : String.format(Locale.ROOT, "%d:%02d", m, s);
    }

    private static double clamp(double v, double max) {
        return Math.max(0, Math.min(v, Math.max(0, max)));
    }
}
