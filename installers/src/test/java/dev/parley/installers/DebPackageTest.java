package dev.parley.installers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.testsupport.ChildProcess;
import dev.parley.testsupport.SystemTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .deb as a user gets it: built by {@code parley package}, installed with apt (which pulls the declared
 * libraries), started from /opt/parley/bin/parley on a display of its own until its window shows (a screenshot is
 * the artifact), then removed: the program goes, the user's settings stay. Prints the sizes and the cold start.
 * Needs root and apt (a system test: ./scripts/test.sh); it fails, never skips, when it cannot run.
 */
@SystemTest
@Timeout(900)
class DebPackageTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path OPT = Path.of("/opt/parley");

    @TempDir
    Path home;

    @TempDir
    Path logs;

    private final AtomicInteger runs = new AtomicInteger();

    @Test
    void theDebInstallsStartsToAWindowAndRemovesCleanlyKeepingTheUsersSettings() throws Exception {
        assertEquals("root", System.getProperty("user.name"), "installing a package needs root (./scripts/test.sh)");
        for (String tool : List.of("/usr/bin/apt-get", "/usr/bin/fakeroot", "/usr/bin/Xvfb", "/usr/bin/dpkg-query")) {
            assertTrue(Files.isExecutable(Path.of(tool)), tool + " is missing (./scripts/test.sh installs it)");
        }
        clearLeftovers();

        Path out = Path.of("target", "installers").toAbsolutePath();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        String cp = ROOT.resolve("app/target/parley-app.jar") + ":" + ROOT.resolve("app/target/lib") + "/*";
        run(
                600,
                List.of(
                        java.toString(),
                        "-Dparley.home=" + ROOT,
                        "-cp",
                        cp,
                        "dev.parley.app.Main",
                        "package",
                        "--type",
                        "deb",
                        "--dest",
                        out.toString()));
        Path deb;
        try (Stream<Path> files = Files.list(out)) {
            deb = files.filter(p -> p.toString().endsWith(".deb")).findFirst().orElseThrow();
        }
        long debBytes = Files.size(deb);

        run(600, List.of("apt-get", "install", "-y", "-q", "--no-install-recommends", deb.toString()));
        Path settings = home.resolve("config/parley/settings.json");
        try {
            Path launcher = OPT.resolve("bin/parley");
            assertTrue(Files.isExecutable(launcher));
            long installedBytes = treeSize(OPT);
            assertTrue(
                    Files.readString(Path.of("/usr/share/applications/parley.desktop"))
                            .contains("MimeType=x-scheme-handler/parley;"),
                    "the desktop entry with the parley: URL handler");

            Path shot = Path.of("target", "screenshots", "installed-app.png").toAbsolutePath();
            Files.deleteIfExists(shot);
            try (ChildProcess xvfb = ChildProcess.start(
                    logs,
                    "xvfb",
                    List.of("Xvfb", "-displayfd", "1", "-screen", "0", "1280x720x24", "-nolisten", "tcp"))) {
                // -displayfd: Xvfb picks a free display and prints its number once it accepts clients.
                String display =
                        ":" + xvfb.awaitLine(l -> l.matches("\\d+"), Duration.ofSeconds(20), "a display number");
                long[] coldStart = startOnce(launcher, display, shot);
                assertTrue(Files.size(shot) > 10_000, "a picture of the window");
                long[] warmStart = startOnce(launcher, display, shot);
                System.out.printf(
                        Locale.ROOT,
                        "installer %.1f MB, installed %.1f MB, window shown %d ms after the JVM"
                                + " started (%d ms after launch); again: %d ms (%d ms)%n",
                        debBytes / 1e6,
                        installedBytes / 1e6,
                        coldStart[0],
                        coldStart[1],
                        warmStart[0],
                        warmStart[1]);
                // ~100 MB, and ~45 MB of class-data archive made at install (0.4-0.9 s off every start)
                assertTrue(installedBytes < 160_000_000L, "installed " + installedBytes + " bytes");
            }
            assertTrue(Files.isRegularFile(settings), "the app saved no settings in " + settings.getParent());
        } finally {
            // As the user's own HOME: a removal script that wiped ~/.config/parley would wipe this one.
            run(300, List.of("apt-get", "remove", "-y", "-q", "parley"), Map.of("HOME", home.toString()));
        }
        assertFalse(Files.exists(OPT), "something left in /opt/parley");
        assertFalse(Files.exists(Path.of("/usr/share/applications/parley.desktop")), "the desktop entry is gone");
        assertTrue(Files.isRegularFile(settings), "apt-get remove took the user's settings");
    }

    /**
     * A run killed half-way may have left Parley installed: remove that package (said in the log), but fail loudly
     * when /opt/parley exists without one (someone else's files: not ours to delete).
     */
    private void clearLeftovers() throws Exception {
        try (ChildProcess query =
                ChildProcess.start(logs, "dpkg-query", List.of("dpkg-query", "-W", "-f=${Status}", "parley"))) {
            query.awaitExit(Duration.ofSeconds(30));
            if (query.stdout().contains("install ok installed")) {
                System.out.println("Parley was installed already (an earlier run stopped half-way): removing it first");
                run(300, List.of("apt-get", "remove", "-y", "-q", "parley"));
            }
        }
        assertFalse(Files.exists(OPT), OPT + " exists but no parley package owns it: remove it by hand");
    }

    /** Starts the installed app; returns {JVM uptime at "Window shown", ms from launch to that line}. */
    private long[] startOnce(Path launcher, String display, Path shot) throws Exception {
        long start = System.nanoTime();
        try (ChildProcess app = ChildProcess.start(
                logs,
                "app-" + runs.incrementAndGet(),
                List.of(launcher.toString()),
                Map.of(
                        "DISPLAY",
                        display,
                        "HOME",
                        home.toString(),
                        "XDG_CONFIG_HOME",
                        home.resolve("config").toString(),
                        "PARLEY_SCREENSHOT",
                        shot.toString()))) {
            String shown = app.awaitErrorLine(l -> l.contains("Window shown"), Duration.ofSeconds(60), "the window");
            long launched = (System.nanoTime() - start) / 1_000_000;
            // The class-data archive postinst made from the package's class list: mapped, not just lying there.
            String maps = Files.readString(
                    Path.of("/proc", Long.toString(app.process().pid()), "maps"));
            assertTrue(maps.contains(OPT.resolve("lib/parley.jsa").toString()), "the app's archive is not mapped");
            assertTrue(
                    Files.mismatch(OPT.resolve("lib/parley.jsa"), OPT.resolve("lib/runtime/lib/server/classes.jsa"))
                            >= 0,
                    "postinst could not make the archive and fell back to the runtime's own");
            app.awaitErrorLine(l -> l.contains("Screenshot saved"), Duration.ofSeconds(30), "the screenshot");
            Matcher m = Pattern.compile("Window shown (\\d+) ms").matcher(shown);
            assertTrue(m.find(), shown);
            app.terminate();
            app.awaitExit(Duration.ofSeconds(20));
            assertTrue(Files.exists(shot), "no screenshot:\n" + app.report());
            return new long[] {Long.parseLong(m.group(1)), launched};
        }
    }

    private void run(long seconds, List<String> command) {
        run(seconds, command, Map.of());
    }

    private void run(long seconds, List<String> command, Map<String, String> env) {
        try (ChildProcess p = ChildProcess.start(logs, "run-" + runs.incrementAndGet(), command, env)) {
            p.assertExit(0, Duration.ofSeconds(seconds));
        }
    }

    private static long treeSize(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(Files::isRegularFile)
                    .mapToLong(p -> p.toFile().length())
                    .sum();
        }
    }
}
