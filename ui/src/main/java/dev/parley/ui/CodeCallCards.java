package dev.parley.ui;

import dev.parley.call.CallSession;
import dev.parley.call.CallState;
import dev.parley.call.CodeCall;
import dev.parley.call.InviteCode;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.control.ToggleButton;
import javafx.scene.image.ImageView;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * "Call without a server": the cards that make an invite code and play the answer, or join with an invite code and
 * show the answer code, then hand the call to the call screen. Shown from the home screen, and from the sign-in
 * screen (no server needed, so also when one cannot be reached). FX thread.
 */
final class CodeCallCards {
    private final HomeViewModel model;
    private final Messages text;
    private final DialogHost dialogs;
    private final Consumer<CallViewModel> showCall;

    CodeCallCards(HomeViewModel model, Messages text, DialogHost dialogs, Consumer<CallViewModel> showCall) {
        this.model = model;
        this.text = text;
        this.dialogs = dialogs;
        this.showCall = showCall;
    }

    /** Starts an invite ({@code button} disabled meanwhile) and shows its card. */
    void createInvite(javafx.scene.control.ButtonBase button) {
        button.setDisable(true);
        model.inviteByCode()
                .thenAccept(
                        codeCall -> { // on the FX thread
                            button.setDisable(false);
                            if (codeCall != null) {
                                showInvite(codeCall);
                            }
                        });
    }

    private TextArea codeArea(String id, boolean editable) {
        TextArea area = new TextArea();
        area.setId(id);
        area.setEditable(editable);
        area.setWrapText(true);
        area.setPrefRowCount(4);
        area.managedProperty().bind(area.visibleProperty());
        return area;
    }

    private static Label codeError(String id) {
        Label error = new Label();
        error.setId(id);
        error.getStyleClass().add("danger");
        error.setWrapText(true);
        error.managedProperty().bind(error.textProperty().isNotEmpty());
        return error;
    }

    /**
     * "Call without a server", the inviting side: this side's code (once its addresses are gathered) to copy and
     * send, and a field for the answer code; a good answer starts the call, a bad paste is explained.
     */
    private void showInvite(CodeCall codeCall) {
        Label title = new Label(text.get("code.createTitle"));
        title.getStyleClass().add("title-3");
        Label step = new Label(text.get("code.gathering"));
        step.setWrapText(true);
        step.setMinHeight(Region.USE_PREF_SIZE); // the whole sentence, even in a short window
        TextArea mine = codeArea("my-code", false);
        mine.setAccessibleText(text.get("code.yours"));
        Button copy = new Button(text.get("link.copy"));
        copy.setId("copy-code");
        copy.setDisable(true);
        Label pasteHere = new Label(text.get("code.pasteAnswer"));
        pasteHere.setWrapText(true);
        TextArea theirs = codeArea("their-code", true);
        theirs.setAccessibleText(text.get("code.pasteAnswer"));
        Label error = codeError("code-error");
        Button connect = playButton("code.connect");
        connect.setDisable(true);
        Button cancel = cancelButton();
        HBox buttons = buttons(connect, cancel);
        ToggleButton qr = qrToggle();
        qr.setDisable(true);
        ImageView qrImage = qrImage(mine, qr);
        VBox card = new VBox(10, title, step, mine, qrImage, new HBox(10, copy, qr), pasteHere, theirs, error, buttons);
        card.setPadding(new Insets(20));
        card.setPrefWidth(560);
        card.setId("code-card");
        model.codeOf(codeCall).whenComplete((code, failure) -> { // on the FX thread
            if (failure != null) {
                step.setText(model.badCode(failure));
                return;
            }
            mine.setText(code.text());
            step.setText(text.get("code.sendInvite"));
            copy.setDisable(false);
            qr.setDisable(false);
            connect.setDisable(false);
        });
        copy.setOnAction(e -> copyText(mine.getText()));
        connect.setOnAction(e -> {
            try {
                codeCall.play(theirs.getText());
            } catch (InviteCode.BadCode bad) {
                error.setText(model.badCode(bad));
                return;
            }
            dialogs.close(card);
            model.sessionOf(codeCall).thenAccept(session -> showCall.accept(model.open(codeCall, session)));
        });
        cancel.setOnAction(e -> {
            dialogs.close(card);
            CompletableFuture.runAsync(codeCall::close); // hangs up: not on the FX thread
        });
        dialogs.show(card, cancel::fire); // Escape cancels too: no call left dialing behind a closed card
    }

