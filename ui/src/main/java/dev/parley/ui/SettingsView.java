package dev.parley.ui;

import dev.parley.call.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Function;
import javafx.beans.property.Property;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextArea;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;
import javafx.util.Subscription;

/**
 * Shows the settings card, bound to its {@link SettingsViewModel}: devices with a live camera preview and a
 * microphone level meter, video quality, the user's own STUN/TURN servers, the server, start at login, theme and
 * language.
 */
final class SettingsView extends VBox {
    private final Messages text;
    private final List<Runnable> unbindings = new ArrayList<>();
    private final VideoView previewVideo;
    private final Subscription subscriptions;

    /**
     * @param otherServer "connect to another server": back to the sign-in form
     * @param close       closes the card (Cancel, or once saved)
     */
    SettingsView(SettingsViewModel model, Messages text, Executor fx, Runnable otherServer, Runnable close) {
        super(12);
        this.text = text;
        setId("settings");
        setPadding(new Insets(20));
        setPrefWidth(640);
        Label title = new Label(text.get("settings.title"));
        title.getStyleClass().add("title-3");

        ComboBox<String> camera = deviceBox("settings-camera", model.camera());
        ComboBox<String> microphone = deviceBox("settings-microphone", model.microphone());
        ComboBox<String> speaker = deviceBox("settings-speaker", model.speaker());
        ComboBox<String> quality = choiceBox(
                "settings-quality",
                Settings.VIDEO_QUALITIES,
                model.quality(),
                q -> text.get("quality.video." + q.replace('@', '_')));
        ComboBox<String> theme = choiceBox(
                "settings-theme", SettingsViewModel.THEMES, model.theme(), t -> text.get("settings.theme." + t));
        ComboBox<String> language = choiceBox(
                "settings-language",
                SettingsViewModel.LANGUAGES,
                model.language(),
                l -> text.get("settings.language." + l));
        CheckBox startAtLogin = new CheckBox(text.get("settings.startAtLogin"));
        startAtLogin.setId("settings-start-at-login");
        both(startAtLogin.selectedProperty(), model.startAtLogin());
        TextArea iceServers = iceServerArea(model);

        previewVideo = new VideoView(fx);
        previewVideo.setMirrored(true);
        Label noCamera = new Label(text.get("settings.noCamera"));
        noCamera.visibleProperty().bind(model.camera().none());
        StackPane preview = new StackPane(previewVideo, noCamera);
        preview.getStyleClass().add("settings-preview");
        preview.setPrefSize(240, 135);
        preview.setMaxSize(240, 135);
        preview.setAccessibleText(text.get("settings.preview"));
        ProgressBar level = new ProgressBar(0);
        level.setId("settings-level");
        level.setPrefWidth(240);
        level.setAccessibleText(text.get("settings.level"));
        level.progressProperty().bind(model.level());
        Label levelNote = new Label();
        levelNote.getStyleClass().addAll("text-muted", "text-small");
        levelNote.textProperty().bind(model.levelNote());

        GridPane form = new GridPane();
        form.setHgap(12);
        form.setVgap(10);
        int row = 0;
        form.addRow(row++, label("settings.server", null), serverSection(model, otherServer));
        form.addRow(row++, label("settings.camera", camera), camera);
        form.add(preview, 1, row++);
        form.addRow(row++, label("settings.microphone", microphone), microphone);
        form.add(new VBox(4, level, levelNote), 1, row++);
        form.addRow(row++, label("settings.speaker", speaker), speaker);
        form.addRow(row++, label("settings.quality", quality), quality);
        form.addRow(row++, label("settings.iceServers", iceServers), iceServers);
        form.addRow(row++, label("settings.theme", theme), theme);
        form.addRow(row++, label("settings.language", language), language);
        form.addRow(row++, label("settings.downloads", null), downloadsRow(model));
        form.add(startAtLogin, 1, row++);
        Label languageNote = new Label(text.get("settings.languageNote"));
        languageNote.getStyleClass().addAll("text-muted", "text-small");
        form.add(languageNote, 1, row);

        Label error = new Label();
        error.setId("settings-error");
        error.getStyleClass().add("danger");
        error.setWrapText(true);
        error.textProperty().bind(model.error());
        error.visibleProperty().bind(model.error().isNotNull());
        error.managedProperty().bind(error.visibleProperty());
        Button save = new Button(text.get("common.save"));
        save.setId("settings-save");
        save.setDefaultButton(true);
        save.getStyleClass().add("accent");
        save.disableProperty().bind(model.saving());
        save.setOnAction(e -> model.save()
                .thenAccept(
                        saved -> { // on the FX thread
                            if (saved) {
                                Theme.apply(model.theme().get());
                                close.run();
                            }
                        }));
        Button cancel = new Button(text.get("common.cancel"));
        cancel.setId("settings-cancel");
        cancel.setCancelButton(true);
        cancel.setOnAction(e -> close.run());
        HBox buttons = new HBox(10, save, cancel);
        buttons.setAlignment(Pos.CENTER_RIGHT);
        ScrollPane scroll = new ScrollPane(form);
        scroll.setFitToWidth(true);
        scroll.setPrefViewportHeight(440);
        getChildren().addAll(title, scroll, error, buttons);
        theme.getStyleClass().add("focus-first");

        subscriptions = model.preview().subscribe(sink -> {
            if (sink != null) {
                previewVideo.attach(sink);
            } else {
                previewVideo.detach();
            }
        });
    }

