package dev.parley.ui;

import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/** The call's chat panel: the lines so far (ours, theirs, unsent ones marked) and a field to send one. */
final class ChatPanel extends VBox {
    private final CallViewModel model;
    private final ListView<CallViewModel.ChatLine> lines;
    private final TextField input = new TextField();
    private final ListChangeListener<CallViewModel.ChatLine> scroll;

    ChatPanel(CallViewModel model, Messages text) {
        super(8);
        this.model = model;
        lines = new ListView<>(model.chat());
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
        scroll = c -> lines.scrollTo(model.chat().size() - 1);
        model.chat().addListener(scroll);

        input.setId("chat-input");
        input.setPromptText(text.get("chat.prompt"));
        input.setAccessibleText(text.get("chat.prompt"));
        Button send = new Button(text.get("chat.send"));
        send.setId("chat-send");
        input.setOnAction(e -> submit());
        send.setOnAction(e -> submit());
        HBox.setHgrow(input, Priority.ALWAYS);
        Label title = new Label(text.get("call.chat"));
        title.getStyleClass().add("title-4");
        getChildren().addAll(title, lines, new HBox(6, input, send));
        VBox.setVgrow(lines, Priority.ALWAYS);
        setPadding(new Insets(10));
        setPrefWidth(320);
        setId("chat-panel");
    }

    private void submit() {
        model.sendChat(input.getText());
        input.clear();
    }

    void focusInput() {
        input.requestFocus();
    }

    /** Stops following the chat. FX thread; idempotent. */
    void dispose() {
        model.chat().removeListener(scroll);
        lines.setItems(null);
    }
}
