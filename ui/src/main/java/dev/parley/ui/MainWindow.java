package dev.parley.ui;

import dev.parley.call.CallSession;
import dev.parley.call.CallState;
import dev.parley.call.ClientService;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.kordamp.ikonli.javafx.FontIcon;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The application window: sign-in, then the contacts, then calls; dialogs (incoming call, settings, screen
 * picker, confirmations) as cards over the window. Built and used on the FX thread; events from the client
 * service arrive through {@link FxExecutor}.
 */
public final class MainWindow {
    private static final Logger log = LoggerFactory.getLogger(MainWindow.class);

    private final Stage stage;
    private final ClientService service;
    private final Messages text;
    private final FxExecutor fx = FxExecutor.INSTANCE;
    private final Ringer ringer = new Ringer();
    private final DesktopNotifier notifier;
    private final AutoStart autoStart;
    private final String launchCommand;
    private final ExecutorService background = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "parley-ui-background");
        t.setDaemon(true);
        return t;
    });
    private final StackPane content = new StackPane();
    private final DialogHost overlays = new DialogHost(fx);
    private final SignInViewModel signInModel;
    private final HomeViewModel homeModel;
    private final SignInView signInView;
    private final HomeView homeView;
    private CallView callView;
    private final IncomingCallViewModel incomingModel;
    private final IncomingCallView incomingView;
    private Node dialog; // settings or the screen picker, while shown
    private Runnable releaseDialog; // what lets go of the dialog's camera, meter or capture thread
    private final SettingsViewModel settingsModel;
    private final ScreenPickerViewModel screenPickerModel;
    private final java.util.concurrent.ScheduledExecutorService thumbnails =
            Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "parley-screen-thumbnails");
                t.setDaemon(true);
                return t;
            });
    private final LocalServer local;
    private String pendingDial; // FX thread

    /**
     * @param launchCommand what starts Parley, for the start-at-login entry
     */
    public MainWindow(Stage stage, ClientService service, DesktopNotifier notifier, AutoStart autoStart,
                      String launchCommand) {
        this(stage, service, notifier, autoStart, launchCommand, null);
    }

    /**
     * @param local the app's built-in server, or null: used when no server is set (the first run), and offered on
     *              the sign-in form
     */
    public MainWindow(Stage stage, ClientService service, DesktopNotifier notifier, AutoStart autoStart,
                      String launchCommand, LocalServer local) {
        this.stage = stage;
        this.local = local;
        this.service = service;
        this.notifier = notifier;
        this.autoStart = autoStart;
        this.launchCommand = launchCommand;
        this.text = Messages.forLanguage(service.settings().get().language());
        CallViewModelFactory calls = new CallViewModelFactory(service, ringer, fx);
        signInModel = new SignInViewModel(service, text, fx, local);
        homeModel = new HomeViewModel(service, text, fx, background, calls);
        incomingModel = new IncomingCallViewModel(service, calls, ringer, notifier, text, fx);
        settingsModel = new SettingsViewModel(service, autoStart, launchCommand, local, text, fx, background);
        screenPickerModel = new ScreenPickerViewModel(new AwtScreenSources(15), thumbnails, background, text, fx);
        signInView = new SignInView(signInModel, text);
        homeView = new HomeView(homeModel, text, overlays, this::call, this::openSettings, this::signOut);
        signInModel.signedIn().addListener((o, a, in) -> {
            if (in) {
                showHome();
            }
        });
        incomingView = new IncomingCallView(incomingModel, text, overlays);
        incomingModel.setCallScreen(new IncomingCallViewModel.CallScreen() {
            @Override
            public boolean showingCall() {
                return callView != null;
            }

            @Override
            public void showCall(CallViewModel call) {
                MainWindow.this.showCall(call);
            }
        });
    }

    /** Shows the window with the sign-in form. */
    public void show() {
        Theme.apply(service.settings().get().theme());
        StackPane root = new StackPane(content, overlays);
        overlays.guard(content);
        root.setId("root");
        Scene scene = new Scene(root, 1100, 720);
        scene.getStylesheets().add(MainWindow.class.getResource("parley.css").toExternalForm());
        stage.setScene(scene);
        stage.setTitle(text.get("app.name"));
        var icon = MainWindow.class.getResourceAsStream("/icon/parley.png");
        if (icon != null) {
            stage.getIcons().add(new javafx.scene.image.Image(icon, 256, 256, true, true));
        }
        stage.setMinWidth(720);
        stage.setMinHeight(480);
        content.getChildren().setAll(signInView);
        stage.setOnHidden(e -> close());
        stage.show();
        incomingModel.windowFocused().bind(stage.focusedProperty());
        signInView.focusFirstField();
        signInModel.signInIfFirstRun();
    }

    public SignInViewModel signInModel() {
        return signInModel;
    }

    public HomeViewModel homeModel() {
        return homeModel;
    }

    Ringer ringer() {
        return ringer;
    }

    private void showHome() {
        content.getChildren().setAll(homeView);
        homeView.signedIn();
        homeModel.signedIn();
        if (pendingDial != null) {
            String user = pendingDial;
            pendingDial = null;
            call(user);
        }
    }

    /** Calls this user as soon as the window is signed in (a parley:call/NAME link opened the app). Null: none. */
    public void dialWhenSignedIn(String user) {
        pendingDial = user;
    }

    private void signOut() {
        signInModel.signOut();
        content.getChildren().setAll(signInView);
    }

    private void call(String user) {
        CallViewModel model = homeModel.call(user);
        if (model != null) {
            showCall(model);
        }
    }

    private void showCall(CallViewModel model) {
        if (callView != null) {
            callView.dispose(); // the end of the last call, still shown
        }
        callView = new CallView(model, text, overlays, fx, new CallView.Host() {
            @Override
            public void pickScreen(CallViewModel call) {
                openScreenPicker(call);
            }

            @Override
            public void callFinished(CallView view) {
                if (callView == view) {
                    callView = null;
                    view.dispose();
                    if (service.user() != null || content.getChildren().contains(view)) {
                        showHome();
                    }
                }
            }
        });
        content.getChildren().setAll(callView);
        callView.requestFocus();
    }

    private void openSettings() {
        if (dialog != null) {
            return;
        }
        settingsModel.open();
        SettingsView view = new SettingsView(settingsModel, text, fx, () -> {
            closeDialog();
            signOut(); // "connect to another server": the sign-in form
        }, this::closeDialog);
        openDialog(view, () -> {
            view.dispose();
            settingsModel.close();
        });
    }

    private void openDialog(Node view, Runnable release) {
        dialog = view;
        releaseDialog = release;
        overlays.show(view, this::closeDialog);
    }

    /** Closes the settings or the screen picker (they hold a camera, a meter or a capture thread). */
    private void closeDialog() {
        if (dialog != null) {
            overlays.close(dialog);
            dialog = null;
            releaseDialog.run();
        }
    }

    private void openScreenPicker(CallViewModel call) {
        if (dialog != null) {
            return;
        }
        screenPickerModel.open(call::shareScreen);
        ScreenPicker picker = new ScreenPicker(screenPickerModel, text, this::closeDialog);
        openDialog(picker, () -> {
            picker.dispose();
            screenPickerModel.close();
        });
    }

    /**
     * Lets go of what the window holds (an open camera preview, the ringer, background work). FX thread; the
     * native parts close on the background threads, which {@link #awaitClosed} waits for off the FX thread.
     * Idempotent.
     */
    public void close() {
        closeDialog();
        incomingModel.windowFocused().unbind();
        ringer.close();
        thumbnails.shutdownNow();
        background.shutdown();
    }

    /** Waits until the window's background work (closing a camera preview, say) is done. Not on the FX thread. */
    public boolean awaitClosed(long millis) throws InterruptedException {
        return background.awaitTermination(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** The window's current content, for tests and screenshots. */
    Node content() {
        return content.getChildren().isEmpty() ? null : content.getChildren().get(0);
    }

    CallView callView() {
        return callView;
    }
}
