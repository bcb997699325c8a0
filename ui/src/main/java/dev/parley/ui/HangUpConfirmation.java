package dev.parley.ui;

import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/**
 * Asks before a call is hung up from the keyboard (Esc, Ctrl+W): a stray key should not end a call. A card over
 * the call; Escape on it means "keep talking".
 */
final class HangUpConfirmation {
    private final DialogHost dialogs;
    private final VBox card;

    HangUpConfirmation(CallViewModel model, Messages text, DialogHost dialogs) {
        this.dialogs = dialogs;
        Label question = new Label(text.get("call.confirmHangup", model.peer()));
        Button yes = new Button(text.get("call.hangup"));
        yes.setId("confirm-hang-up");
        yes.getStyleClass().addAll("danger", "focus-first");
        yes.setDefaultButton(true);
        Button no = new Button(text.get("call.keepTalking"));
        no.setId("keep-talking");
        HBox buttons = new HBox(10, yes, no);
        buttons.setAlignment(Pos.CENTER_RIGHT);
        card = new VBox(14, question, buttons);
        card.setPadding(new Insets(20));
        card.setId("confirm-hang-up-card");
        yes.setOnAction(e -> {
            close();
            model.hangup();
        });
        no.setOnAction(e -> close());
    }

    /** Asks, unless it is asking already. */
    void show() {
        if (!showing()) {
            dialogs.show(card, this::close);
        }
    }

    boolean showing() {
        return dialogs.showing(card);
    }

    void close() {
        dialogs.close(card);
    }

    /** Takes the question away if it is up. FX thread; idempotent. */
    void dispose() {
        close();
    }
}
