package dev.parley.installers;

import dev.parley.testsupport.SystemTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The .deb as a user gets it: built by {@code parley package}, installed with apt (which pulls the declared
 * libraries), started from /opt/parley/bin/parley on a display of its own until its window shows (a screenshot is
 * the artifact), then removed without a trace. Prints the sizes and the cold start.
 */
@SystemTest
@Timeout(600)
class DebPackageTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path home;

    @Test
    void theDebInstallsStartsToAWindowAndRemovesCleanly() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "installing a package needs root");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/apt-get")) && Files.isExecutable(Path.of("/usr/bin/fakeroot"))
                && Files.isExecutable(Path.of("/usr/bin/Xvfb")), "needs apt-get, fakeroot and Xvfb");
        assumeTrue(!Files.exists(Path.of("/opt/parley")), "Parley is installed on this machine already");
        Path out = Path.of("target", "installers").toAbsolutePath();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        String cp = ROOT.resolve("app/target/parley-app.jar") + ":" + ROOT.resolve("app/target/lib") + "/*";
        run(600, List.of(java.toString(), "-Dparley.home=" + ROOT, "-cp", cp, "dev.parley.app.Main", "package",
                "--type", "deb", "--dest", out.toString()));
        Path deb;
        try (Stream<Path> files = Files.list(out)) {
            deb = files.filter(p -> p.toString().endsWith(".deb")).findFirst().orElseThrow();
        }
        long debBytes = Files.size(deb);

        run(600, List.of("apt-get", "install", "-y", "-q", "--no-install-recommends", deb.toString()));
        try {
            Path launcher = Path.of("/opt/parley/bin/parley");
            assertTrue(Files.isExecutable(launcher));
            long installedBytes = treeSize(Path.of("/opt/parley"));
            assertTrue(Files.readString(Path.of("/usr/share/applications/parley.desktop"))
                    .contains("MimeType=x-scheme-handler/parley;"), "the desktop entry with the parley: URL handler");

            Path shot = Path.of("target", "screenshots", "installed-app.png").toAbsolutePath();
            Files.deleteIfExists(shot);
            Process xvfb = new ProcessBuilder("Xvfb", ":87", "-screen", "0", "1280x720x24", "-nolisten", "tcp")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                Thread.sleep(1000);
                long[] coldStart = startOnce(launcher, shot);
                assertTrue(Files.size(shot) > 10_000, "a picture of the window");
                long[] warmStart = startOnce(launcher, shot);
                System.out.printf(Locale.ROOT, "installer %.1f MB, installed %.1f MB, window shown %d ms after the JVM"
                                + " started (%d ms after launch); again: %d ms (%d ms)%n", debBytes / 1e6,
                        installedBytes / 1e6, coldStart[0], coldStart[1], warmStart[0], warmStart[1]);
                assertTrue(installedBytes < 120_000_000L, "installed " + installedBytes + " bytes");
            } finally {
                xvfb.destroyForcibly();
            }
        } finally {
            run(300, List.of("apt-get", "remove", "-y", "-q", "parley"));
        }
        assertFalse(Files.exists(Path.of("/opt/parley/bin/parley")), "removed");
        assertFalse(Files.exists(Path.of("/opt/parley")), "nothing left in /opt/parley");
        assertFalse(Files.exists(Path.of("/usr/share/applications/parley.desktop")), "the desktop entry is gone");
    }

    /** Starts the installed app; returns {JVM uptime at "Window shown", ms from launch to that line}. */
    private long[] startOnce(Path launcher, Path shot) throws Exception {
        ProcessBuilder b = new ProcessBuilder(launcher.toString()).redirectErrorStream(true);
        b.environment().put("DISPLAY", ":87");
        b.environment().put("HOME", home.toString());
        b.environment().put("XDG_CONFIG_HOME", home.resolve("config").toString());
        b.environment().put("PARLEY_SCREENSHOT", shot.toString());
        long start = System.nanoTime();
        Process app = b.start();
        List<String> seen = new ArrayList<>();
        long uptime = -1;
        long launched = -1;
        Pattern shown = Pattern.compile("Window shown (\\d+) ms");
        try (BufferedReader in = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                seen.add(line);
                Matcher m = shown.matcher(line);
                if (m.find()) {
                    uptime = Long.parseLong(m.group(1));
                    launched = (System.nanoTime() - start) / 1_000_000;
                }
                if (line.contains("Screenshot saved")) {
                    break;
                }
            }
        } finally {
            app.destroy();
            app.waitFor(20, TimeUnit.SECONDS);
            app.destroyForcibly();
        }
        assertTrue(uptime > 0, "no window:\n" + String.join("\n", seen));
        assertTrue(Files.exists(shot), "no screenshot:\n" + String.join("\n", seen));
        return new long[]{uptime, launched};
    }

    private static void run(long seconds, List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(seconds, TimeUnit.SECONDS), String.join(" ", command) + " did not finish");
        assertEquals(0, p.exitValue(), String.join(" ", command) + " failed:\n" + out);
    }

    private static long treeSize(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
