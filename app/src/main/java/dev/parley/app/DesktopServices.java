package dev.parley.app;

import dev.parley.call.CallHistory;
import dev.parley.call.CallOptions;
import dev.parley.call.CallWarmUp;
import dev.parley.call.ClientService;
import dev.parley.call.ContactStore;
import dev.parley.call.Settings;
import dev.parley.call.SettingsStore;
import dev.parley.call.Trust;
import dev.parley.media.MediaEngine;
import dev.parley.signaling.client.SignalingClientFactory;
import dev.parley.ui.AutoStart;
import dev.parley.ui.AwtScreenSources;
import dev.parley.ui.CallViewModelFactory;
import dev.parley.ui.DesktopNotifier;
import dev.parley.ui.FxExecutor;
import dev.parley.ui.HomeViewModel;
import dev.parley.ui.HostingStatusViewModel;
import dev.parley.ui.IncomingCallViewModel;
import dev.parley.ui.MainWindow;
import dev.parley.ui.Messages;
import dev.parley.ui.Ringer;
import dev.parley.ui.ScreenPickerViewModel;
import dev.parley.ui.SettingsViewModel;
import dev.parley.ui.SignInViewModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The desktop app's one assembly point: builds every service and view model with plain constructors, and closes
 * them in reverse order of creation. The media engine starts once the window shows and probes devices on a thread
 * of its own; nothing here touches JavaFX (the window is built on the FX thread from {@link #window}).
 */
final class DesktopServices implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DesktopServices.class);
    private static final int SCREEN_SHARE_FPS = 15;
    private static final Duration WARM_UP_LIMIT = Duration.ofSeconds(3);

    private final Closer closer = new Closer();
    private final AtomicBoolean mediaStarted = new AtomicBoolean();
    final CompletableFuture<MediaEngine> media = new CompletableFuture<>();
    final SignalingClientFactory factory;
    final ClientService service;
    /** The built-in server with its echo peer (started when used: no server set, or the user picks it), or null. */
    final EmbeddedServer builtIn;
    /** What the main window shows. */
    final MainWindow.Parts window;

    /**
     * @param config        the user's config directory (settings, contacts, history)
     * @param autoStart     the start-at-login entry, which runs {@code launchCommand}
     * @param builtInServer whether to offer the built-in server (and use it when no server is set)
     */
    DesktopServices(Path config, AutoStart autoStart, String launchCommand, boolean builtInServer) {
        this(config, autoStart, launchCommand, builtInServer, () -> MediaEngine.create(Duration.ofSeconds(2)));
    }

    /** As above, with the media engine from {@code engine} (a test's synthetic cameras), made off this thread. */
    DesktopServices(
            Path config,
            AutoStart autoStart,
            String launchCommand,
            boolean builtInServer,
            Supplier<MediaEngine> engine) {
        closer.add(() -> media.thenAccept(MediaEngine::close));
        factory = closer.add(SignalingClientFactory.standard());
        // Real devices only: no camera, the camera is off; no sound system, silence; the call says which (OwnMedia).
        service = closer.add(new ClientService(
                media,
                factory,
                new ContactStore(config),
                new SettingsStore(config),
                new CallHistory(config),
                CallOptions.defaults().withFakeMedia(false),
                Trust.load(config))); // its identity is read or made at the first sign-in, off the FX thread
        builtIn = builtInServer ? closer.add(new EmbeddedServer(config, service, factory)) : null;

        DesktopNotifier notifier = new DesktopNotifier();
        Ringer ringer = closer.add(new Ringer());
        ExecutorService background = Executors.newCachedThreadPool(daemon("parley-ui-background"));
        closer.add(
                () -> { // closing a camera preview, say: done before the media engine goes
                    background.shutdown();
                    if (!background.awaitTermination(5, TimeUnit.SECONDS)) {
                        log.warn("Background work still running at exit");
                    }
                });
        ScheduledExecutorService thumbnails =
                Executors.newSingleThreadScheduledExecutor(daemon("parley-screen-thumbnails"));
        closer.add(thumbnails::shutdownNow);
        ScheduledExecutorService hostingWatch =
                Executors.newSingleThreadScheduledExecutor(daemon("parley-hosting-status"));
        closer.add(hostingWatch::shutdownNow);
        FxExecutor fx = new FxExecutor();
        Settings settings = service.settings().get();
        Messages text = Messages.forLanguage(settings.language());
        AwtScreenSources screens = new AwtScreenSources(SCREEN_SHARE_FPS);

        CallViewModelFactory calls = new CallViewModelFactory(service, ringer, fx, background);
        window = new MainWindow.Parts(
                text,
                fx,
                ringer,
                new SignInViewModel(service, text, fx, builtIn),
                new HomeViewModel(service, text, fx, background, calls),
                new IncomingCallViewModel(service, calls, ringer, notifier, text, fx),
                new SettingsViewModel(service, autoStart, launchCommand, builtIn, text, fx, background),
                new ScreenPickerViewModel(screens, thumbnails, background, text, fx),
                new HostingStatusViewModel(builtIn, text, fx, hostingWatch),
                settings.theme(),
                () -> startMediaEngine(engine)); // not before: it would slow the window's start (bench start)
    }

    /** Starts the media engine and probes the devices on a thread of its own, once. */
    private void startMediaEngine(Supplier<MediaEngine> engine) {
        if (!mediaStarted.compareAndSet(false, true)) {
            return;
        }
        Thread probe = new Thread(
                () -> {
                    try {
                        MediaEngine made = engine.get();
                        media.complete(made);
                        // The first call as quick as the next ones; a call placed meanwhile does not wait for it.
                        CallWarmUp.run(CallOptions.defaults(), WARM_UP_LIMIT);
                    } catch (Throwable e) {
                        log.error("The media engine failed to start", e);
                        media.completeExceptionally(e);
                    }
                },
                "parley-media-start");
        probe.setDaemon(true);
        probe.start();
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Closes everything in reverse order of creation. Not on the FX thread (it waits for background work). */
    @Override
    public void close() {
        closer.close();
    }
}
