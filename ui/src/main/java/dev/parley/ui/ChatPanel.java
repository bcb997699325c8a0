package dev.parley.ui;

import dev.parley.call.FileTransfer;
import java.io.File;
import java.util.List;
import java.util.Locale;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;

/** The call's chat panel: the lines so far (ours, theirs, unsent ones marked) and a field to send one. */
final class ChatPanel extends VBox {
    private final CallViewModel model;
    private final ListView<CallViewModel.ChatLine> lines;
    private final TextField input = new TextField();
    private final ListChangeListener<CallViewModel.ChatLine> scroll;
    private final ListView<FileTransfer> files;
    private final Label fileProblem = new Label();

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

        files = new ListView<>(model.files());
        files.setId("chat-files");
        files.setAccessibleText(text.get("file.list"));
        files.setPrefHeight(120);
        files.setCellFactory(l -> new FileCell(model, text));
        // Only when there is a file: the list takes room from the chat.
        files.visibleProperty().bind(javafx.beans.binding.Bindings.isNotEmpty(model.files()));
        files.managedProperty().bind(files.visibleProperty());
        fileProblem.setId("file-problem");
        fileProblem.getStyleClass().addAll("danger", "text-small");
        fileProblem.setWrapText(true);
        fileProblem
                .textProperty()
                .bind(javafx.beans.binding.Bindings.createStringBinding(
                        () -> {
                            CallViewModel.FileProblem p = model.fileProblem().get();
                            return p == null ? null : text.get(p.key(), p.name(), p.reason());
                        },
                        model.fileProblem()));
        fileProblem.visibleProperty().bind(model.fileProblem().isNotNull());
        fileProblem.managedProperty().bind(fileProblem.visibleProperty());

        Button attach = new Button(null, Icons.icon(Icons.ATTACH)); // a paperclip: the field keeps its room
        attach.setId("file-attach");
        attach.setAccessibleText(text.get("file.attach"));
        attach.setTooltip(new Tooltip(text.get("file.attach")));
        attach.setMinWidth(Region.USE_PREF_SIZE);
        attach.setOnAction(e -> {
            FileChooser chooser = new FileChooser();
            chooser.setTitle(text.get("file.attach"));
            List<File> chosen = chooser.showOpenMultipleDialog(getScene().getWindow());
            if (chosen != null) {
                model.sendFiles(chosen.stream().map(File::toPath).toList());
            }
        });

        input.setId("chat-input");
        input.setPromptText(text.get("chat.prompt"));
        input.setAccessibleText(text.get("chat.prompt"));
        Button send = new Button(text.get("chat.send"));
        send.setId("chat-send");
        send.setMinWidth(Region.USE_PREF_SIZE); // the field gives way, not the button's word
        input.setOnAction(e -> submit());
        send.setOnAction(e -> submit());
        HBox.setHgrow(input, Priority.ALWAYS);
        Label title = new Label(text.get("call.chat"));
        title.getStyleClass().add("title-4");
        getChildren().addAll(title, lines, files, fileProblem, new HBox(6, attach, input, send));
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
        files.visibleProperty().unbind();
        files.setItems(null);
        fileProblem.textProperty().unbind();
        fileProblem.visibleProperty().unbind();
    }

    /** One file: who sends it, its name and size, where it stands, and what can be done with it now. */
    private static final class FileCell extends ListCell<FileTransfer> {
        private final CallViewModel model;
        private final Messages text;

        FileCell(CallViewModel model, Messages text) {
            this.model = model;
            this.text = text;
        }

        @Override
        protected void updateItem(FileTransfer t, boolean empty) {
            super.updateItem(t, empty);
            if (empty || t == null) {
                setGraphic(null);
                setText(null);
                return;
            }
            Label what =
                    new Label(text.get(t.sending() ? "file.sending" : "file.receiving", t.name(), megabytes(t.size())));
            what.setWrapText(true);
            Label state = new Label(status(t));
            state.setId("file-status-" + t.id());
            state.setWrapText(true);
            VBox box = new VBox(4, what);
            if (t.status() == FileTransfer.Status.MOVING || t.status() == FileTransfer.Status.CHECKING) {
                ProgressBar bar = new ProgressBar(t.size() == 0 ? 1 : (double) t.bytes() / t.size());
                bar.setMaxWidth(Double.MAX_VALUE);
                box.getChildren().add(bar);
            }
            box.getChildren().add(state);
            HBox actions = new HBox(6);
            if (!t.sending() && t.status() == FileTransfer.Status.OFFERED) {
                actions.getChildren().add(button("file.save", "file-save-" + t.id(), () -> model.saveFile(t.id())));
                actions.getChildren()
                        .add(button("file.decline", "file-decline-" + t.id(), () -> model.declineFile(t.id())));
            } else if (!t.status().over()) {
                actions.getChildren()
                        .add(button("file.cancel", "file-cancel-" + t.id(), () -> model.cancelFile(t.id())));
            } else if (!t.sending() && t.status() == FileTransfer.Status.DONE && t.savedAs() != null) {
                if (CallViewModel.mayOpen(t)) {
                    actions.getChildren().add(button("file.open", "file-open-" + t.id(), () -> model.openFile(t)));
                } else {
                    Label runnable = new Label(text.get("file.runnable"));
                    runnable.getStyleClass().addAll("text-muted", "text-small");
                    runnable.setWrapText(true);
                    box.getChildren().add(runnable);
                }
                actions.getChildren().add(button("file.show", "file-show-" + t.id(), () -> model.showFile(t)));
            }
            if (!actions.getChildren().isEmpty()) {
                box.getChildren().add(actions);
            }
            setText(null);
            setGraphic(box);
            setPrefWidth(0);
        }

        private Button button(String key, String id, Runnable action) {
            Button b = new Button(text.get(key));
            b.setId(id);
            b.setOnAction(e -> action.run());
            return b;
        }

        private String status(FileTransfer t) {
            return switch (t.status()) {
                case OFFERED -> text.get(t.sending() ? "file.waiting" : "file.offered");
                case MOVING -> {
                    double rate = t.megabytesPerSecond();
                    long left = rate <= 0 ? -1 : Math.round((t.size() - t.bytes()) / (rate * 1e6));
                    yield text.get(
                            "file.moving",
                            megabytes(t.bytes()),
                            megabytes(t.size()),
                            String.format(Locale.ROOT, "%.1f", rate),
                            left < 0 ? "…" : Long.toString(left));
                }
                case CHECKING -> text.get("file.checking");
                case DONE ->
                    t.savedAs() != null ? text.get("file.saved", t.savedAs().toString()) : text.get("file.delivered");
                case DECLINED -> text.get("file.declined");
                case CANCELLED -> text.get("file.cancelled");
                case FAILED -> text.get("file.failed", t.reason() == null ? "" : t.reason());
            };
        }

        private static String megabytes(long bytes) {
            return String.format(Locale.ROOT, "%.1f", bytes / 1e6);
        }
    }
}
