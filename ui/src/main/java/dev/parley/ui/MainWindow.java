package dev.parley.ui;

import java.io.IOException;
import java.io.InputStream;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.image.Image;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shows the application window: the stage with its scene, stylesheet, theme, title and icon, holding the
 * {@link Navigation} (which screen shows) under the {@link DialogHost} (cards over it), with a strip on top while
 * this computer hosts calls for the network. Built and used on the FX thread; the services and view models it shows
 * come ready-made from the app's one assembly point.
 */
public final class MainWindow {
    private static final Logger log = LoggerFactory.getLogger(MainWindow.class);

    /**
     * What the window shows and uses, built by the app's assembly.
     *
     * @param fx      the one hop onto the FX thread
     * @param ringer  the call sounds, rung by the view models (the window hands it to tests)
     * @param hosting whether this computer hosts calls for the network, for the strip on top
     * @param theme   the saved theme, applied when the window shows
     * @param shown   run once the window shows: what the first screen does not need starts then (the media engine)
     */
    public record Parts(
            Messages text,
            FxExecutor fx,
            Ringer ringer,
            SignInViewModel signIn,
            HomeViewModel home,
            IncomingCallViewModel incoming,
            SettingsViewModel settings,
            ScreenPickerViewModel screenPicker,
            HostingStatusViewModel hosting,
            String theme,
            Runnable shown) {}

    private final Stage stage;
    private final Parts parts;
    private final DialogHost dialogs;
    private final Navigation navigation;

    public MainWindow(Stage stage, Parts parts) {
        this.stage = stage;
        this.parts = parts;
        // Before the first control: a control's class otherwise parses JavaFX's own stylesheet (~0.2 s), unused.
        Theme.apply(parts.theme());
        dialogs = new DialogHost(parts.fx());
        navigation = new Navigation(parts, dialogs);
    }

    /** Shows the window with the sign-in form (signing in to the built-in server at once on a first run). */
    public void show() {
        BorderPane content = new BorderPane(navigation);
        content.setTop(hostingStrip());
        StackPane root = new StackPane(content, dialogs);
        dialogs.guard(navigation);
        root.setId("root");
        Scene scene = new Scene(root, 1100, 720);
        scene.getStylesheets().add(MainWindow.class.getResource("parley.css").toExternalForm());
        stage.setScene(scene);
        stage.setTitle(parts.text().get("app.name"));
        loadIcon();
        stage.setMinWidth(720);
        stage.setMinHeight(480);
        parts.incoming().windowFocused().bind(stage.focusedProperty());
        stage.setOnHidden(e -> close());
        stage.show();
        parts.shown().run();
        parts.hosting().start();
        navigation.focusSignIn();
        parts.signIn().signInIfFirstRun();
    }

    /**
     * Gives the window its icon once decoded: the 1024 px source scaled to 256 px takes ~0.1 s, on a thread of its
     * own rather than before the window shows.
     */
    private void loadIcon() {
        Thread loader = new Thread(
                () -> {
                    try (InputStream icon = MainWindow.class.getResourceAsStream("/icon/parley.png")) {
                        if (icon != null) {
                            Image image = new Image(icon, 256, 256, true, true);
                            parts.fx().execute(() -> stage.getIcons().add(image));
                        }
                    } catch (IOException e) {
                        log.warn("Cannot read the window icon: {}", e.toString());
                    }
                },
                "parley-window-icon");
        loader.setDaemon(true);
        loader.start();
    }

    /**
     * Does what a launch of the app asks (this one's, or a later one's handed over): comes to the front and asks
     * before calling a link's user, or says a link cannot be opened. FX thread.
     */
    public void open(LaunchRequest request) {
        if (stage.isIconified()) {
            stage.setIconified(false);
        }
        stage.toFront();
        stage.requestFocus();
        navigation.open(request);
    }

    /** "Hosting calls on this network · others signed in: N", shown only while hosting. */
    private Label hostingStrip() {
        Label strip = new Label();
        strip.setId("hosting-status");
        strip.setMaxWidth(Double.MAX_VALUE);
        strip.getStyleClass().add("hosting-strip");
        strip.textProperty().bind(parts.hosting().status());
        strip.visibleProperty().bind(parts.hosting().status().isNotNull());
        strip.managedProperty().bind(strip.visibleProperty());
        parts.hosting()
                .status()
                .subscribe(
                        status -> { // the icon font loads when first needed, not before showing
                            if (status != null && strip.getGraphic() == null) {
                                strip.setGraphic(Icons.icon(Icons.HOSTING));
                            }
                        });
        return strip;
    }

    /**
     * Lets go of what the window shows (an open camera preview, a call's video); the services behind it close with
     * the app's assembly. FX thread; idempotent.
     */
    public void close() {
        parts.hosting().close();
        parts.incoming().windowFocused().unbind();
        navigation.close();
    }

    public SignInViewModel signInModel() {
        return parts.signIn();
    }

    public HomeViewModel homeModel() {
        return parts.home();
    }

    Ringer ringer() {
        return parts.ringer();
    }

    /** The window's current screen, for tests and screenshots. */
    Node content() {
        return navigation.current();
    }

    CallView callView() {
        return navigation.callView();
    }
}
