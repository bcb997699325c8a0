package dev.parley.ui;

import dev.parley.call.CallState;
import dev.parley.call.PeerMedia;
import java.util.List;
import java.util.function.Function;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.RadioMenuItem;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.util.Subscription;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The call's controls bar: microphone, camera, screen share, chat and details toggles (each with its shortcut in
 * the tooltip) and the hang-up button, in step with the call's view model.
 */
final class CallControls extends HBox {
    private final CallViewModel model;
    private final Messages text;
    private final Runnable pickScreen;
    private final ToggleButton mic;
    private final ToggleButton camera;
    private final ToggleButton screen;
    private final ToggleButton chat;
    private final ToggleButton details;
    private final MenuButton devices;
    private final ListChangeListener<String> deviceLists = change -> fillDevices();
    private final Subscription subscriptions;

    /** @param pickScreen opens the screen picker (it shares the chosen screen through the model) */
    CallControls(CallViewModel model, Messages text, Runnable pickScreen) {
        super(10);
        this.model = model;
        this.text = text;
        this.pickScreen = pickScreen;
        mic = toggle(Icons.MIC, "call.mic", "M", "toggle-mic");
        mic.setOnAction(e -> model.toggleMicrophone());
        camera = toggle(Icons.CAMERA, "call.camera", "V", "toggle-camera");
        camera.setOnAction(e -> model.toggleCamera());
        screen = toggle(Icons.SCREEN, "call.screen", "S", "toggle-screen");
        screen.setOnAction(e -> toggleScreen());
        chat = toggle(Icons.CHAT, "call.chat", "C", "toggle-chat");
        chat.setOnAction(e -> model.togglePanel(CallViewModel.SidePanel.CHAT));
        details = toggle(Icons.DETAILS, "call.details", "D", "toggle-details");
        details.setOnAction(e -> model.togglePanel(CallViewModel.SidePanel.DETAILS));
        Button hangup = new Button(text.get("call.hangup"), new FontIcon(Icons.HANG_UP));
        hangup.setId("hang-up");
        hangup.getStyleClass().add("danger");
        hangup.setAccessibleText(text.get("call.hangup"));
        hangup.setTooltip(new Tooltip(text.get("call.hangup") + " (Ctrl+W, Esc)"));
        hangup.setOnAction(e -> model.hangup());
        devices = new MenuButton(null, new FontIcon(Icons.SETTINGS));
        devices.setId("call-devices");
        devices.setAccessibleText(text.get("call.devices"));
        devices.setTooltip(new Tooltip(text.get("call.devices")));
        devices.getStyleClass().add("button-icon");
        getChildren().addAll(mic, camera, screen, devices, chat, details, hangup);
        setAlignment(Pos.CENTER);
        setPadding(new Insets(10));

        subscriptions = Subscription.combine(
                model.localMedia().subscribe((before, now) -> refresh()),
                model.state().subscribe((before, now) -> refresh()),
                model.panel().subscribe(panel -> {
                    chat.setSelected(panel == CallViewModel.SidePanel.CHAT);
                    details.setSelected(panel == CallViewModel.SidePanel.DETAILS);
                }),
                model.unreadChat().subscribe(unread -> {
                    // A dot on the chat button while the peer's lines wait unread.
                    chat.getStyleClass().remove("unread");
                    if (unread) {
                        chat.getStyleClass().add("unread");
                    }
                    chat.setText(unread ? "•" : null);
                }),
                model.camera().subscribe(name -> fillDevices()));
        model.cameras().addListener(deviceLists);
        model.microphones().addListener(deviceLists);
        model.speakers().addListener(deviceLists);
        fillDevices();
        refresh();
    }

    /**
     * The devices menu: a section each for cameras, microphones and speakers the call can switch to, the camera in
     * use checked. Rebuilt when a device is plugged in or out. (The audio module does not say which microphone and
     * speaker are in use, so those have no check mark.)
     */
    private void fillDevices() {
        devices.getItems().clear();
        ToggleGroup cameras = new ToggleGroup();
        section("call.devices.camera", model.cameras(), name -> {
            RadioMenuItem item = new RadioMenuItem(name);
            item.setToggleGroup(cameras);
            item.setSelected(name.equals(model.camera().get()));
            item.setOnAction(e -> model.switchCamera(name));
            return item;
        });
        section("call.devices.microphone", model.microphones(), name -> {
            MenuItem item = new MenuItem(name);
            item.setOnAction(e -> model.switchAudio(name, null));
            return item;
        });
        section("call.devices.speaker", model.speakers(), name -> {
            MenuItem item = new MenuItem(name);
            item.setOnAction(e -> model.switchAudio(null, name));
            return item;
        });
        devices.setDisable(devices.getItems().isEmpty());
    }

    private void section(String key, List<String> names, Function<String, MenuItem> item) {
        if (names.isEmpty()) {
            return;
        }
        MenuItem header = new MenuItem(text.get(key));
        header.setDisable(true);
        devices.getItems().add(header);
        names.forEach(n -> devices.getItems().add(item.apply(n)));
    }

    /** Stops sharing, or opens the screen picker in a connected call (S). */
    void toggleScreen() {
        if (model.localMedia().get().screen()) {
            model.stopScreenShare();
        } else if (model.canShareScreen()) {
            pickScreen.run();
        }
        screen.setSelected(model.localMedia().get().screen());
    }

    private void refresh() {
        PeerMedia mine = model.localMedia().get();
        CallState state = model.state().get();
        mic.setSelected(!mine.microphone());
        swap(mic, mine.microphone() ? Icons.MIC : Icons.MIC_OFF);
        camera.setSelected(!mine.camera());
        swap(camera, mine.camera() ? Icons.CAMERA : Icons.CAMERA_OFF);
        screen.setSelected(mine.screen());
        swap(screen, mine.screen() ? Icons.SCREEN_OFF : Icons.SCREEN);
        screen.setDisable(!(state == CallState.CONNECTED || state == CallState.RECONNECTING));
    }

    private ToggleButton toggle(String icon, String key, String shortcut, String id) {
        ToggleButton b = new ToggleButton(null, new FontIcon(icon));
        b.setId(id);
        b.setAccessibleText(text.get(key));
        b.setTooltip(new Tooltip(text.get(key) + " (" + shortcut + ")"));
        b.getStyleClass().add("button-icon");
        return b;
    }

    private static void swap(ToggleButton b, String icon) {
        if (!(b.getGraphic() instanceof FontIcon f) || !f.getIconLiteral().equals(icon)) {
            b.setGraphic(new FontIcon(icon));
        }
    }

    /** Stops following the model. FX thread; idempotent. */
    void dispose() {
        subscriptions.unsubscribe();
        model.cameras().removeListener(deviceLists);
        model.microphones().removeListener(deviceLists);
        model.speakers().removeListener(deviceLists);
    }
}
