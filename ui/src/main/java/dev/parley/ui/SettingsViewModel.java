package dev.parley.ui;

import dev.parley.call.ClientService;
import dev.parley.call.DownloadFolder;
import dev.parley.call.IceServerLines;
import dev.parley.call.Settings;
import dev.parley.media.LocalPreview;
import dev.parley.media.MediaEngine;
import dev.parley.media.RemoteVideoSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the settings form while it is open: the values being edited, the devices to choose from, the camera
 * preview and microphone level, and the built-in server's hosting on the network; checks the form and saves it off
 * the FX thread. Nothing is saved until {@link #save()}. Devices come from the media engine's probe, which runs
 * off the FX thread at start; until it is done the device lists say so. FX thread, except where a method says.
 */
public final class SettingsViewModel {
    private static final Logger log = LoggerFactory.getLogger(SettingsViewModel.class);
    static final List<String> THEMES = List.of("light", "dark");
    static final List<String> LANGUAGES = List.of("en", "ru");

    /** One kind of device: the names the probe found, the one chosen, and what the empty box says. */
    public static final class DeviceChoice {
        private final ObservableList<String> names = FXCollections.observableArrayList();
        private final ObjectProperty<String> chosen = new SimpleObjectProperty<>();
        private final SimpleStringProperty prompt = new SimpleStringProperty();
        private final SimpleBooleanProperty none = new SimpleBooleanProperty();

        public ObservableList<String> names() {
            return names;
        }

        public ObjectProperty<String> chosen() {
            return chosen;
        }

        /** "Looking for devices…" until probed, then "none found" if there is none, else null. */
        public ReadOnlyStringProperty prompt() {
            return prompt;
        }

        /** Probed and none found. */
        public ReadOnlyBooleanProperty none() {
            return none;
        }
    }

    private final ClientService service;
    private final AutoStart autoStart;
    private final String launchCommand;
    private final LocalServer local;
    private final Messages text;
    private final Executor fx;
    private final Executor background;

    private final ObjectProperty<String> quality = new SimpleObjectProperty<>();
    private final ObjectProperty<String> theme = new SimpleObjectProperty<>();
    private final ObjectProperty<String> language = new SimpleObjectProperty<>();
    private final BooleanProperty startAtLogin = new SimpleBooleanProperty();
    private final StringProperty iceServers = new SimpleStringProperty("");
    private final ObjectProperty<Path> downloadFolder = new SimpleObjectProperty<>();
    private final SimpleObjectProperty<Path> defaultDownloads = new SimpleObjectProperty<>();
    private final SimpleObjectProperty<Path> chooserStart = new SimpleObjectProperty<>();
    private final SimpleStringProperty error = new SimpleStringProperty();
    private final SimpleBooleanProperty saving = new SimpleBooleanProperty();
    private final SimpleObjectProperty<RemoteVideoSink> preview = new SimpleObjectProperty<>();
    private final SimpleDoubleProperty level = new SimpleDoubleProperty();
    private final SimpleStringProperty levelNote = new SimpleStringProperty();
    private final SimpleStringProperty server = new SimpleStringProperty();
    private final SimpleBooleanProperty builtIn = new SimpleBooleanProperty();
    private final BooleanProperty hostOnNetwork = new SimpleBooleanProperty();
    private final SimpleBooleanProperty hostBusy = new SimpleBooleanProperty();
    private final SimpleStringProperty hostAddresses = new SimpleStringProperty();
    private final SimpleStringProperty joinCode = new SimpleStringProperty();

    // FX thread.
    private DeviceChoice camera = new DeviceChoice();
    private DeviceChoice microphone = new DeviceChoice();
    private DeviceChoice speaker = new DeviceChoice();
    private boolean open;
    private long openings;
    private LocalPreview cameraPreview;
    private long previewRequests;
    private MicrophoneMeter meter;

    /**
     * @param autoStart     the start-at-login entry, written with {@code launchCommand} when saved
     * @param local         the built-in server, or null
     * @param background    where files are written and cameras opened (never the FX thread)
     */
    public SettingsViewModel(
            ClientService service,
            AutoStart autoStart,
            String launchCommand,
            LocalServer local,
            Messages text,
            Executor fx,
            Executor background) {
        this.service = service;
        this.autoStart = autoStart;
        this.launchCommand = launchCommand;
        this.local = local;
        this.text = text;
        this.fx = fx;
        this.background = background;
    }

    /** Fills the form from the saved settings and starts looking at the devices (once probed). */
    public void open() {
        Settings s = service.settings().get();
        camera = new DeviceChoice();
        microphone = new DeviceChoice();
        speaker = new DeviceChoice();
        for (DeviceChoice d : List.of(camera, microphone, speaker)) {
            d.prompt.set(text.get("settings.probing"));
        }
        quality.set(s.videoQuality());
        theme.set(s.theme());
        language.set(s.language());
        startAtLogin.set(Boolean.TRUE.equals(s.startAtLogin()));
        iceServers.set(String.join("\n", s.iceServers()));
        downloadFolder.set(s.downloadFolder() == null ? null : Path.of(s.downloadFolder()));
        Path chosen = downloadFolder.get();
        background.execute(
                () -> { // reads the desktop's user-dirs file, and looks at the disk
                    Path d = DownloadFolder.ofThisUser();
                    Path start = chosen != null && Files.isDirectory(chosen) ? chosen : Files.isDirectory(d) ? d : null;
                    fx.execute(() -> {
                        defaultDownloads.set(d);
                        chooserStart.set(start);
                    });
                });
        error.set(null);
        saving.set(false);
        level.set(0);
        levelNote.set(null);
        builtIn.set(local != null && s.serverUrl() == null);
        server.set(
                builtIn.get()
                        ? text.get("settings.server.builtIn", local.localUser())
                        : text.get("settings.server.remote", s.serverUrl() == null ? "—" : s.serverUrl(), s.user()));
        hostOnNetwork.set(builtIn.get() && local.hostingOnNetwork());
        hostAddresses.set(null);
        joinCode.set(null);
        hostBusy.set(false);

        open = true;
        long opening = ++openings;
        camera.chosen.addListener((o, a, name) -> startPreview(name));
        microphone.chosen.addListener((o, a, name) -> startMeter(name));
        if (hostOnNetwork.get()) {
            applyHostOnNetwork(); // show the addresses
        }
        service.media()
                .thenAcceptAsync(
                        media -> {
                            if (open && opening == openings) {
                                showDevices(media, s);
                            }
                        },
                        fx);
    }

    private void showDevices(MediaEngine media, Settings s) {
        fill(camera, media.devices().cameraNames(), s.camera(), "settings.noCamera");
        fill(microphone, media.devices().microphoneNames(), s.microphone(), "settings.noMicrophone");
        fill(speaker, media.devices().speakerNames(), s.speaker(), "settings.noSpeaker");
        if (microphone.names.isEmpty()) {
            startMeter(null); // the default line, if Java Sound has one (a chosen microphone starts it otherwise)
        }
    }

    private void fill(DeviceChoice d, List<String> names, String saved, String noneKey) {
        d.names.setAll(names);
        d.prompt.set(names.isEmpty() ? text.get(noneKey) : null);
        d.none.set(names.isEmpty());
        if (!names.isEmpty()) {
            d.chosen.set(names.contains(saved) ? saved : names.get(0));
        }
    }

    private void startPreview(String name) {
        stopPreview();
        long request = ++previewRequests; // a later choice makes this one stale
        MediaEngine media = service.media().getNow(null);
        if (name == null || media == null || !open) {
            return;
        }
        background.execute(
                () -> { // opening a camera can take a while
                    try {
                        LocalPreview p = LocalPreview.camera(media, name, 640, 360, 30);
                        if (p == null) {
                            return; // gone meanwhile
                        }
                        fx.execute(() -> {
                            if (!open || request != previewRequests) {
                                background.execute(p::close);
                                return;
                            }
                            cameraPreview = p;
                            preview.set(p.sink());
                        });
                    } catch (RuntimeException e) {
                        log.warn("No camera preview for {}: {}", name, e.toString());
                    }
                });
    }

    private void stopPreview() {
        previewRequests++; // an open still under way is closed when it arrives
        preview.set(null);
        if (cameraPreview != null) {
            LocalPreview p = cameraPreview;
            cameraPreview = null;
            background.execute(p::close);
        }
    }

    private void startMeter(String name) {
        if (meter != null) {
            meter.close();
            meter = null;
        }
        if (!open) {
            return;
        }
        levelNote.set(null);
        meter = new MicrophoneMeter(
                name,
                v -> fx.execute(() -> level.set(v)),
                () -> fx.execute(() -> levelNote.set(text.get("settings.noMeter"))));
    }

    /**
     * Checks the form, then saves it off the FX thread (a file, the autostart entry, the audio module's devices).
     * Completes on the FX thread: true once saved; false when the form has an error or saving failed, with the
     * reason in {@link #error()} and nothing saved from a form with an error.
     */
    public CompletableFuture<Boolean> save() {
        List<String> lines = Arrays.asList(iceServers.get().split("\\R", -1));
        String problem = iceServerProblem(lines);
        if (problem != null) {
            error.set(text.get("settings.error.iceServers", problem));
            return CompletableFuture.completedFuture(false);
        }
        Settings next = service.settings()
                .get()
                .withDevices(camera.chosen.get(), microphone.chosen.get(), speaker.chosen.get())
                .withLook(quality.get(), theme.get(), language.get(), startAtLogin.get())
                .withIceServers(lines.stream()
                        .map(String::strip)
                        .filter(l -> !l.isEmpty())
                        .toList())
                .withDownloadFolder(
                        downloadFolder.get() == null
                                ? null
                                : downloadFolder.get().toString());
        boolean atLogin = startAtLogin.get();
        Path downloads = downloadFolder.get();
        String before = service.settings().get().downloadFolder();
        boolean newFolder = downloads != null && !downloads.toString().equals(before); // only a new choice is checked
        saving.set(true);
        return CompletableFuture.runAsync(
                        () -> {
                            try {
                                if (newFolder
                                        && (!downloads.isAbsolute()
                                                || !Files.isDirectory(downloads)
                                                || !Files.isWritable(downloads))) {
                                    throw new NotAFolderException(downloads);
                                }
                                autoStart.set(atLogin, launchCommand);
                                service.updateSettings(next);
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        },
                        background)
                .handleAsync(
                        (ok, failure) -> {
                            saving.set(false);
                            if (failure != null) {
                                Throwable cause =
                                        failure.getCause() instanceof UncheckedIOException u ? u.getCause() : failure;
                                error.set(
                                        cause instanceof NotAFolderException
                                                ? text.get("settings.error.downloads", downloads)
                                                : text.get("settings.error.save", cause.getMessage()));
                                return false;
                            }
                            return true;
                        },
                        fx);
    }

    /** A download folder that is not a folder Parley can write in: nothing is saved. */
    private static final class NotAFolderException extends IOException {
        NotAFolderException(Path folder) {
            super(folder.toString());
        }
    }

    /** What is wrong with the STUN/TURN lines, or null. */
    static String iceServerProblem(List<String> lines) {
        try {
            IceServerLines.parse(lines);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /**
     * Opens the built-in server to the local network or closes it to this computer, as {@link #hostOnNetwork()}
     * now says; {@link #hostAddresses()} and {@link #joinCode()} then tell what to give others.
     */
    public void applyHostOnNetwork() {
        if (local == null) {
            return;
        }
        hostBusy.set(true);
        local.hostOnNetwork(hostOnNetwork.get())
                .whenCompleteAsync(
                        (hosting, failure) -> {
                            hostBusy.set(false);
                            joinCode.set(null);
                            if (failure != null) {
                                hostAddresses.set(text.get("settings.error.host", failure.getMessage()));
                            } else if (hostOnNetwork.get() && hosting != null) {
                                hostAddresses.set(
                                        hosting.addresses().isEmpty()
                                                ? text.get("settings.noAddresses")
                                                : text.get(
                                                        "settings.hostAddresses",
                                                        String.join("\n", hosting.addresses())));
                                joinCode.set(hosting.joinCode());
                            } else {
                                hostAddresses.set(null);
                            }
                        },
                        fx);
    }

    /** Lets go of the camera preview and the level meter; the form is forgotten unless saved. Idempotent. */
    public void close() {
        open = false;
        stopPreview();
        if (meter != null) {
            meter.close();
            meter = null;
        }
    }

    /** The cameras; a new choice each time the form opens. */
    public DeviceChoice camera() {
        return camera;
    }

    /** The microphones; a new choice each time the form opens. */
    public DeviceChoice microphone() {
        return microphone;
    }

    /** The speakers; a new choice each time the form opens. */
    public DeviceChoice speaker() {
        return speaker;
    }

    public ObjectProperty<String> quality() {
        return quality;
    }

    public ObjectProperty<String> theme() {
        return theme;
    }

    public ObjectProperty<String> language() {
        return language;
    }

    public BooleanProperty startAtLogin() {
        return startAtLogin;
    }

    /** The user's own STUN/TURN servers, one per line. */
    public StringProperty iceServers() {
        return iceServers;
    }

    /** Where received files are saved; null: the desktop's download folder ({@link #defaultDownloads()}). */
    public ObjectProperty<Path> downloadFolder() {
        return downloadFolder;
    }

    /** Where the folder chooser opens: the chosen folder or the default one, if it exists (null: the chooser's own). */
    public ReadOnlyObjectProperty<Path> chooserStart() {
        return chooserStart;
    }

    /** The user picked {@code folder} in the chooser (it exists: the chooser showed it). */
    public void chooseFolder(Path folder) {
        downloadFolder.set(folder);
        chooserStart.set(folder);
    }

    /** The desktop's download folder, once found (null before). */
    public ReadOnlyObjectProperty<Path> defaultDownloads() {
        return defaultDownloads;
    }

    /** Why the form was not saved, or null. */
    public ReadOnlyStringProperty error() {
        return error;
    }

    public ReadOnlyBooleanProperty saving() {
        return saving;
    }

    /** The chosen camera's live picture, or null. */
    public ReadOnlyObjectProperty<RemoteVideoSink> preview() {
        return preview;
    }

    /** The microphone's level, 0..1. */
    public ReadOnlyDoubleProperty level() {
        return level;
    }

    /** Why there is no level, or null. */
    public ReadOnlyStringProperty levelNote() {
        return levelNote;
    }

    /** Which server this computer signs in to. */
    public ReadOnlyStringProperty server() {
        return server;
    }

    /** Signed in to the built-in server: hosting on the network can be offered. */
    public ReadOnlyBooleanProperty builtIn() {
        return builtIn;
    }

    public BooleanProperty hostOnNetwork() {
        return hostOnNetwork;
    }

    /** The built-in server is being opened or closed. */
    public ReadOnlyBooleanProperty hostBusy() {
        return hostBusy;
    }

    /** Where others sign in while hosting, or why it failed; null otherwise. */
    public ReadOnlyStringProperty hostAddresses() {
        return hostAddresses;
    }

    /** The join code others sign in with while hosting; null otherwise. */
    public ReadOnlyStringProperty joinCode() {
        return joinCode;
    }
}
