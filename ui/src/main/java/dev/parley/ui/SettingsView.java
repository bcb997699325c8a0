package dev.parley.ui;

import dev.parley.call.ClientService;
import dev.parley.call.IceServerLines;
import dev.parley.call.Settings;
import dev.parley.media.LocalPreview;
import dev.parley.media.MediaEngine;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/**
 * Settings: devices with a live camera preview and a microphone level meter, video quality, the user's own
 * STUN/TURN servers, start at login, theme and language. Devices come from the media engine's probe, which runs
 * off the FX thread at start; until it is done the device lists say so. Nothing is saved until Save.
 */
final class SettingsView extends VBox implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SettingsView.class);

    /** Where the settings go besides the store: the theme is applied at once, the autostart entry written. */
    interface Effects {
        void applyTheme(String theme);

        void setStartAtLogin(boolean on) throws IOException;
    }

    private final ClientService service;
    private final Messages text;
    private final Executor fx;
    private final ExecutorService background;
    private final ComboBox<String> camera = new ComboBox<>();
    private final ComboBox<String> microphone = new ComboBox<>();
    private final ComboBox<String> speaker = new ComboBox<>();
    private final ComboBox<String> quality = new ComboBox<>();
    private final ComboBox<String> theme = new ComboBox<>();
    private final ComboBox<String> language = new ComboBox<>();
    private final CheckBox startAtLogin = new CheckBox();
    private final TextArea iceServers = new TextArea();
    private final Label error = new Label();
    private final StackPane preview = new StackPane();
    private final ProgressBar level = new ProgressBar(0);
    private final Label levelNote = new Label();
    private final VideoView previewVideo;
    private LocalPreview cameraPreview; // FX thread
    private MicrophoneMeter meter; // FX thread
    private long previewRequests; // FX thread
    private boolean closed;

    SettingsView(ClientService service, Messages text, Executor fx, ExecutorService background, LocalServer local,
                 Runnable otherServer, Effects effects, Consumer<SettingsView> close) {
        super(12);
        this.service = service;
        this.text = text;
        this.fx = fx;
        this.background = background;
        setId("settings");
        setPadding(new Insets(20));
        setPrefWidth(640);
        previewVideo = new VideoView(fx);
        previewVideo.setMirrored(true);

        Settings s = service.settings().get();
        Label title = new Label(text.get("settings.title"));
        title.getStyleClass().add("title-3");

        camera.setId("settings-camera");
        microphone.setId("settings-microphone");
        speaker.setId("settings-speaker");
        for (ComboBox<String> box : List.of(camera, microphone, speaker)) {
            box.setPromptText(text.get("settings.probing"));
            box.setMaxWidth(Double.MAX_VALUE);
        }
        quality.setId("settings-quality");
        quality.getItems().setAll(Settings.VIDEO_QUALITIES);
        quality.setValue(s.videoQuality());
        quality.setConverter(converter(q -> text.get("quality.video." + q.replace('@', '_'))));
        theme.setId("settings-theme");
        theme.getItems().setAll("light", "dark");
        theme.setValue(s.theme());
        theme.setConverter(converter(t -> text.get("settings.theme." + t)));
        language.setId("settings-language");
        language.getItems().setAll("en", "ru");
        language.setValue(s.language());
        language.setConverter(converter(l -> text.get("settings.language." + l)));
        startAtLogin.setId("settings-start-at-login");
        startAtLogin.setText(text.get("settings.startAtLogin"));
        startAtLogin.setSelected(Boolean.TRUE.equals(s.startAtLogin()));
        iceServers.setId("settings-ice-servers");
        iceServers.setPrefRowCount(3);
        iceServers.setPromptText("stun:stun.example.org:3478\nturn:turn.example.org:3478 user password");
        iceServers.setText(String.join("\n", s.iceServers()));
        iceServers.setAccessibleText(text.get("settings.iceServers"));
        // A text area keeps Tab as a character; here it moves on, as everywhere else, or the keyboard is stuck in
        // it (a server line never holds a tab). The text area's own traversal key is Ctrl+Tab: hand it that.
        iceServers.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.TAB && !e.isControlDown()) {
                e.consume();
                iceServers.fireEvent(new KeyEvent(KeyEvent.KEY_PRESSED, "", "", KeyCode.TAB, e.isShiftDown(), true,
                        false, false));
            }
        });

        preview.setPrefSize(240, 135);
        preview.setMaxSize(240, 135);
        preview.setStyle("-fx-background-color: black;");
        preview.getChildren().add(previewVideo);
        preview.setAccessibleText(text.get("settings.preview"));
        level.setId("settings-level");
        level.setPrefWidth(240);
        level.setAccessibleText(text.get("settings.level"));
        levelNote.getStyleClass().addAll("text-muted", "text-small");

        GridPane form = new GridPane();
        form.setHgap(12);
        form.setVgap(10);
        int row = 0;
        form.addRow(row++, label("settings.server", null), serverSection(s, local, otherServer));
        form.addRow(row++, label("settings.camera", camera), camera);
        form.add(preview, 1, row++);
        form.addRow(row++, label("settings.microphone", microphone), microphone);
        form.add(new VBox(4, level, levelNote), 1, row++);
        form.addRow(row++, label("settings.speaker", speaker), speaker);
        form.addRow(row++, label("settings.quality", quality), quality);
        form.addRow(row++, label("settings.iceServers", iceServers), iceServers);
        form.addRow(row++, label("settings.theme", theme), theme);
        form.addRow(row++, label("settings.language", language), language);
        form.add(startAtLogin, 1, row++);
        Label languageNote = new Label(text.get("settings.languageNote"));
        languageNote.getStyleClass().addAll("text-muted", "text-small");
        form.add(languageNote, 1, row);

        error.setId("settings-error");
        error.getStyleClass().add("danger");
        error.setWrapText(true);
        error.managedProperty().bind(error.visibleProperty());
        error.setVisible(false);
        Button save = new Button(text.get("common.save"));
        save.setId("settings-save");
        save.setDefaultButton(true);
        save.getStyleClass().add("accent");
        Button cancel = new Button(text.get("common.cancel"));
        cancel.setId("settings-cancel");
        cancel.setCancelButton(true);
        cancel.setOnAction(e -> close.accept(this));
        save.setOnAction(e -> save(effects, save, () -> close.accept(this)));
        HBox buttons = new HBox(10, save, cancel);
        buttons.setAlignment(Pos.CENTER_RIGHT);
        ScrollPane scroll = new ScrollPane(form);
        scroll.setFitToWidth(true);
        scroll.setPrefViewportHeight(440);
        getChildren().addAll(title, scroll, error, buttons);
        theme.getStyleClass().add("focus-first");

        // Devices: once the engine has probed them (never on the FX thread).
        service.media().thenAcceptAsync(media -> showDevices(media, s), fx);
        camera.valueProperty().addListener((o, a, b) -> startPreview(b));
        microphone.valueProperty().addListener((o, a, b) -> startMeter(b));
    }

    private void showDevices(MediaEngine media, Settings s) {
        if (closed) {
            return;
        }
        fill(camera, media.devices().cameraNames(), s.camera(), "settings.noCamera");
        fill(microphone, media.devices().microphoneNames(), s.microphone(), "settings.noMicrophone");
        fill(speaker, media.devices().speakerNames(), s.speaker(), "settings.noSpeaker");
        if (camera.getItems().isEmpty()) {
            Label none = new Label(text.get("settings.noCamera"));
            none.setStyle("-fx-text-fill: #dddddd;");
            preview.getChildren().setAll(none);
        }
        if (microphone.getItems().isEmpty()) {
            startMeter(null); // the default line, if Java Sound has one (a chosen microphone starts it otherwise)
        }
    }

    private void fill(ComboBox<String> box, List<String> names, String chosen, String noneKey) {
        box.getItems().setAll(names);
        box.setPromptText(names.isEmpty() ? text.get(noneKey) : null);
        box.setDisable(names.isEmpty());
        if (!names.isEmpty()) {
            box.setValue(names.contains(chosen) ? chosen : names.get(0));
        }
    }

    private void startPreview(String name) {
        stopPreview();
        long request = ++previewRequests; // a later choice makes this one stale
        MediaEngine media = service.media().getNow(null);
        if (name == null || media == null || closed) {
            return;
        }
        media.devices().camera(name).ifPresent(device ->
                background.execute(() -> { // opening a camera can take a while
                    try {
                        LocalPreview p = LocalPreview.camera(media, device, 640, 360, 30);
                        fx.execute(() -> {
                            if (closed || request != previewRequests) {
                                background.execute(p::close);
                                return;
                            }
                            cameraPreview = p;
                            previewVideo.attach(p.sink());
                        });
                    } catch (RuntimeException e) {
                        log.warn("No camera preview for {}: {}", name, e.toString());
                    }
                }));
    }

    private void stopPreview() {
        previewRequests++; // an open still under way is closed when it arrives
        previewVideo.detach();
        if (cameraPreview != null) {
            LocalPreview p = cameraPreview;
            cameraPreview = null;
            background.execute(p::close);
        }
    }

    private void startMeter(String name) {
        if (meter != null) {
            meter.close();
        }
        if (closed) {
            return;
        }
        levelNote.setText(null);
        meter = new MicrophoneMeter(name, v -> fx.execute(() -> level.setProgress(v)),
                () -> fx.execute(() -> levelNote.setText(text.get("settings.noMeter"))));
    }

    /**
     * Validates on the FX thread, then saves off it (a file, the autostart entry, the audio module's devices) and
     * closes; on an error nothing is saved and the reason is shown.
     */
    private void save(Effects effects, Button button, Runnable done) {
        List<String> lines = Arrays.asList(iceServers.getText().split("\\R", -1));
        try {
            IceServerLines.parse(lines);
        } catch (IllegalArgumentException e) {
            error.setText(text.get("settings.error.iceServers", e.getMessage()));
            error.setVisible(true);
            return;
        }
        Settings next = service.settings().get()
                .withDevices(camera.getValue(), microphone.getValue(), speaker.getValue())
                .withLook(quality.getValue(), theme.getValue(), language.getValue(), startAtLogin.isSelected())
                .withIceServers(lines.stream().map(String::strip).filter(l -> !l.isEmpty()).toList());
        boolean atLogin = startAtLogin.isSelected();
        button.setDisable(true);
        java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                effects.setStartAtLogin(atLogin);
                service.updateSettings(next);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, background).whenCompleteAsync((ok, failure) -> {
            button.setDisable(false);
            if (failure != null) {
                Throwable cause = failure.getCause() instanceof java.io.UncheckedIOException u ? u.getCause() : failure;
                error.setText(text.get("settings.error.save", cause.getMessage()));
                error.setVisible(true);
                return;
            }
            effects.applyTheme(next.theme());
            done.run();
        }, fx);
    }

    private Label label(String key, javafx.scene.Node field) {
        Label l = new Label(text.get(key));
        l.setMinWidth(USE_PREF_SIZE);
        if (field != null) {
            l.setLabelFor(field);
            field.setAccessibleText(text.get(key));
        }
        return l;
    }

    /**
     * Which server: the built-in one (with "host calls on this network" and the addresses to give others) or
     * another; and the way to switch to another.
     */
    private VBox serverSection(Settings s, LocalServer local, Runnable otherServer) {
        VBox box = new VBox(6);
        boolean builtIn = local != null && s.serverUrl() == null;
        Label which = new Label(builtIn ? text.get("settings.server.builtIn", local.localUser())
                : text.get("settings.server.remote", s.serverUrl() == null ? "—" : s.serverUrl(), s.user()));
        which.setId("settings-server");
        which.setWrapText(true);
        box.getChildren().add(which);
        if (builtIn) {
            CheckBox host = new CheckBox(text.get("settings.hostOnNetwork"));
            host.setId("settings-host-on-network");
            host.setSelected(local.hostingOnNetwork());
            Label addresses = new Label();
            addresses.setId("settings-host-addresses");
            addresses.setWrapText(true);
            addresses.getStyleClass().add("text-small");
            Runnable apply = () -> {
                host.setDisable(true);
                local.hostOnNetwork(host.isSelected()).whenCompleteAsync((list, failure) -> {
                    host.setDisable(false);
                    if (failure != null) {
                        addresses.setText(text.get("settings.error.host", failure.getMessage()));
                    } else if (host.isSelected()) {
                        addresses.setText(list.isEmpty() ? text.get("settings.noAddresses")
                                : text.get("settings.hostAddresses", String.join("\n", list)));
                    } else {
                        addresses.setText(null);
                    }
                }, fx);
            };
            host.setOnAction(e -> apply.run());
            if (host.isSelected()) {
                apply.run(); // show the addresses
            }
            box.getChildren().addAll(host, addresses);
        }
        javafx.scene.control.Hyperlink other = new javafx.scene.control.Hyperlink(text.get("settings.otherServer"));
        other.setId("settings-other-server");
        other.setOnAction(e -> otherServer.run());
        box.getChildren().add(other);
        return box;
    }

    private static StringConverter<String> converter(java.util.function.Function<String, String> show) {
        return new StringConverter<>() {
            @Override
            public String toString(String v) {
                return v == null ? "" : show.apply(v);
            }

            @Override
            public String fromString(String s) {
                return s;
            }
        };
    }

    @Override
    public void close() {
        closed = true;
        stopPreview();
        if (meter != null) {
            meter.close();
            meter = null;
        }
    }
}
