package dev.parley.ui;

import dev.parley.call.CallHistory;
import dev.parley.call.CallOptions;
import dev.parley.call.CallSession;
import dev.parley.call.ClientService;
import dev.parley.call.ContactStore;
import dev.parley.call.SettingsStore;
import dev.parley.call.Trust;
import dev.parley.media.MediaEngine;
import dev.parley.signaling.client.SignalingClientFactory;
import dev.parley.signaling.server.Authenticator;
import dev.parley.signaling.server.ServerConfig;
import dev.parley.signaling.server.SignalingServer;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javafx.stage.Stage;

/**
 * The real parts a UI test needs: a signaling server on a real port (password "secret" for everyone), and
 * client services with their own stores, media engines and signaling clients — one for the window under test,
 * others as headless peers.
 */
final class UiFixture {
    static final String PASSWORD = "secret";

    static Authenticator accounts() {
        return new Authenticator() {
            @Override
            public boolean authenticate(Attempt attempt) {
                String password = attempt.password();
                return PASSWORD.equals(password);
            }

            @Override
            public String describe() {
                return "test accounts";
            }
        };
    }

    static SignalingServer server(int port) throws Exception {
        return SignalingServer.start(ServerConfig.builder()
                .bind("127.0.0.1")
                .port(port)
                .authenticator(accounts())
                .build());
    }

    /** A client service over its own config directory, media engine and signaling factory. */
    static final class Client implements AutoCloseable {
        final Path dir;
        final MediaEngine media;
        final SignalingClientFactory factory = SignalingClientFactory.standard();
        final ClientService service;
        final LinkedBlockingQueue<CallSession> incoming = new LinkedBlockingQueue<>();
        private Ringer ringer; // the window's parts, once it has one
        private ExecutorService background;
        private ScheduledExecutorService thumbnails;

        Client(Path dir, double toneHz) throws Exception {
            this(dir, toneHz, MediaEngine.headless(), true);
        }

        /**
         * A client whose media engine has these devices (a test's SyntheticDevices: cameras it plugs and unplugs);
         * with {@code fakeMedia} false its calls capture from them instead of sending the test pattern.
         */
        Client(Path dir, double toneHz, MediaEngine media, boolean fakeMedia) throws Exception {
            this.dir = dir;
            this.media = media;
            SettingsStore settings = new SettingsStore(dir);
            if (settings.get().serverUrl() == null) {
                // Small video: two encoders and decoders share this 2-core machine with the UI.
                settings.set(settings.get().withLook("640x360@30", "light", "en", false));
            }
            service = new ClientService(
                    CompletableFuture.completedFuture(media),
                    factory,
                    new ContactStore(dir),
                    settings,
                    new CallHistory(dir),
                    CallOptions.defaults().withToneHz(toneHz).withFakeMedia(fakeMedia),
                    Trust.load(dir)); // as the desktop app: an identity kept in the directory
            service.addListener(new ClientService.Listener() {
                @Override
                public void onIncomingCall(CallSession session) {
                    incoming.add(session);
                }
            });
        }

        Client signIn(URI server, String user) throws Exception {
            service.signIn(server, user, PASSWORD).get(10, TimeUnit.SECONDS);
            return this;
        }

        /**
         * A window over this client, its parts built as app.DesktopServices builds them (without the built-in
         * server and without desktop notifications); they close with the client. FX thread.
         */
        MainWindow window(Stage stage, AutoStart autoStart, String launchCommand) {
            ringer = new Ringer();
            background = Executors.newCachedThreadPool();
            thumbnails = Executors.newSingleThreadScheduledExecutor();
            FxExecutor fx = new FxExecutor();
            Messages text = Messages.forLanguage(service.settings().get().language());
            CallViewModelFactory calls = new CallViewModelFactory(service, ringer, fx, background);
            return new MainWindow(
                    stage,
                    new MainWindow.Parts(
                            text,
                            fx,
                            ringer,
                            new SignInViewModel(service, text, fx, null),
                            new HomeViewModel(service, text, fx, background, calls),
                            new IncomingCallViewModel(service, calls, ringer, new DesktopNotifier(null), text, fx),
                            new SettingsViewModel(service, autoStart, launchCommand, null, text, fx, background),
                            new ScreenPickerViewModel(new AwtScreenSources(15), thumbnails, background, text, fx),
                            new HostingStatusViewModel(null, text, fx, null),
                            service.settings().get().theme(),
                            () -> {}));
        }

        @Override
        public void close() {
            if (ringer != null) {
                thumbnails.shutdownNow();
                background.shutdown();
                ringer.close();
            }
            service.close();
            media.close();
            factory.close();
        }
    }
}
