package dev.parley.app;

import dev.parley.testsupport.SystemTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code parley} with no arguments opens the desktop window (here on the test's Xvfb display). */
@SystemTest
@Timeout(60)
class DesktopLaunchTest {
    @TempDir
    Path home;

    @Test
    void parleyWithoutArgumentsOpensTheWindow() throws Exception {
        ProcessBuilder builder = ParleyProcess.builder().redirectErrorStream(true);
        builder.environment().put("XDG_CONFIG_HOME", home.resolve("config").toString());
        builder.environment().put("HOME", home.toString());
        Process parley = builder.start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(parley.getInputStream(), StandardCharsets.UTF_8))) {
            StringBuilder seen = new StringBuilder();
            String line;
            boolean shown = false;
            while (!shown && (line = out.readLine()) != null) {
                seen.append(line).append('\n');
                shown = line.contains("Window shown");
            }
            assertTrue(shown, "no window:\n" + seen);
            assertTrue(parley.isAlive(), "the app keeps running with its window open");
        } finally {
            parley.destroy(); // SIGTERM, as a desktop session ending would
            assertTrue(parley.waitFor(20, TimeUnit.SECONDS), "the app exits when told to");
        }
    }
}
