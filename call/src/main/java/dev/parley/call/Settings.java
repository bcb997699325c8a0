package dev.parley.call;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The user's settings, in {@code settings.json}. Fields a file lacks (an older version wrote it) take their
 * defaults through {@link #withDefaults()}.
 *
 * @param serverUrl    the signaling server, or null for the embedded one
 * @param user         the user name to sign in as
 * @param device       this installation's device id, made once
 * @param camera       the chosen camera's name, or null for the first one
 * @param microphone   the chosen microphone's name, or null for the default
 * @param speaker      the chosen speaker's name, or null for the default
 * @param videoQuality e.g. {@code 1280x720@30}
 * @param theme        {@code light} or {@code dark}
 * @param language     {@code en} or {@code ru}
 * @param startAtLogin whether the app starts with the session
 * @param iceServers   the user's own STUN/TURN servers, in {@link IceServerLines} form, used besides the server's
 * @param hostOnNetwork whether the built-in server (used when {@code serverUrl} is null) accepts calls from the
 *                      local network, not only from this computer
 * @param downloadFolder where received files are saved, or null for the desktop's download folder
 *                       ({@link DownloadFolder})
 */
public record Settings(
        String serverUrl,
        String user,
        String device,
        String camera,
        String microphone,
        String speaker,
        String videoQuality,
        String theme,
        String language,
        Boolean startAtLogin,
        List<String> iceServers,
        Boolean hostOnNetwork,
        String downloadFolder) {

    /** The video qualities offered, smallest first. */
    public static final List<String> VIDEO_QUALITIES = List.of("640x360@30", "640x480@30", "1280x720@30");

    public static Settings defaults() {
        return new Settings(
                null,
                null,
                UUID.randomUUID().toString(),
                null,
                null,
                null,
                "1280x720@30",
                "light",
                "en",
                false,
                List.of(),
                false,
                null);
    }

    public Settings withDefaults() {
        Settings d = defaults();
        return new Settings(
                serverUrl,
                user,
                device != null ? device : d.device,
                camera,
                microphone,
                speaker,
                videoQuality != null && VIDEO_QUALITIES.contains(videoQuality) ? videoQuality : d.videoQuality,
                "dark".equals(theme) ? "dark" : d.theme,
                "ru".equals(language) ? "ru" : d.language,
                startAtLogin != null ? startAtLogin : d.startAtLogin,
                iceServers == null
                        ? d.iceServers
                        : iceServers.stream().filter(Objects::nonNull).toList(),
                hostOnNetwork != null ? hostOnNetwork : d.hostOnNetwork,
                absoluteFolder(downloadFolder));
    }

    /** The folder if it is an absolute path (a hand-edited file may hold anything), else null: the default. */
    private static String absoluteFolder(String folder) {
        try {
            return folder != null && java.nio.file.Path.of(folder).isAbsolute() ? folder : null;
        } catch (java.nio.file.InvalidPathException e) {
            return null;
        }
    }

    public Settings withAccount(String url, String name) {
        return new Settings(
                url,
                name,
                device,
                camera,
                microphone,
                speaker,
                videoQuality,
                theme,
                language,
                startAtLogin,
                iceServers,
                hostOnNetwork,
                downloadFolder);
    }

    public Settings withDevices(String cameraName, String microphoneName, String speakerName) {
        return new Settings(
                serverUrl,
                user,
                device,
                cameraName,
                microphoneName,
                speakerName,
                videoQuality,
                theme,
                language,
                startAtLogin,
                iceServers,
                hostOnNetwork,
                downloadFolder);
    }

    public Settings withLook(String quality, String themeName, String languageTag, boolean atLogin) {
        return new Settings(
                serverUrl,
                user,
                device,
                camera,
                microphone,
                speaker,
                quality,
                themeName,
                languageTag,
                atLogin,
                iceServers,
                hostOnNetwork,
                downloadFolder);
    }

    public Settings withIceServers(List<String> lines) {
        return new Settings(
                serverUrl,
                user,
                device,
                camera,
                microphone,
                speaker,
                videoQuality,
                theme,
                language,
                startAtLogin,
                List.copyOf(lines),
                hostOnNetwork,
                downloadFolder);
    }

    public Settings withHostOnNetwork(boolean on) {
        return new Settings(
                serverUrl,
                user,
                device,
                camera,
                microphone,
                speaker,
                videoQuality,
                theme,
                language,
                startAtLogin,
                iceServers,
                on,
                downloadFolder);
    }

    /** With received files saved in {@code folder} (null: the desktop's download folder). */
    public Settings withDownloadFolder(String folder) {
        return new Settings(
                serverUrl,
                user,
                device,
                camera,
                microphone,
                speaker,
                videoQuality,
                theme,
                language,
                startAtLogin,
                iceServers,
                hostOnNetwork,
                folder);
    }
}
