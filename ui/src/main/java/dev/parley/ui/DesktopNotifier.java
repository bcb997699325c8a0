package dev.parley.ui;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces an incoming call on the desktop ("Alice is calling") while the window is not in front. On Linux through
 * {@code notify-send} (libnotify) when installed; elsewhere, or without it, nothing: the in-window dialog and the
 * ringtone still announce the call. Runs the command off the FX thread.
 */
public final class DesktopNotifier {
    private static final Logger log = LoggerFactory.getLogger(DesktopNotifier.class);
    private final Path command;

    public DesktopNotifier() {
        this(find("notify-send"));
    }

    DesktopNotifier(Path command) {
        this.command = command;
    }

    public boolean available() {
        return command != null;
    }

    public void notify(String title, String body) {
        if (command == null) {
            return;
        }
        Thread t = new Thread(
                () -> {
                    try {
                        Process p = new ProcessBuilder(List.of(
                                        command.toString(), "--app-name=Parley", "--urgency=critical", title, body))
                                .redirectErrorStream(true)
                                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                                .start();
                        if (!p.waitFor(5, TimeUnit.SECONDS)) {
                            p.destroyForcibly();
                        }
                    } catch (Exception e) {
                        log.debug("No desktop notification: {}", e.toString());
                    }
                },
                "parley-notify");
        t.setDaemon(true);
        t.start();
    }

    private static Path find(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