    /** Where received files go: the folder (the desktop's own unless chosen), Choose… and Default. */
    private HBox downloadsRow(SettingsViewModel model) {
        Label folder = new Label();
        folder.setId("settings-downloads");
        folder.setWrapText(true);
        folder.textProperty()
                .bind(javafx.beans.binding.Bindings.createStringBinding(
                        () -> {
                            java.nio.file.Path p = model.downloadFolder().get();
                            java.nio.file.Path d = model.defaultDownloads().get();
                            return p != null ? p.toString() : d != null ? d.toString() : "";
                        },
                        model.downloadFolder(),
                        model.defaultDownloads()));
        Button choose = new Button(text.get("settings.downloads.choose"));
        choose.setId("settings-downloads-choose");
        choose.setAccessibleText(text.get("settings.downloads") + ": " + text.get("settings.downloads.choose"));
        choose.setMinWidth(USE_PREF_SIZE);
        choose.setOnAction(e -> {
            javafx.stage.DirectoryChooser chooser = new javafx.stage.DirectoryChooser();
            chooser.setTitle(text.get("settings.downloads"));
            java.nio.file.Path start = model.chooserStart().get(); // looked at off the FX thread
            if (start != null) {
                chooser.setInitialDirectory(start.toFile());
            }
            java.io.File picked = chooser.showDialog(getScene().getWindow());
            if (picked != null) {
                model.chooseFolder(picked.toPath().toAbsolutePath());
            }
        });
        Button reset = new Button(text.get("settings.downloads.default"));
        reset.setId("settings-downloads-default");
        reset.setMinWidth(USE_PREF_SIZE);
        reset.disableProperty().bind(model.downloadFolder().isNull());
        reset.setOnAction(e -> model.downloadFolder().set(null));
        HBox row = new HBox(8, folder, choose, reset);
        row.setAlignment(Pos.CENTER_LEFT);
        HBox.setHgrow(folder, javafx.scene.layout.Priority.ALWAYS);
        return row;
    }

    private ComboBox<String> deviceBox(String id, SettingsViewModel.DeviceChoice choice) {
        ComboBox<String> box = new ComboBox<>(choice.names());
        box.setId(id);
        box.setMaxWidth(Double.MAX_VALUE);
        box.promptTextProperty().bind(choice.prompt());
        box.disableProperty().bind(choice.none());
        both(box.valueProperty(), choice.chosen());
        return box;
    }

