package dev.parley.ui;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Looks up the user-visible text, from {@code messages.properties} (English) and {@code messages_ru.properties}. */
public final class Messages {
    private static final Logger log = LoggerFactory.getLogger(Messages.class);
    static final String BUNDLE = "dev.parley.ui.messages";

    private final ResourceBundle bundle;
    private final Locale locale;

    private Messages(Locale locale) {
        this.locale = locale;
        // The English file is the base; no fall-back to the JVM's default locale, so "en" means English anywhere.
        this.bundle = ResourceBundle.getBundle(
                BUNDLE, locale, ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    /** The messages for a language tag ({@code en} or {@code ru}); anything else is English. */
    public static Messages forLanguage(String tag) {
        return new Messages("ru".equals(tag) ? Locale.forLanguageTag("ru") : Locale.ROOT);
    }

    public Locale locale() {
        return locale;
    }

    /** The text for a key, with {@code {0}}-style arguments filled in. A missing key shows as itself. */
    public String get(String key, Object... args) {
        String pattern;
        try {
            pattern = bundle.getString(key);
        } catch (MissingResourceException e) {
            log.warn("No text for '{}' in {}", key, locale);
            return key;
        }
        return args.length == 0 ? pattern : new MessageFormat(pattern, locale).format(args);
    }
}
