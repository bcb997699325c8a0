package dev.parley.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.call.CallSession;
import dev.parley.call.CallState;
import dev.parley.call.EndReason;
import dev.parley.call.FileTransfer;
import dev.parley.call.Settings;
import dev.parley.call.SettingsStore;
import dev.parley.media.RobotScreenSource;
import dev.parley.signaling.server.SignalingServer;
import dev.parley.testsupport.FxTest;
import dev.parley.testsupport.Screenshots;
import dev.parley.testsupport.UiWait;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Labeled;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputControl;
import javafx.scene.control.ToggleButton;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The desktop app as a user drives it (TestFX robot, real mouse and keyboard events under Xvfb), against a real
 * signaling server and real WebRTC calls with headless peers in the same JVM (its own network namespace).
 */
@Timeout(120)
class DesktopUiTest extends FxTest {
    @TempDir
    Path temp;

    private SignalingServer server;
    private UiFixture.Client me;
    private UiFixture.Client bob;
    private Stage stage;
    private MainWindow window;

    @BeforeEach
    void setUp() throws Exception {
        server = UiFixture.server(0);
        me = new UiFixture.Client(temp.resolve("me"), 440);
        bob = new UiFixture.Client(temp.resolve("bob"), 660);
        openWindow();
    }

    private void openWindow() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> {
                    stage = new Stage();
                    window = me.window(stage, new AutoStart(temp.resolve("xdg")), "/opt/parley/bin/parley");
                    window.show();
                })
                .get(10, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (stage != null) {
            WaitForAsyncUtils.asyncFx(stage::close).get(5, TimeUnit.SECONDS);
        }
        me.close();
        bob.close();
        server.close();
    }

    // ---- sign-in ----

    @Test
    void signInErrorsAreClearAndKeepWhatWasTyped() throws Exception {
        fill("#server", "http://nowhere");
        fill("#user", "alice");
        clickOn("#sign-in");
        UiWait.until(() -> text("#sign-in-error").contains("ws://host:port/signal"));

        fill("#server", server.uri().toString());
        fill("#password", "wrong");
        clickOn("#sign-in");
        UiWait.until(() -> text("#sign-in-error").equals("Wrong user name or password."));
        assertEquals("alice", this.<TextField>node("#user").getText(), "the form keeps what was typed");
        Screenshots.save(stage.getScene(), "sign-in-wrong-password");

        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort(); // nothing listens there once closed
        }
        fill("#server", "ws://127.0.0.1:" + closedPort + "/signal");
        fill("#password", UiFixture.PASSWORD);
        clickOn("#sign-in");
        UiWait.until(
                () -> text("#sign-in-error").startsWith("Cannot reach the server at ws://127.0.0.1:" + closedPort));
        assertTrue(node("#sign-in-cancel").isVisible(), "it keeps trying, and says how to stop");
        clickOn("#sign-in-cancel");
        UiWait.until(
                () -> !node("#sign-in-cancel").isVisible() && !node("#sign-in").isDisabled());

        fill("#server", server.uri().toString());
        fill("#password", UiFixture.PASSWORD);
        type(KeyCode.ENTER);
        UiWait.until(() -> window.homeModel().user() != null
                && lookup("#contacts").tryQuery().isPresent());
        assertEquals(server.uri().toString(), new SettingsStore(me.dir).get().serverUrl(), "the server is remembered");
    }

    @Test
    void aLostConnectionShowsABannerAndReconnectsByItself() throws Exception {
        int port = server.uri().getPort();
        signIn("alice");
        assertFalse(node("#banner").isVisible());
        server.close();
        UiWait.until(() -> node("#banner").isVisible() && text("#banner").startsWith("Connection to the server lost"));
        Screenshots.save(stage.getScene(), "main-window-reconnecting");
        server = UiFixture.server(port);
        UiWait.until(() -> !node("#banner").isVisible(), 30);
    }

    // ---- contacts and an outgoing call ----

    @Test
    void addAContactCallItAndUseTheCallControls() throws Exception {
        bob.signIn(server.uri(), "bob");
        signIn("alice");

        clickOn("#add-contact");
        fill("#contact-user", "not a name!");
        clickOn("#contact-save");
        UiWait.until(() -> text("#contact-error").contains("not a valid user name"));
        fill("#contact-user", "bob");
        fill("#contact-name", "Bob Builder");
        clickOn("#contact-save");
        UiWait.until(
                () -> contactsShown().contains("Bob Builder") && contactsShown().contains("Online"));
        assertEquals("Bob Builder", me.service.contacts().all().get(0).displayName(), "saved at once");
        Screenshots.save(stage.getScene(), "main-window");

        // Search filters; Enter on the selected contact calls.
        fill("#search", "zzz");
        UiWait.until(() -> this.<ListView<?>>node("#contacts").getItems().isEmpty());
        fill("#search", "build");
        UiWait.until(() -> this.<ListView<?>>node("#contacts").getItems().size() == 1);
        clickOn("Bob Builder").type(KeyCode.ENTER);

        CallSession bobs = bob.incoming.poll(10, TimeUnit.SECONDS);
        assertNotNull(bobs, "bob's phone rings");
        UiWait.until(() -> text("#call-status").equals("Calling…"));
        UiWait.until(() -> Ringer.RINGBACK.equals(window.ringer().sounding())); // we hear it ring at bob's
        bobs.accept();
        CallView call = window.callView();
        UiWait.until(() -> call.model().state().get() == CallState.CONNECTED);
        UiWait.until(() -> call.remoteVideo.framesShown() > 10 && call.remoteVideo.isVisible(), 20);
        UiWait.until(() -> window.ringer().sounding() == null); // the ringback stops once answered
        UiWait.changes(call.remoteVideo, UiWait.snapshot(call.remoteVideo), 20, Duration.ofSeconds(5)); // moving video
        assertTrue(
                call.remoteVideo.redraws() <= bobs.localVideo().framesReceived() + 5, "no more FX redraws than frames");
        UiWait.until(() -> call.selfView.framesShown() > 5);
        UiWait.until(() -> text("#call-status").matches("0:0\\d"));
        UiWait.until(() -> text("#call-quality").equals("Good connection")); // from the stats: no loss, a short RTT
        // The security code, the same as the peer's, for the two to read to each other (PROTOCOL.md 7b).
        UiWait.until(
                () -> bobs.securityCode().code() != null && node("#call-code").isVisible());
        assertEquals("Code: " + bobs.securityCode().display(), text("#call-code"));

        // M mutes: the button shows it and the peer hears of it.
        type(KeyCode.M);
        UiWait.until(() -> this.<ToggleButton>node("#toggle-mic").isSelected()
                && !bobs.peerMedia().microphone());
        clickOn("#toggle-mic");
        UiWait.until(() -> !this.<ToggleButton>node("#toggle-mic").isSelected()
                && bobs.peerMedia().microphone());
        // V turns the camera off: the self-view goes away and the peer is told.
        type(KeyCode.V);
        UiWait.until(() -> this.<ToggleButton>node("#toggle-camera").isSelected()
                && !bobs.peerMedia().camera()
                && !node("#self-view-pip").isVisible());
        type(KeyCode.V);
        UiWait.until(() -> bobs.peerMedia().camera() && node("#self-view-pip").isVisible());
        // The peer mutes and turns its camera off: we show it instead of a frozen frame.
        bobs.setMicrophoneEnabled(false);
        bobs.setCameraEnabled(false);
        UiWait.until(() -> node("#remote-muted").isVisible()
                && !call.remoteVideo.isVisible()
                && text("#remote-placeholder").equals("Bob Builder turned the camera off")); // the contact's name
        bobs.setCameraEnabled(true);
        UiWait.until(() -> call.remoteVideo.isVisible());

        // C opens the chat; typing there is text, not shortcuts.
        type(KeyCode.C);
        UiWait.until(() -> node("#chat-panel").isVisible());
        LinkedBlockingQueue<String> heard = new LinkedBlockingQueue<>();
        bobs.addChatListener((s, t) -> heard.add(t));
        clickOn("#chat-input").write("mmm, video works").type(KeyCode.ENTER);
        assertEquals("mmm, video works", heard.poll(10, TimeUnit.SECONDS));
        assertTrue(bobs.peerMedia().microphone(), "typing m in the chat did not mute");
        bobs.sendChat("hello from bob");
        UiWait.until(() ->
                call.model().chat().stream().anyMatch(l -> !l.mine() && l.text().equals("hello from bob")));

        // Files: bob's shows in the chat panel with Save and Decline; Save puts it in the downloads folder, checked.
        Path downloads = Files.createDirectories(temp.resolve("Downloads")); // chosen in the settings
        me.service.updateSettings(me.service.settings().get().withDownloadFolder(downloads.toString()));
        byte[] photo = new byte[3_000_000];
        new Random(5).nextBytes(photo);
        Path bobsFile = Files.write(temp.resolve("etc-photo.jpg"), photo);
        String offered = bobs.sendFile(bobsFile).id();
        UiWait.until(() -> lookup("#file-save-" + offered).tryQuery().isPresent());
        Screenshots.save(stage.getScene(), "call-file-offered");
        clickOn("#file-save-" + offered);
        UiWait.until(
                () -> lookup("#file-status-" + offered).tryQuery().isPresent()
                        && text("#file-status-" + offered).startsWith("Saved, checked: "),
                30);
        assertTrue(Arrays.equals(photo, Files.readAllBytes(downloads.resolve("etc-photo.jpg"))));
        // Open and Show in folder hand the saved file to the desktop (here a recording stand-in); a failure says why.
        LinkedBlockingQueue<String> desktop = new LinkedBlockingQueue<>();
        call.model().setOpener(new FileOpener() {
            @Override
            public void open(Path file) {
                desktop.add("open " + file);
            }

            @Override
            public void showInFolder(Path file) throws java.io.IOException {
                desktop.add("show " + file);
                throw new java.io.IOException("no file manager");
            }
        });
        clickOn("#file-open-" + offered);
        assertEquals("open " + downloads.resolve("etc-photo.jpg"), desktop.poll(10, TimeUnit.SECONDS));
        clickOn("#file-show-" + offered);
        assertEquals("show " + downloads.resolve("etc-photo.jpg"), desktop.poll(10, TimeUnit.SECONDS));
        UiWait.until(() -> node("#file-problem").isVisible()
                && text("#file-problem").equals("Cannot show etc-photo.jpg in its folder: no file manager"));
        // A file that could run a program is shown in its folder, never opened from here.
        String script = bobs.sendFile(Files.writeString(temp.resolve("setup.sh"), "echo hi\n"))
                .id();
        UiWait.until(() -> call.model().files().stream().anyMatch(t -> t.id().equals(script)));
        interact(() -> call.model().saveFile(script)); // Save was clicked above; this row may be scrolled away
        UiWait.until(() -> call.model().files().stream()
                .anyMatch(t -> t.id().equals(script) && t.status() == FileTransfer.Status.DONE));
        ListView<?> fileList = node("#chat-files");
        interact(() -> fileList.scrollTo(fileList.getItems().size() - 1));
        UiWait.until(() -> lookup("#file-show-" + script).tryQuery().isPresent(), 30);
        assertTrue(lookup("#file-open-" + script).tryQuery().isEmpty(), "a script offered to be opened");
        // And ours to bob, as the Attach button and a drop send it: he sees progress and gets every byte.
        LinkedBlockingQueue<FileTransfer> bobHears = new LinkedBlockingQueue<>();
        bobs.addFileListener((s, t) -> {
            bobHears.add(t);
            if (t.status() == FileTransfer.Status.OFFERED) {
                s.acceptFile(t.id(), temp);
            }
        });
        Path mine = Files.writeString(temp.resolve("notes.txt"), "minutes of the meeting");
        interact(() -> call.model().sendFiles(List.of(mine)));
        FileTransfer got = null;
        for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); System.nanoTime() < end; ) {
            FileTransfer t = bobHears.poll(1, TimeUnit.SECONDS);
            if (t != null && t.status().over()) {
                got = t;
                break;
            }
        }
        assertNotNull(got, "bob never got our file");
        assertEquals(FileTransfer.Status.DONE, got.status(), got.reason());
        assertEquals("minutes of the meeting", Files.readString(got.savedAs()));
        UiWait.until(() ->
                call.model().files().stream().anyMatch(t -> t.sending() && t.status() == FileTransfer.Status.DONE));

        // D opens the connection details: the path and why. (Not while typing in the chat: closing it takes the focus.)
        clickOn("#toggle-chat");
        UiWait.until(
                () -> lookup("#chat-panel").tryQuery().map(n -> !n.isVisible()).orElse(true));
        type(KeyCode.D);
        UiWait.until(() -> lookup("#details-path").tryQuery().isPresent()
                && text("#details-path").startsWith("Connected directly"));
        UiWait.until(() -> ((Parent) node("#connection-details"))
                .lookupAll(".label").stream()
                        .anyMatch(n -> ((Label) n).getText().contains("198.18.0.")));
        assertEquals(bobs.securityCode().display(), text("#details-code"));
        Screenshots.save(stage.getScene(), "call-connection-details");
        clickOn("#toggle-details"); // and the button closes them
        UiWait.until(() -> lookup("#details-path").tryQuery().isEmpty()
                || !node("#connection-details").isVisible());
        Screenshots.save(stage.getScene(), "active-call");

        // Share the screen: the picker, then the peer receives the screen's pixels as a second track.
        type(KeyCode.S);
        UiWait.until(() -> lookup("#share-screen-1").tryQuery().isPresent());
        Screenshots.save(stage.getScene(), "screen-picker");
        clickOn("#share-screen-1");
        UiWait.until(() -> bobs.peerMedia().screen() && bobs.remoteScreen().framesReceived() > 5, 30);
        int[] size = bobs.remoteScreen().size();
        assertEquals(1280, size[0], "the whole Xvfb screen");
        assertEquals(720, size[1]);
        type(KeyCode.S);
        UiWait.until(() -> !bobs.peerMedia().screen());

        // Esc asks before hanging up; "keep talking" keeps the call.
        type(KeyCode.ESCAPE);
        UiWait.until(() -> lookup("#confirm-hang-up-card").tryQuery().isPresent());
        type(KeyCode.ESCAPE); // Escape again: keep talking
        UiWait.until(() -> lookup("#confirm-hang-up-card").tryQuery().isEmpty());
        type(KeyCode.ESCAPE);
        UiWait.until(() -> lookup("#confirm-hang-up-card").tryQuery().isPresent());
        clickOn("#keep-talking");
        UiWait.until(() -> lookup("#confirm-hang-up-card").tryQuery().isEmpty());
        assertEquals(CallState.CONNECTED, bobs.state());
        press(KeyCode.CONTROL).type(KeyCode.W).release(KeyCode.CONTROL);
        UiWait.until(() -> lookup("#confirm-hang-up").tryQuery().isPresent());
        clickOn("#confirm-hang-up");
        assertTrue(bobs.awaitEnd(10_000));
        assertEquals(EndReason.REMOTE_HUNG_UP, bobs.endReason());
        UiWait.until(() -> lookup("#contacts").tryQuery().isPresent() && window.callView() == null, 10);
        clickOn("Recent calls");
        UiWait.until(() -> this.<ListView<?>>node("#recent").getItems().size() == 1);
        var entry = me.service.history().all().get(0);
        assertTrue(
                entry.outgoing()
                        && entry.durationSeconds() > 0
                        && entry.outcome().equals("hung-up"),
                entry.toString());
    }

    // ---- incoming calls ----

    @Test
    void anIncomingCallCanBeDeclinedOrTakenWithoutVideo() throws Exception {
        bob.signIn(server.uri(), "bob");
        signIn("alice");

        CallSession first = bob.service.dial("alice");
        UiWait.until(() -> lookup("#incoming-call").tryQuery().isPresent());
        assertEquals("bob is calling", text("#incoming-title"));
        UiWait.until(() -> Ringer.RINGTONE.equals(window.ringer().sounding())); // rings (silently without a device)
        Screenshots.save(stage.getScene(), "incoming-call");
        clickOn("#decline");
        assertTrue(first.awaitEnd(10_000));
        assertEquals(EndReason.DECLINED, first.endReason());
        UiWait.until(() ->
                lookup("#incoming-call").tryQuery().isEmpty() && window.ringer().sounding() == null);

        CallSession second = bob.service.dial("alice");
        UiWait.until(() -> lookup("#accept-audio").tryQuery().isPresent());
        clickOn("#accept-audio");
        UiWait.until(() -> second.state() == CallState.CONNECTED);
        CallView call = window.callView();
        UiWait.until(() -> !second.peerMedia().camera(), 10); // audio only: bob is told our camera is off
        assertTrue(this.<ToggleButton>node("#toggle-camera").isSelected());

        // Bob shares his screen: it shows large, his camera as a tile.
        RobotScreenSource screen = RobotScreenSource.wholeScreen(10);
        assertTrue(second.shareScreen(screen).get(10, TimeUnit.SECONDS));
        UiWait.until(() -> call.remoteScreen.isVisible() && call.remoteScreen.framesShown() > 3, 30);
        assertTrue(
                call.remoteVideo.getParent() != null
                        && "camera-tile".equals(call.remoteVideo.getParent().getId()),
                "the camera moves into the tile");
        Screenshots.save(stage.getScene(), "receiving-a-shared-screen");
        second.stopScreenShare();
        UiWait.until(() -> !call.remoteScreen.isVisible());

        second.hangup();
        UiWait.until(() -> text("#call-status").equals("Call ended: they hung up"));
        UiWait.until(
                () -> window.callView() == null
                        && lookup("#contacts").tryQuery().isPresent(),
                10);
        assertEquals("declined", me.service.history().all().get(1).outcome());
        assertEquals("remote-hung-up", me.service.history().all().get(0).outcome());
    }

    // ---- settings ----

    @Test
    void settingsAreValidatedSavedAndSurviveARestart() throws Exception {
        signIn("alice");
        clickOn("#open-settings");
        UiWait.until(() -> lookup("#settings").tryQuery().isPresent());
        UiWait.until(() -> this.<ComboBox<?>>node("#settings-camera").isDisabled()); // probed: no camera in CI
        select("#settings-theme", "dark");
        select("#settings-quality", "640x480@30");
        select("#settings-language", "ru");
        check("#settings-start-at-login", true);
        fill("#settings-ice-servers", "turn:turn.example.org:3478");
        clickOn("#settings-save");
        UiWait.until(() -> text("#settings-error").contains("line 1: a TURN server needs a user name and a password"));
        assertEquals("light", new SettingsStore(me.dir).get().theme(), "nothing saved from a form with an error");
        Screenshots.save(stage.getScene(), "settings");
        fill("#settings-ice-servers", "stun:stun.example.org:3478\nturn:turn.example.org:3478 ann pw");
        clickOn("#settings-save");
        UiWait.until(() -> lookup("#settings").tryQuery().isEmpty());

        Settings saved = new SettingsStore(me.dir).get();
        assertEquals("dark", saved.theme());
        assertEquals("640x480@30", saved.videoQuality());
        assertEquals("ru", saved.language());
        assertEquals(true, saved.startAtLogin());
        assertEquals(2, saved.iceServers().size());
        assertTrue(new AutoStart(temp.resolve("xdg")).enabled(), "the autostart entry is written");

        // A restart: new stores from the same directory, a new window — in Russian now.
        WaitForAsyncUtils.asyncFx(stage::close).get(5, TimeUnit.SECONDS);
        me.close();
        me = new UiFixture.Client(temp.resolve("me"), 440);
        openWindow();
        assertEquals(server.uri().toString(), this.<TextField>node("#server").getText());
        assertEquals("alice", this.<TextField>node("#user").getText());
        assertEquals("Войти", ((Button) node("#sign-in")).getText());
        fill("#password", UiFixture.PASSWORD);
        clickOn("#sign-in");
        UiWait.until(() -> lookup("#open-settings").tryQuery().isPresent());
        clickOn("#open-settings");
        UiWait.until(() -> lookup("#settings").tryQuery().isPresent());
        assertEquals("dark", this.<ComboBox<?>>node("#settings-theme").getValue());
        assertEquals("640x480@30", this.<ComboBox<?>>node("#settings-quality").getValue());
        Screenshots.save(stage.getScene(), "settings-russian-dark");
        check("#settings-start-at-login", false); // off again: the entry goes
        clickOn("#settings-save");
        UiWait.until(() -> !new AutoStart(temp.resolve("xdg")).enabled());
    }

    // ---- helpers ----

    private void signIn(String user) throws Exception {
        fill("#server", server.uri().toString());
        fill("#user", user);
        fill("#password", UiFixture.PASSWORD);
        clickOn("#sign-in");
        UiWait.until(() -> lookup("#contacts").tryQuery().isPresent() && me.service.signedIn());
    }

    /** Scrolls a node into view, as a user would, if it sits in a scroll pane. */
    private void reveal(Node node) throws Exception {
        WaitForAsyncUtils.asyncFx(() -> {
                    for (Parent p = node.getParent(); p != null; p = p.getParent()) {
                        if (p instanceof ScrollPane scroll && scroll.getContent() != null) {
                            double contentHeight =
                                    scroll.getContent().getLayoutBounds().getHeight();
                            double viewport = scroll.getViewportBounds().getHeight();
                            double y = scroll.getContent()
                                    .sceneToLocal(node.localToScene(node.getLayoutBounds()))
                                    .getMinY();
                            if (contentHeight > viewport) {
                                scroll.setVvalue(Math.max(0, Math.min(1, (y - 20) / (contentHeight - viewport))));
                            }
                            return;
                        }
                    }
                })
                .get(5, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
    }

    private void fill(String query, String value) throws Exception {
        Node field = node(query);
        reveal(field);
        clickOn(field);
        WaitForAsyncUtils.waitForFxEvents();
        interactNoWait(() -> ((TextInputControl) field).clear());
        WaitForAsyncUtils.waitForFxEvents();
        if (value.contains("\n")) {
            String[] lines = value.split("\n");
            for (int i = 0; i < lines.length; i++) {
                write(lines[i]);
                if (i < lines.length - 1) {
                    type(KeyCode.ENTER);
                }
            }
        } else {
            write(value);
        }
    }

    private void select(String query, String value) throws Exception {
        ComboBox<String> box = node(query);
        WaitForAsyncUtils.asyncFx(() -> box.setValue(value)).get(5, TimeUnit.SECONDS);
    }

    /** Ticks a check box the way the keyboard does: focus, then space (it may sit below the scrolled view). */
    private void check(String query, boolean on) throws Exception {
        CheckBox box = node(query);
        WaitForAsyncUtils.asyncFx(box::requestFocus).get(5, TimeUnit.SECONDS);
        if (box.isSelected() != on) {
            type(KeyCode.SPACE);
        }
        UiWait.until(() -> box.isSelected() == on);
    }

    private String contactsShown() {
        return ((Parent) node("#contacts"))
                .lookupAll(".label").stream().map(n -> ((Label) n).getText()).reduce("", (a, b) -> a + "|" + b);
    }

    @SuppressWarnings("unchecked")
    private <T extends Node> T node(String query) {
        return (T) lookup(query).query();
    }

    private String text(String query) {
        Node n = node(query);
        String t = n instanceof Label l ? l.getText() : n instanceof Labeled b ? b.getText() : null;
        return t == null ? "" : t;
    }
}
