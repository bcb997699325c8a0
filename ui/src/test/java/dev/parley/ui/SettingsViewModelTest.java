package dev.parley.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.call.Settings;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The settings form without a window: what it loads, what it refuses, what it saves and where. */
@Timeout(10)
class SettingsViewModelTest {
    private static final Executor DIRECT = Runnable::run;

    @TempDir
    Path dir;

    private OfflineClient client;
    private AutoStart autoStart;

    @BeforeEach
    void setUp() {
        client = new OfflineClient(dir.resolve("config"));
        autoStart = new AutoStart(dir.resolve("xdg"));
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    private SettingsViewModel model(LocalServer local) {
        return new SettingsViewModel(
                client.service, autoStart, "/opt/parley/bin/parley", local, Messages.forLanguage("en"), DIRECT, DIRECT);
    }

    @Test
    void openingFillsTheFormFromTheSavedSettingsAndTheDevicesWaitForTheProbe() throws Exception {
        client.settings.set(client.settings
                .get()
                .withLook("640x480@30", "dark", "ru", true)
                .withIceServers(List.of("stun:stun.example.org:3478", "stun:other.example.org")));
        SettingsViewModel model = model(null);
        model.open();
        assertEquals("640x480@30", model.quality().get());
        assertEquals("dark", model.theme().get());
        assertEquals("ru", model.language().get());
        assertTrue(model.startAtLogin().get());
        assertEquals(
                "stun:stun.example.org:3478\nstun:other.example.org",
                model.iceServers().get());
        for (SettingsViewModel.DeviceChoice d : List.of(model.camera(), model.microphone(), model.speaker())) {
            assertEquals("Looking for devices…", d.prompt().get());
            assertFalse(d.none().get(), "not known to be missing before the probe is done");
            assertTrue(d.names().isEmpty());
        }
        assertNull(model.error().get());
        model.close();
    }

    @Test
    void aBadServerLineIsShownAndNothingIsSaved() throws Exception {
        SettingsViewModel model = model(null);
        model.open();
        model.theme().set("dark");
        model.startAtLogin().set(true);
        model.iceServers().set("turn:turn.example.org:3478");
        assertFalse(model.save().get(5, TimeUnit.SECONDS));
        assertEquals(
                "STUN/TURN servers: line 1: a TURN server needs a user name and a password",
                model.error().get());
        assertEquals("light", client.settings.get().theme(), "nothing saved from a form with an error");
        assertFalse(autoStart.enabled());
        assertFalse(model.saving().get());
    }

    @Test
    void aGoodFormIsSavedWithTheServerLinesTidiedAndTheAutostartEntryWritten() throws Exception {
        SettingsViewModel model = model(null);
        model.open();
        model.quality().set("1280x720@30");
        model.theme().set("dark");
        model.language().set("ru");
        model.startAtLogin().set(true);
        model.iceServers().set("  stun:stun.example.org:3478\n\nturn:turn.example.org:3478 ann pw  \n");
        assertTrue(model.save().get(5, TimeUnit.SECONDS));
        Settings saved = client.settings.get();
        assertEquals("1280x720@30", saved.videoQuality());
        assertEquals("dark", saved.theme());
        assertEquals("ru", saved.language());
        assertEquals(true, saved.startAtLogin());
        assertEquals(List.of("stun:stun.example.org:3478", "turn:turn.example.org:3478 ann pw"), saved.iceServers());
        assertTrue(Files.readString(autoStart.entry()).contains("Exec=/opt/parley/bin/parley"));
        assertNull(model.error().get());

        model.startAtLogin().set(false);
        assertTrue(model.save().get(5, TimeUnit.SECONDS));
        assertFalse(autoStart.enabled(), "turning it off removes the entry");
    }

    @Test
    void receivedFilesGoWhereTheUserChoseAndOnlyIntoAFolderThatTakesThem() throws Exception {
        SettingsViewModel model = model(null);
        model.open();
        assertNull(model.downloadFolder().get(), "the desktop's own until chosen");
        assertTrue(
                model.defaultDownloads().get().isAbsolute(),
                "and it is named: " + model.defaultDownloads().get());
        Path missing = dir.resolve("no-such-folder");
        model.downloadFolder().set(missing);
        model.theme().set("dark");
        assertFalse(model.save().get(5, TimeUnit.SECONDS));
        assertEquals(
                "Cannot save received files in " + missing + ": it is not a folder Parley can write in.",
                model.error().get());
        assertEquals("light", client.settings.get().theme(), "nothing saved");
        assertNull(client.settings.get().downloadFolder());

        Path chosen = Files.createDirectories(dir.resolve("Incoming"));
        model.chooseFolder(chosen);
        assertEquals(chosen, model.chooserStart().get(), "the chooser opens there next time");
        assertTrue(model.save().get(5, TimeUnit.SECONDS));
        assertEquals(chosen.toString(), client.settings.get().downloadFolder());
        model.open();
        assertEquals(chosen, model.downloadFolder().get(), "shown when the form opens again");
        assertEquals(chosen, model.chooserStart().get(), "and the chooser starts there (it exists)");
        model.downloadFolder().set(null); // Default
        assertTrue(model.save().get(5, TimeUnit.SECONDS));
        assertNull(client.settings.get().downloadFolder());
    }

    @Test
    void aSaveThatFailsSaysWhyAndKeepsTheOldSettings() throws Exception {
        Files.writeString(dir.resolve("xdg"), "a file where the autostart directory should be");
        SettingsViewModel model = model(null);
        model.open();
        model.theme().set("dark");
        model.startAtLogin().set(true);
        assertFalse(model.save().get(5, TimeUnit.SECONDS));
        assertTrue(
                model.error().get().startsWith("Cannot save the settings: "),
                model.error().get());
        assertEquals("light", client.settings.get().theme());
        assertFalse(model.saving().get());
    }

    @Test
    void openingAgainForgetsWhatWasNotSaved() {
        SettingsViewModel model = model(null);
        model.open();
        model.theme().set("dark");
        model.iceServers().set("nonsense");
        model.close();
        model.open();
        assertEquals("light", model.theme().get());
        assertEquals("", model.iceServers().get());
    }

    @Test
    void onTheBuiltInServerHostingOnTheNetworkTellsWhereOthersSignIn() {
        FakeLocalServer local = new FakeLocalServer();
        SettingsViewModel model = model(local);
        model.open();
        assertTrue(model.builtIn().get());
        assertEquals(
                "This computer (the built-in server), signed in as alice",
                model.server().get());
        assertFalse(model.hostOnNetwork().get());

        model.hostOnNetwork().set(true);
        model.applyHostOnNetwork();
        assertTrue(local.hosting);
        assertEquals(
                "Others on your network sign in at:\nws://198.18.0.1:7443/signal",
                model.hostAddresses().get());
        assertEquals("K7QM-3XWP", model.joinCode().get());
        assertFalse(model.hostBusy().get());

        model.hostOnNetwork().set(false);
        model.applyHostOnNetwork();
        assertFalse(local.hosting);
        assertNull(model.hostAddresses().get());
        assertNull(model.joinCode().get(), "no code once closed to the network");

        local.failure = new IllegalStateException("port taken");
        model.hostOnNetwork().set(true);
        model.applyHostOnNetwork();
        assertTrue(model.hostAddresses().get().startsWith("Cannot change the built-in server: "));
        assertNull(model.joinCode().get());
    }

    @Test
    void anotherServerIsNamedWithTheUser() throws Exception {
        client.settings.set(client.settings.get().withAccount("ws://parley.example.org/signal", "bob"));
        SettingsViewModel model = model(new FakeLocalServer());
        model.open();
        assertFalse(model.builtIn().get(), "a server is set: the built-in one is not in use");
        assertEquals(
                "ws://parley.example.org/signal, signed in as bob",
                model.server().get());
    }

    /** The built-in server as settings see it, answering at once. */
    private static final class FakeLocalServer implements LocalServer {
        boolean hosting;
        RuntimeException failure;

        @Override
        public CompletableFuture<URI> start() {
            return CompletableFuture.completedFuture(URI.create("ws://127.0.0.1:7443/signal"));
        }

        @Override
        public String localUser() {
            return "alice";
        }

        @Override
        public String localSecret() {
            return "install-secret";
        }

        @Override
        public boolean hostingOnNetwork() {
            return hosting;
        }

        @Override
        public CompletableFuture<Hosting> hostOnNetwork(boolean on) {
            if (failure != null) {
                return CompletableFuture.failedFuture(failure);
            }
            hosting = on;
            return CompletableFuture.completedFuture(
                    on ? new Hosting(List.of("ws://198.18.0.1:7443/signal"), "K7QM-3XWP") : null);
        }

        @Override
        public int othersSignedIn() {
            return 0;
        }
    }
}
