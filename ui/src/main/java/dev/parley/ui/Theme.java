package dev.parley.ui;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import javafx.application.Application;

/** Applies AtlantaFX's Primer theme, light or dark, to the whole application. FX thread. */
final class Theme {
    private Theme() {}

    static void apply(String name) {
        Application.setUserAgentStylesheet(
                "dark".equals(name)
                        ? new PrimerDark().getUserAgentStylesheetBSS()
                        : new PrimerLight().getUserAgentStylesheetBSS());
    }
}
