package dev.parley.ui;

import dev.parley.call.CallSession;
import dev.parley.call.CallState;
import dev.parley.call.DeviceNotice;
import dev.parley.call.DownloadFolder;
import dev.parley.call.EndReason;
import dev.parley.call.FileTransfer;
import dev.parley.call.PeerMedia;
import dev.parley.call.SecurityCode;
import dev.parley.call.Trust;
import dev.parley.media.CallStats;
import dev.parley.media.RemoteVideoSink;
import dev.parley.media.VideoSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Supplier;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds one call as the call view shows it. Every session event (call thread, native threads) comes through the FX
 * executor once; the properties change on the FX thread only. The view reads the call through this alone.
 */
public final class CallViewModel {
    private static final Logger log = LoggerFactory.getLogger(CallViewModel.class);

    /** How well the call is connected, from loss and round-trip time. */
    public enum Quality {
        UNKNOWN,
        GOOD,
        FAIR,
        POOR
    }

    /** The panel beside the call: none, the chat or the connection details (one at a time). */
    public enum SidePanel {
        NONE,
        CHAT,
        DETAILS
    }

    /** A chat line: ours or the peer's. */
    public record ChatLine(boolean mine, String text, boolean failed) {}

    private final CallSession session;
    private final SimpleObjectProperty<CallState> state = new SimpleObjectProperty<>(CallState.IDLE);
    private final SimpleObjectProperty<EndReason> endReason = new SimpleObjectProperty<>();
    private final SimpleObjectProperty<PeerMedia> peerMedia = new SimpleObjectProperty<>(PeerMedia.INITIAL);
    private final SimpleObjectProperty<PeerMedia> localMedia = new SimpleObjectProperty<>(PeerMedia.INITIAL);
    private final SimpleObjectProperty<CallStats> stats = new SimpleObjectProperty<>();
    private final SimpleObjectProperty<SecurityCode> securityCode = new SimpleObjectProperty<>(SecurityCode.PENDING);
    private final SimpleObjectProperty<Trust.Standing> standing = new SimpleObjectProperty<>(Trust.Standing.UNKNOWN);
    private final Trust trust;
    private final Executor background;
    private final SimpleObjectProperty<Quality> quality = new SimpleObjectProperty<>(Quality.UNKNOWN);
    private final SimpleBooleanProperty remoteVideoFlowing = new SimpleBooleanProperty();
    private final ObservableList<ChatLine> chat = FXCollections.observableArrayList();
    private final ObservableList<FileTransfer> files = FXCollections.observableArrayList();
    private volatile Supplier<Path> downloads = () -> null; // null: the desktop's download folder
    private volatile FileOpener opener = FileOpener.desktop();
    private final SimpleObjectProperty<FileProblem> fileProblem = new SimpleObjectProperty<>();
    private final SimpleObjectProperty<SidePanel> panel = new SimpleObjectProperty<>(SidePanel.NONE);
    private final SimpleBooleanProperty unreadChat = new SimpleBooleanProperty();
    private final ObservableList<String> cameras = FXCollections.observableArrayList();
    private final ObservableList<String> microphones = FXCollections.observableArrayList();
    private final ObservableList<String> speakers = FXCollections.observableArrayList();
    private final SimpleObjectProperty<String> camera = new SimpleObjectProperty<>();
    private final SimpleObjectProperty<DeviceNotice> notice = new SimpleObjectProperty<>();
    private final Executor fx;
    private long connectedAtNanos; // FX thread

    private final String displayName;

    /** @param displayName what the user calls the peer (the contact's name), shown instead of the user name */
    public CallViewModel(CallSession session, String displayName, Executor fx) {
        this(session, displayName, fx, Trust.inMemory(), ForkJoinPool.commonPool());
    }

