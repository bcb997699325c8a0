package dev.parley.ui;

import dev.parley.call.CallState;
import java.io.File;
import java.util.concurrent.Executor;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.event.EventHandler;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TextInputControl;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.util.Duration;
import javafx.util.Subscription;

/**
 * Lays out a call screen from its parts — the peer's stage with our self-view over it, the status bar, the
 * controls, the chat and connection-details panels — and takes its keyboard shortcuts (M, V, S, C, D; Esc or
 * Ctrl+W hang up after a confirmation). It reads the call through its {@link CallViewModel} only.
 */
final class CallView extends BorderPane {
    /** What the call view needs from the window around it. */
    interface Host {
        /** Opens the screen picker; it shares the chosen screen through the model. */
        void pickScreen(CallViewModel call);

        /** The call is over and its end has been shown. */
        void callFinished(CallView view);
    }

    private final CallViewModel model;
    private final DialogHost dialogs;
    private final RemoteStage remote;
    private final SelfView self;
    private final CallStatusBar statusBar;
    private final CallControls controls;
    private final ChatPanel chat;
    private final ConnectionDetailsView details;
    private final HangUpConfirmation confirmation;
    private final EventHandler<KeyEvent> shortcuts = this::shortcut;
    private final Subscription subscriptions;
    private Timeline finishing;
    // The parts' pictures, for tests.
    final VideoView remoteVideo;
    final VideoView remoteScreen;
    final VideoView selfView;

    CallView(CallViewModel model, Messages text, DialogHost dialogs, Executor fx, Host host) {
        this.model = model;
        this.dialogs = dialogs;
        setId("call-view");
        getStyleClass().add("call-view");
        CallTexts texts = new CallTexts(text);
        remote = new RemoteStage(model, text, texts, fx);
        self = new SelfView(model, text, fx);
        statusBar = new CallStatusBar(model, text, texts);
        controls = new CallControls(model, text, () -> host.pickScreen(model));
        chat = new ChatPanel(model, text);
        details = new ConnectionDetailsView(text, model);
        details.setId("connection-details");
        confirmation = new HangUpConfirmation(model, text, dialogs);
        remoteVideo = remote.remoteVideo;
        remoteScreen = remote.remoteScreen;
        selfView = self.video;

        StackPane center = new StackPane(remote, self);
        center.setMinSize(0, 0);
        setCenter(center);
        Label notice = new Label();
        notice.setId("device-notice");
        notice.getStyleClass().add("device-notice");
        notice.setWrapText(true);
        notice.setMaxWidth(Double.MAX_VALUE);
        notice.setVisible(false);
        notice.managedProperty().bind(notice.visibleProperty());
        setTop(new VBox(statusBar, notice));
        setBottom(controls);

        // Files dropped onto the call go to the peer; the chat panel opens to show them.
        setOnDragOver(e -> {
            if (e.getDragboard().hasFiles() && model.state().get() == CallState.CONNECTED) {
                e.acceptTransferModes(TransferMode.COPY);
            }
            e.consume();
        });
        setOnDragDropped(e -> {
            boolean taken = e.getDragboard().hasFiles();
            if (taken) {
                model.sendFiles(e.getDragboard().getFiles().stream()
                        .filter(File::isFile)
                        .map(File::toPath)
                        .toList());
                if (model.panel().get() != CallViewModel.SidePanel.CHAT) {
                    model.togglePanel(CallViewModel.SidePanel.CHAT);
                }
            }
            e.setDropCompleted(taken);
            e.consume();
        });

        subscriptions = Subscription.combine(
                model.notice()
                        .subscribe(
                                n -> { // a camera pulled out: said until the next notice or the call's end
                                    notice.setText(n == null ? null : texts.notice(n));
                                    notice.setVisible(n != null);
                                }),
                model.panel().subscribe(this::showPanel),
                model.securityCode().subscribe(details::showCode),
                model.standing()
                        .subscribe(s -> details.showCode(model.securityCode().get())),
                model.stats().subscribe((before, stats) -> {
                    if (model.panel().get() == CallViewModel.SidePanel.DETAILS) {
                        details.show(stats); // rebuilt only while shown
                    }
                }),
                model.state().subscribe((before, state) -> {
                    if (state == CallState.ENDED) {
                        ended(host);
                    }
                }),
                sceneProperty().subscribe(this::moveShortcuts));
    }

    CallViewModel model() {
        return model;
    }

    private void moveShortcuts(Scene before, Scene after) {
        if (before != null) {
            before.removeEventFilter(KeyEvent.KEY_PRESSED, shortcuts);
        }
        if (after != null) {
            after.addEventFilter(KeyEvent.KEY_PRESSED, shortcuts);
        }
    }

    private void shortcut(KeyEvent e) {
        if (model.state().get() == CallState.ENDED || !dialogs.isEmpty() && !confirmation.showing()) {
            return;
        }
        if (confirmation.showing() && e.getCode() == KeyCode.ESCAPE) {
            return; // Escape on the confirmation means "keep talking": the card handles it
        }
        if (e.getCode() == KeyCode.ESCAPE || e.getCode() == KeyCode.W && e.isShortcutDown()) {
            e.consume();
            confirmation.show(); // Esc and Ctrl+W ask first: a stray key should not end a call
            return;
        }
        boolean typing = getScene().getFocusOwner() instanceof TextInputControl;
        if (typing || e.isShortcutDown() || e.isAltDown() || confirmation.showing()) {
            return; // letters typed into the chat are text, not commands
        }
        switch (e.getCode()) {
            case M -> model.toggleMicrophone();
            case V -> model.toggleCamera();
            case S -> controls.toggleScreen();
            case C -> model.togglePanel(CallViewModel.SidePanel.CHAT);
            case D -> model.togglePanel(CallViewModel.SidePanel.DETAILS);
            default -> {
                return;
            }
        }
        e.consume();
    }

    private void showPanel(CallViewModel.SidePanel panel) {
        switch (panel) {
            case NONE -> setRight(null);
            case CHAT -> {
                setRight(chat);
                chat.focusInput();
            }
            case DETAILS -> {
                details.show(model.stats().get());
                setRight(details);
            }
        }
    }

    /** The end shows for two seconds (the status bar says why), then the window moves on. */
    private void ended(Host host) {
        confirmation.dispose();
        remote.dispose();
        self.dispose();
        finishing = new Timeline(new KeyFrame(Duration.seconds(2), e -> host.callFinished(this)));
        finishing.play();
    }

    /** Stops every part following the model and lets go of the video. FX thread; idempotent. */
    void dispose() {
        if (finishing != null) {
            finishing.stop();
        }
        subscriptions.unsubscribe();
        moveShortcuts(getScene(), null);
        remote.dispose();
        self.dispose();
        statusBar.dispose();
        controls.dispose();
        chat.dispose();
        confirmation.dispose();
    }
}
