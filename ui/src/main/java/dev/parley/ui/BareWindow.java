package dev.parley.ui;

import java.lang.management.ManagementFactory;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.stage.Stage;

/**
 * The floor for Parley's start-up ({@code parley bench start}): a JavaFX window with one label and nothing else,
 * on the same runtime and JVM flags, not even a logging framework. Prints when it is shown, in the words
 * DesktopApp logs it with, and exits.
 */
public final class BareWindow {

    private BareWindow() {}

    public static void main(String[] args) {
        Platform.startup(() -> {
            Stage stage = new Stage();
            stage.setScene(new Scene(new Label("Parley"), 640, 480));
            stage.show();
            // Printed, not logged: loading a logging framework would raise the floor this window measures.
            System.err.println(
                    "Window shown " + ManagementFactory.getRuntimeMXBean().getUptime() + " ms after the JVM started");
            Platform.exit();
        });
    }
}