    /** As above; {@code trust} says whether the peer was verified before and remembers it when the user says so. */
    public CallViewModel(CallSession session, String displayName, Executor fx, Trust trust, Executor background) {
        this.trust = trust;
        this.background = background;
        this.session = session;
        this.displayName = displayName;
        this.fx = fx;
        // Events are only a cue: each hop reads the session as it is by then, so a queued older event can never
        // take the view backwards (and nothing changes once the call has ended).
        session.addListener((s, st, reason) -> fx.execute(this::syncState));
        session.addPeerMediaListener((s, m) -> fx.execute(() -> peerMedia.set(session.peerMedia())));
        session.addLocalMediaListener((s, m) -> fx.execute(() -> localMedia.set(session.localMedia())));
        session.addChatListener((s, t) -> fx.execute(() -> {
            chat.add(new ChatLine(false, t, false));
            if (panel.get() != SidePanel.CHAT) {
                unreadChat.set(true);
            }
        }));
        session.addFileListener((s, t) -> fx.execute(() -> {
            for (int i = 0; i < files.size(); i++) {
                if (files.get(i).id().equals(t.id()) && files.get(i).sending() == t.sending()) {
                    if (!files.get(i).status().over()) { // an ended transfer stays as it ended
                        files.set(i, t);
                    }
                    return;
                }
            }
            files.add(t);
            if (!t.sending() && panel.get() != SidePanel.CHAT) {
                unreadChat.set(true); // an offered file waits in the chat panel
            }
        }));
        session.addSecurityCodeListener((s, code) -> fx.execute(() -> {
            if (code.status() == SecurityCode.Status.READY) {
                standing.set(trust.standing(session.peer(), code.peerKey()));
            }
            securityCode.set(code);
        }));
        session.addStatsListener((s, st) -> fx.execute(() -> {
            stats.set(st);
            quality.set(rate(st));
        }));
        session.remoteVideo().firstFrame().thenRun(() -> fx.execute(() -> remoteVideoFlowing.set(true)));
        session.addDeviceListener(new CallSession.DeviceListener() {
            @Override
            public void onDeviceNotice(CallSession s, DeviceNotice n) {
                fx.execute(() -> {
                    notice.set(n);
                    syncDevices();
                });
            }

            @Override
            public void onDevicesChanged(CallSession s) {
                fx.execute(CallViewModel.this::syncDevices);
            }
        });
        fx.execute(() -> {
            syncState(); // in case it moved before we listened
            peerMedia.set(session.peerMedia());
            localMedia.set(session.localMedia());
            if (notice.get() == null) {
                notice.set(session.deviceNotice()); // said before we listened (the call's media starts at dial)
            }
            syncDevices();
        });
    }

    private void syncDevices() {
        cameras.setAll(session.cameraNames());
        microphones.setAll(session.microphoneNames());
        speakers.setAll(session.speakerNames());
        camera.set(session.cameraName());
    }

    /** Cameras, microphones and speakers the call can switch to (by name); they follow devices plugged in or out. */
    public ObservableList<String> cameras() {
        return FXCollections.unmodifiableObservableList(cameras);
    }

    public ObservableList<String> microphones() {
        return FXCollections.unmodifiableObservableList(microphones);
    }

    public ObservableList<String> speakers() {
        return FXCollections.unmodifiableObservableList(speakers);
    }

    /** The camera in use, by name, or null. */
    public ReadOnlyObjectProperty<String> camera() {
        return camera;
    }

    /** The latest thing that happened to a device (a camera pulled out), for the user; null until one does. */
    public ReadOnlyObjectProperty<DeviceNotice> notice() {
        return notice;
    }

    /** Captures from another camera; the menu follows when the switch is done. FX thread. */
    public void switchCamera(String name) {
        session.switchCamera(name)
                .thenAccept(ok -> fx.execute(() -> {
                    syncDevices();
                    if (!ok) {
                        notice.set(new DeviceNotice(DeviceNotice.Kind.SWITCH_FAILED, name, null));
                    }
                }));
    }

    /** Plays to another speaker or records from another microphone (null keeps the other). FX thread. */
    public void switchAudio(String microphone, String speaker) {
        session.switchAudio(microphone, speaker)
                .thenAccept(ok -> fx.execute(() -> {
                    if (!ok) {
                        notice.set(new DeviceNotice(
                                DeviceNotice.Kind.SWITCH_FAILED, microphone != null ? microphone : speaker, null));
                    }
                }));
    }

    private void syncState() {
        if (state.get() == CallState.ENDED) {
            return;
        }
        CallState now = session.state();
        if (now == CallState.CONNECTED && connectedAtNanos == 0) {
            connectedAtNanos = System.nanoTime();
        }
        endReason.set(session.endReason());
        state.set(now);
    }

    /** The peer's camera. */
    public RemoteVideoSink remoteVideo() {
        return session.remoteVideo();
    }

    /** The peer's shared screen, while they share one. */
    public RemoteVideoSink remoteScreen() {
        return session.remoteScreen();
    }

