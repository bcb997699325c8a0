package dev.parley.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The classes the desktop app loads until its window shows (and a moment after), listed by running it once at
 * package time: the installed package turns the list into a class-data archive at install time ({@code postinst}),
 * which takes ~0.4 s off every start ({@code parley bench start}). Needs a display: {@code DISPLAY}, or a private
 * {@code Xvfb} started for the run.
 */
final class StartClassList {
    private StartClassList() {}

    /**
     * Runs the app from {@code jars} with {@code java} and writes its class list to {@code out}; false (with the
     * reason on stderr) when there is no display to run it on or it did not show its window.
     */
    static boolean make(Path java, Path jars, Path out) throws IOException, InterruptedException {
        Files.deleteIfExists(out);
        Process xvfb = null;
        String display = System.getenv("DISPLAY");
        try {
            if (display == null || display.isBlank()) {
                if (!Files.isExecutable(Path.of("/usr/bin/Xvfb"))) {
                    System.err.println("parley: no display and no Xvfb: the package starts without a class list");
                    return false;
                }
                // -displayfd: Xvfb picks a free display and prints its number once it accepts clients.
                xvfb = new ProcessBuilder("Xvfb", "-displayfd", "1", "-screen", "0", "1280x720x24", "-nolisten", "tcp")
                        .redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start();
                try (BufferedReader number =
                        new BufferedReader(new InputStreamReader(xvfb.getInputStream(), StandardCharsets.US_ASCII))) {
                    String line = number.readLine();
                    if (line == null || !line.strip().matches("\\d+")) {
                        System.err.println("parley: Xvfb did not start: the package starts without a class list");
                        return false;
                    }
                    display = ":" + line.strip();
                }
            }
            return runApp(java, jars, out, display);
        } finally {
            if (xvfb != null) {
                xvfb.destroy();
                xvfb.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static boolean runApp(Path java, Path jars, Path out, String display)
            throws IOException, InterruptedException {
        List<String> command = List.of(
                java.toString(),
                "-XX:DumpLoadedClassList=" + out,
                "-cp",
                jars.resolve("*").toString(),
                Main.class.getName());
        // It runs on a little: the sign-in and the home screen follow the window on a first run.
        long shown = WindowRun.run(command, Map.of("DISPLAY", display), Duration.ofSeconds(3));
        if (shown < 0 || !Files.isRegularFile(out) || Files.size(out) == 0) {
            System.err.println("parley: the app did not show its window: the package starts without a class list");
            Files.deleteIfExists(out);
            return false;
        }
        return true;
    }
}
