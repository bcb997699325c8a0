package dev.parley.call;

/**
 * The user's settings, in {@code settings.json}. Fields a file lacks (an older version wrote it) take their
 * defaults through {@link #withDefaults()}.
 *
 * @param serverUrl    the signaling server, or null for the embedded one
 * @param user         the user name to sign in as
 * @param device       this installation's device id, made once
 * @param camera       the chosen camera's id, or null for the first one
 * @param microphone   the chosen microphone's id, or null for the default
 * @param speaker      the chosen speaker's id, or null for the default
 * @param videoQuality e.g. {@code 1280x720@30}
 * @param theme        {@code light} or {@code dark}
 * @param language     {@code en} or {@code ru}
 * @param startAtLogin whether the app starts with the session
 */
public record Settings(String serverUrl, String user, String device, String camera, String microphone,
                       String speaker, String videoQuality, String theme, String language, Boolean startAtLogin) {

    public static Settings defaults() {
        return new Settings(null, null, java.util.UUID.randomUUID().toString(), null, null, null, "1280x720@30",
                "light", "en", false);
    }

    public Settings withDefaults() {
        Settings d = defaults();
        return new Settings(serverUrl, user, device != null ? device : d.device, camera, microphone, speaker,
                videoQuality != null ? videoQuality : d.videoQuality, "dark".equals(theme) ? "dark" : d.theme,
                "ru".equals(language) ? "ru" : d.language, startAtLogin != null ? startAtLogin : d.startAtLogin);
    }
}
