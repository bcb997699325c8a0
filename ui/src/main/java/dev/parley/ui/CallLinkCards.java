package dev.parley.ui;

import java.util.function.Consumer;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cards a {@code parley:} link opens over the window: "Call bob?" with Call / Cancel, asked before anything is
 * dialed (a web page or another program can open a link), or a message that a link cannot be opened. One at a
 * time: a newer link's card replaces the one shown. FX thread.
 */
final class CallLinkCards {
    private static final Logger log = LoggerFactory.getLogger(CallLinkCards.class);

    private final Messages text;
    private final DialogHost dialogs;
    private final Consumer<String> call;
    private Node shown;

    /** @param call dials a user once the question is answered with Call */
    CallLinkCards(Messages text, DialogHost dialogs, Consumer<String> call) {
        this.text = text;
        this.dialogs = dialogs;
        this.call = call;
    }

    /** Asks whether to call {@code user}; Call dials, Cancel or Escape does nothing. */
    void ask(String user) {
        log.info("Asking to call {} (a link)", user);
        Label question = new Label(text.get("link.ask", user));
        question.setId("link-question");
        question.getStyleClass().add("title-4");
        Label detail = new Label(text.get("link.askDetail", user));
        detail.setWrapText(true);
        Button yes = new Button(text.get("home.call"));
        yes.setId("link-call");
        yes.getStyleClass().add("success");
        Button no = new Button(text.get("common.cancel"));
        no.setId("link-cancel");
        no.setCancelButton(true);
        no.getStyleClass().add("focus-first"); // a stray Enter must not dial
        VBox card = card("link-card", question, detail, yes, no);
        yes.setOnAction(e -> {
            close(card);
            log.info("Calling {}: the link was confirmed", user);
            call.accept(user);
        });
        no.setOnAction(e -> {
            close(card);
            log.info("Not calling {}: the link was cancelled", user);
        });
        show(card);
    }

    /** Says that a link cannot be opened; {@code link} is already fit to show ({@link LaunchRequest#badLink}). */
    void badLink(String link) {
        log.info("Showing that a link cannot be opened: {}", link);
        Label message = new Label(text.get("link.bad", link));
        message.setId("link-bad");
        message.setWrapText(true);
        Label detail = new Label(text.get("link.badDetail"));
        detail.setWrapText(true);
        Button ok = new Button(text.get("common.ok"));
        ok.setId("link-ok");
        ok.setDefaultButton(true);
        ok.getStyleClass().add("focus-first");
        VBox card = card("link-bad-card", message, detail, ok);
        ok.setOnAction(e -> close(card));
        show(card);
    }

    private static VBox card(String id, Label title, Label detail, Button... actions) {
        HBox buttons = new HBox(10, actions);
        buttons.setAlignment(Pos.CENTER_RIGHT);
        VBox card = new VBox(12, title, detail, buttons);
        card.setPadding(new Insets(20));
        card.setPrefWidth(400);
        card.setId(id);
        return card;
    }

    private void show(VBox card) {
        close(shown);
        shown = card;
        dialogs.show(card, () -> close(card));
    }

    private void close(Node card) {
        if (card != null) {
            dialogs.close(card);
            if (shown == card) {
                shown = null;
            }
        }
    }

    /** Takes a card away if one is up. Idempotent. */
    void dispose() {
        close(shown);
    }
}