    /** Our own camera as sent. */
    public RemoteVideoSink localVideo() {
        return session.localVideo();
    }

    /** Who the call is with, as the user knows them. */
    public String peer() {
        return displayName;
    }

    public ReadOnlyObjectProperty<CallState> state() {
        return state;
    }

    public ReadOnlyObjectProperty<EndReason> endReason() {
        return endReason;
    }

    public ReadOnlyObjectProperty<PeerMedia> peerMedia() {
        return peerMedia;
    }

    public ReadOnlyObjectProperty<PeerMedia> localMedia() {
        return localMedia;
    }

    /** The code both people read to each other (SecurityCode): pending, ready, or failed with a reason. */
    public ReadOnlyObjectProperty<SecurityCode> securityCode() {
        return securityCode;
    }

    /** Whether this peer's key was verified before (Trust), once the code is there. */
    public ReadOnlyObjectProperty<Trust.Standing> standing() {
        return standing;
    }

    /**
     * The user compared the code with the peer and it matched: remembers the peer's key as verified (off the FX
     * thread). Completes on the FX thread, with false if there is no code yet or it could not be saved (logged).
     */
    public CompletableFuture<Boolean> markVerified() {
        SecurityCode code = securityCode.get();
        if (code.status() != SecurityCode.Status.READY) {
            return CompletableFuture.completedFuture(false);
        }
        return CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                trust.markVerified(session.peer(), code.peerKey());
                                return true;
                            } catch (IOException | RuntimeException e) {
                                log.warn("Cannot remember {} as verified: {}", session.peer(), e.toString());
                                return false;
                            }
                        },
                        background)
                .thenApplyAsync(
                        ok -> {
                            if (ok) {
                                standing.set(Trust.Standing.VERIFIED);
                            }
                            return ok;
                        },
                        fx);
    }

    public ReadOnlyObjectProperty<CallStats> stats() {
        return stats;
    }

    public ReadOnlyObjectProperty<Quality> quality() {
        return quality;
    }

    public ReadOnlyBooleanProperty remoteVideoFlowing() {
        return remoteVideoFlowing;
    }

    public ObservableList<ChatLine> chat() {
        return chat;
    }

    /** Which panel shows beside the call. */
    public ReadOnlyObjectProperty<SidePanel> panel() {
        return panel;
    }

    /** The peer wrote while the chat was closed; false again once it is opened. */
    public ReadOnlyBooleanProperty unreadChat() {
        return unreadChat;
    }

    /** Opens this panel (closing the other), or closes it if it is the one open. FX thread. */
    public void togglePanel(SidePanel which) {
        panel.set(panel.get() == which ? SidePanel.NONE : which);
        if (panel.get() == SidePanel.CHAT) {
            unreadChat.set(false);
        }
    }

    /** Whether a screen can be shared now: only in a connected call. */
    public boolean canShareScreen() {
        return state.get() == CallState.CONNECTED;
    }

    /** Seconds since the call connected, or -1 before. FX thread. */
    public long connectedSeconds() {
        return connectedAtNanos == 0 ? -1 : (System.nanoTime() - connectedAtNanos) / 1_000_000_000L;
    }

    public void toggleMicrophone() {
        boolean on = !localMedia.get().microphone();
        localMedia.set(localMedia.get().withMicrophone(on));
        session.setMicrophoneEnabled(on);
    }

    public void toggleCamera() {
        boolean on = !localMedia.get().camera();
        localMedia.set(localMedia.get().withCamera(on));
        session.setCameraEnabled(on);
    }

    /** Shares a screen; the source is the session's from now on (closed when sharing stops or the call ends). */
    public void shareScreen(VideoSource source) {
        localMedia.set(localMedia.get().withScreen(true));
        session.shareScreen(source)
                .thenAccept(ok -> fx.execute(() -> {
                    if (!ok) {
                        localMedia.set(localMedia.get().withScreen(false));
                    }
                }));
    }

    public void stopScreenShare() {
        localMedia.set(localMedia.get().withScreen(false));
        session.stopScreenShare();
    }

    /** The call's files both ways, newest last, as they stand (FX thread). */
    public ObservableList<FileTransfer> files() {
        return files;
    }

    /**
     * Where saved files go, asked each time a file is saved (the settings' folder; null: the desktop's download
     * folder, {@link DownloadFolder}).
     */
    public void setDownloads(Supplier<Path> folder) {
        downloads = folder;
    }

    /** What opens saved files and shows them in their folder. */
    void setOpener(FileOpener fileOpener) {
        opener = fileOpener;
    }

    /** A received file that could not be opened or shown: the message's key ({@code file.openFailed}…) and why. */
    public record FileProblem(String key, String name, String reason) {}

    /** The last file that could not be opened or shown, or null (FX thread). */
    public ReadOnlyObjectProperty<FileProblem> fileProblem() {
        return fileProblem;
    }

    /** Whether a received file may be opened with its program: not what could run code ({@link FileOpener}). */
    public static boolean mayOpen(FileTransfer t) {
        return t.savedAs() != null && FileOpener.mayOpen(t.savedAs());
    }

    /** Opens a received, checked file with the desktop's program for it (never a program or a script). */
    public void openFile(FileTransfer t) {
        withSavedFile(t, "file.openFailed", opener::open);
    }

    /** Shows a received file in the file manager. */
    public void showFile(FileTransfer t) {
        withSavedFile(t, "file.showFailed", opener::showInFolder);
    }

    private interface FileAction {
        void apply(Path file) throws IOException;
    }

    private void withSavedFile(FileTransfer t, String failureKey, FileAction action) {
        if (t.sending() || t.status() != FileTransfer.Status.DONE || t.savedAs() == null) {
            return;
        }
        Path file = t.savedAs();
        fileProblem.set(null);
        background.execute(() -> {
            try {
                if (!Files.isRegularFile(file)) {
                    throw new IOException("it is no longer there");
                }
                action.apply(file);
            } catch (IOException | RuntimeException e) {
                log.info("{} {}: {}", failureKey, file, e.getMessage());
                String name = String.valueOf(file.getFileName());
                fx.execute(() -> fileProblem.set(new FileProblem(failureKey, name, e.getMessage())));
            }
        });
    }

    /** Offers files to the peer (each read and hashed off the FX thread first). */
    public void sendFiles(List<Path> paths) {
        for (Path p : paths) {
            background.execute(() -> session.sendFile(p));
        }
    }

    /**
     * Saves an offered file into the chosen folder, or the desktop's download folder (made if missing), under a name
     * that replaces nothing.
     */
    public void saveFile(String id) {
        Supplier<Path> chosen = downloads;
        background.execute(() -> {
            Path setting = chosen.get();
            Path folder = setting != null ? setting : DownloadFolder.ofThisUser();
            if (setting == null) { // the desktop's own folder is made if missing; a chosen one that is gone (an
                try { // unplugged drive) is not re-made elsewhere: the file's row says the folder is missing
                    Files.createDirectories(folder);
                } catch (IOException e) {
                    log.warn("Cannot make {}: {}", folder, e.toString()); // the file's row then says why it failed
                }
            }
            session.acceptFile(id, folder);
        });
    }

    public void declineFile(String id) {
        session.declineFile(id);
    }

    public void cancelFile(String id) {
        session.cancelFile(id);
    }

    /** Sends a chat line; it shows at once, marked failed if it could not be sent. */
    public void sendChat(String text) {
        String line = text.strip();
        if (line.isEmpty()) {
            return;
        }
        String clipped =
                line.length() > CallSession.MAX_CHAT_CHARS ? line.substring(0, CallSession.MAX_CHAT_CHARS) : line;
        ChatLine shown = new ChatLine(true, clipped, false);
        chat.add(shown);
        session.sendChat(clipped)
                .thenAccept(ok -> fx.execute(() -> {
                    if (!ok) {
                        int i = chat.indexOf(shown);
                        if (i >= 0) {
                            chat.set(i, new ChatLine(true, clipped, true));
                        }
                    }
                }));
    }

    public void hangup() {
        session.hangup();
    }

    static Quality rate(CallStats s) {
        if (s == null || s.route() == null) {
            return Quality.UNKNOWN;
        }
        double loss = s.streams().stream()
                .filter(x -> !x.outbound())
                .mapToDouble(CallStats.Stream::lossPercent)
                .max()
                .orElse(0);
        double rtt = s.rttMs();
        if (loss < 2 && rtt < 200) {
            return Quality.GOOD;
        }
        if (loss < 8 && rtt < 500) {
            return Quality.FAIR;
        }
        return Quality.POOR;
    }
}