    private ComboBox<String> choiceBox(
            String id, List<String> values, Property<String> value, Function<String, String> show) {
        ComboBox<String> box = new ComboBox<>();
        box.setId(id);
        box.getItems().setAll(values);
        box.setConverter(new StringConverter<>() {
            @Override
            public String toString(String v) {
                return v == null ? "" : show.apply(v);
            }

            @Override
            public String fromString(String s) {
                return s;
            }
        });
        both(box.valueProperty(), value);
        return box;
    }

    private TextArea iceServerArea(SettingsViewModel model) {
        TextArea area = new TextArea();
        area.setId("settings-ice-servers");
        area.setPrefRowCount(3);
        area.setPromptText("stun:stun.example.org:3478\nturn:turn.example.org:3478 user password");
        area.setAccessibleText(text.get("settings.iceServers"));
        both(area.textProperty(), model.iceServers());
        // A text area keeps Tab as a character; here it moves on, as everywhere else, or the keyboard is stuck in
        // it (a server line never holds a tab). The text area's own traversal key is Ctrl+Tab: hand it that.
        area.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.TAB && !e.isControlDown()) {
                e.consume();
                area.fireEvent(
                        new KeyEvent(KeyEvent.KEY_PRESSED, "", "", KeyCode.TAB, e.isShiftDown(), true, false, false));
            }
        });
        return area;
    }

    /**
     * Which server: the built-in one (with "host calls on this network", what hosting exposes, and the addresses and
     * join code to give others) or another; and the way to switch to another.
     */
    private VBox serverSection(SettingsViewModel model, Runnable otherServer) {
        VBox box = new VBox(6);
        Label which = new Label();
        which.setId("settings-server");
        which.setWrapText(true);
        which.textProperty().bind(model.server());
        box.getChildren().add(which);
        if (model.builtIn().get()) {
            CheckBox host = new CheckBox(text.get("settings.hostOnNetwork"));
            host.setId("settings-host-on-network");
            both(host.selectedProperty(), model.hostOnNetwork());
            host.disableProperty().bind(model.hostBusy());
            host.setOnAction(e -> model.applyHostOnNetwork());
            Label about = new Label(text.get("settings.hostAbout"));
            about.setId("settings-host-about");
            about.setWrapText(true);
            about.getStyleClass().add("text-small");
            Label addresses = new Label();
            addresses.setId("settings-host-addresses");
            addresses.setWrapText(true);
            addresses.getStyleClass().add("text-small");
            addresses.textProperty().bind(model.hostAddresses());
            Label codeCaption = new Label(text.get("settings.joinCode"));
            codeCaption.setWrapText(true);
            Label code = new Label();
            code.setId("settings-host-join-code");
            code.setMinWidth(USE_PREF_SIZE); // the code is never cut short
            code.getStyleClass().add("join-code");
            code.textProperty().bind(model.joinCode());
            HBox codeRow = new HBox(10, codeCaption, code);
            codeRow.setAlignment(Pos.BASELINE_LEFT);
            codeRow.visibleProperty().bind(model.joinCode().isNotNull());
            codeRow.managedProperty().bind(codeRow.visibleProperty());
            box.getChildren().addAll(host, about, addresses, codeRow);
        }
        Hyperlink other = new Hyperlink(text.get("settings.otherServer"));
        other.setId("settings-other-server");
        other.setOnAction(e -> otherServer.run());
        box.getChildren().add(other);
        return box;
    }

    private Label label(String key, Node field) {
        Label l = new Label(text.get(key));
        l.setMinWidth(USE_PREF_SIZE);
        if (field != null) {
            l.setLabelFor(field);
            field.setAccessibleText(text.get(key));
        }
        return l;
    }

    /** A two-way binding, undone by {@link #dispose()}. */
    private <T> void both(Property<T> control, Property<T> model) {
        control.bindBidirectional(model);
        unbindings.add(() -> control.unbindBidirectional(model));
    }

    /** Lets go of the model (its properties outlive this card) and of the preview's picture. FX thread. */
    void dispose() {
        subscriptions.unsubscribe();
        unbindings.forEach(Runnable::run);
        unbindings.clear();
        previewVideo.detach();
    }
}
