package dev.parley.ui;

import java.util.concurrent.Executor;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/**
 * Hosts the in-window dialogs: each a card over a dimmed window, on top of whatever is shown, without a nested
 * event loop (nothing on the FX thread waits for an answer). Escape closes the top card unless it says otherwise.
 * While a card is up, what lies behind it is inert: the keyboard (Tab) and the mouse stay in the card.
 */
final class DialogHost extends StackPane {
    private final Executor fx;
    private Node behind;

    /** @param fx where the first control is focused once a card is laid out */
    DialogHost(Executor fx) {
        this.fx = fx;
        setPickOnBounds(false);
        getStyleClass().add("overlays");
    }

    /** The window's content, made inert while a card is shown. */
    void guard(Node content) {
        behind = content;
    }

    /** Shows a card; {@code onEscape} runs on Escape (null: Escape closes it). */
    void show(Node card, Runnable onEscape) {
        VBox holder = new VBox(card);
        holder.setFillWidth(false);
        holder.setAlignment(Pos.CENTER);
        holder.setPadding(new Insets(24));
        holder.getStyleClass().add("overlay-scrim");
        holder.setMaxSize(Double.MAX_VALUE, Double.MAX_VALUE);
        if (!card.getStyleClass().contains("card-pane")) {
            card.getStyleClass().add("card-pane");
        }
        holder.addEventHandler(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ESCAPE) {
                e.consume();
                if (onEscape != null) {
                    onEscape.run();
                } else {
                    close(card);
                }
            }
        });
        getChildren().add(holder);
        if (behind != null) {
            behind.setDisable(true);
        }
        card.requestFocus();
        fx.execute(() -> focusFirst(card)); // once the card is laid out
    }

    void close(Node card) {
        getChildren().removeIf(h -> h instanceof VBox v && v.getChildren().contains(card));
        if (behind != null && getChildren().isEmpty()) {
            behind.setDisable(false);
        }
    }

    boolean showing(Node card) {
        return getChildren().stream()
                .anyMatch(h -> h instanceof VBox v && v.getChildren().contains(card));
    }

    boolean isEmpty() {
        return getChildren().isEmpty();
    }

    private static void focusFirst(Node card) {
        Node first = card.lookup(".focus-first");
        (first != null ? first : card).requestFocus();
    }
}