    /**
     * "Join with a code": paste an invite code; this side's answer code shows to copy and send back, and the call
     * opens once the other side has played it and the call connects.
     */
    void join() {
        Label title = new Label(text.get("code.joinTitle"));
        title.getStyleClass().add("title-3");
        Label pasteHere = new Label(text.get("code.pasteInvite"));
        pasteHere.setWrapText(true);
        TextArea theirs = codeArea("their-code", true);
        theirs.setAccessibleText(text.get("code.pasteInvite"));
        theirs.getStyleClass().add("focus-first");
        Label step = new Label();
        step.setWrapText(true);
        step.setMinHeight(Region.USE_PREF_SIZE); // the whole sentence, even in a short window
        step.managedProperty().bind(step.textProperty().isNotEmpty());
        TextArea mine = codeArea("my-code", false);
        mine.setAccessibleText(text.get("code.yours"));
        mine.setVisible(false);
        Button copy = new Button(text.get("link.copy"));
        copy.setId("copy-code");
        Label error = codeError("code-error");
        Button join = playButton("code.joinButton");
        Button cancel = cancelButton();
        HBox buttons = buttons(join, cancel);
        ToggleButton qr = qrToggle();
        ImageView qrImage = qrImage(mine, qr);
        HBox codeButtons = new HBox(10, copy, qr); // once this side's code shows (as text or as a QR code)
        codeButtons.visibleProperty().bind(mine.visibleProperty().or(qr.selectedProperty()));
        codeButtons.managedProperty().bind(codeButtons.visibleProperty());
        VBox card = new VBox(10, title, pasteHere, theirs, step, mine, qrImage, codeButtons, error, buttons);
        card.setPadding(new Insets(20));
        card.setPrefWidth(560);
        card.setId("code-card");
        CodeCall[] joined = new CodeCall[1];
        copy.setOnAction(e -> copyText(mine.getText()));
        join.setOnAction(e -> {
            join.setDisable(true);
            error.setText("");
            model.joinByCode(theirs.getText()).whenComplete((codeCall, failure) -> { // on the FX thread
                if (failure != null) {
                    error.setText(model.badCode(failure));
                    join.setDisable(false);
                    return;
                }
                if (!dialogs.showing(card)) {
                    CompletableFuture.runAsync(codeCall::close); // cancelled while it was being set up
                    return;
                }
                joined[0] = codeCall;
                theirs.setEditable(false);
                step.setText(text.get("code.gathering"));
                model.codeOf(codeCall).whenComplete((code, noCode) -> {
                    if (noCode != null) {
                        error.setText(model.badCode(noCode));
                        return;
                    }
                    mine.setText(code.text());
                    mine.setVisible(true);
                    step.setText(text.get("code.sendAnswer"));
                });
                model.settledOf(codeCall)
                        .thenAccept(state -> joinedCallMoved(
                                card, codeCall, codeCall.session().join(), state, error));
            });
        });
        cancel.setOnAction(e -> {
            dialogs.close(card);
            if (joined[0] != null) {
                CompletableFuture.runAsync(joined[0]::close);
            }
        });
        dialogs.show(card, cancel::fire);
        theirs.requestFocus();
    }

    /** The joined call connected (the card gives way to the call) or ended before it could (the card says so). */
    private void joinedCallMoved(VBox card, CodeCall codeCall, CallSession session, CallState state, Label error) {
        if (!dialogs.showing(card)) {
            CompletableFuture.runAsync(codeCall::close); // cancelled meanwhile: no call without a window
            return;
        }
        if (state == CallState.CONNECTED) {
            dialogs.close(card);
            showCall.accept(model.open(codeCall, session));
        } else {
            error.setText(text.get("code.notConnected"));
        }
    }

    /** The card's main button: plays the pasted code (Enter). */
    private Button playButton(String key) {
        Button play = new Button(text.get(key));
        play.setId("play-code");
        play.getStyleClass().add("accent");
        play.setDefaultButton(true);
        return play;
    }

    private Button cancelButton() {
        Button cancel = new Button(text.get("common.cancel"));
        cancel.setId("cancel-code");
        cancel.setCancelButton(true);
        return cancel;
    }

    private static HBox buttons(Button play, Button cancel) {
        HBox buttons = new HBox(10, play, cancel);
        buttons.setAlignment(Pos.CENTER_RIGHT);
        return buttons;
    }

    /** "QR code": shows this side's code as a QR code instead of text (and back). */
    private ToggleButton qrToggle() {
        ToggleButton qr = new ToggleButton(text.get("code.qr"));
        qr.setId("show-qr");
        return qr;
    }

    /**
     * The QR code of what {@code mine} holds, shown in its place while {@code toggle} is on; a code too long for a
     * QR code says so instead.
     */
    private ImageView qrImage(TextArea mine, ToggleButton toggle) {
        ImageView view = new ImageView();
        view.setId("code-qr");
        view.setAccessibleText(text.get("code.qr"));
        view.setVisible(false);
        view.managedProperty().bind(view.visibleProperty());
        boolean[] mineWasVisible = {true};
        toggle.selectedProperty().addListener((o, was, on) -> {
            if (on) {
                var image = QrCodes.image(mine.getText(), 2);
                if (image == null) {
                    toggle.setSelected(false);
                    toggle.setDisable(true);
                    toggle.setText(text.get("code.qrTooLong"));
                    return;
                }
                view.setImage(image);
                mineWasVisible[0] = mine.isVisible();
                mine.setVisible(false);
                view.setVisible(true);
            } else {
                view.setVisible(false);
                mine.setVisible(mineWasVisible[0]);
            }
        });
        return view;
    }

    private static void copyText(String s) {
        ClipboardContent content = new ClipboardContent();
        content.putString(s);
        Clipboard.getSystemClipboard().setContent(content);
    }
}
