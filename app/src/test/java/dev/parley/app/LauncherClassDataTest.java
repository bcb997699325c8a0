package dev.parley.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.testsupport.ChildProcess;
import dev.parley.testsupport.SystemTest;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./parley} gives the desktop app a class-data archive of its class path: the first run writes one as it
 * exits, the next ones map it (seen in the process's memory maps, not taken on trust), and a rebuild's class path
 * starts afresh. The launcher runs as shipped, over a Parley home made of this test's class path as jars.
 */
@SystemTest
@Timeout(240)
class LauncherClassDataTest {
    @TempDir
    Path root;

    @Test
    void theFirstRunWritesTheArchiveAndTheNextRunsMapIt() throws Exception {
        Path launcher = parleyHome();
        Path cds = root.resolve("app/target/cds");

        runOnce(launcher, "first", false);
        try (Stream<Path> files = Files.list(cds)) {
            List<Path> written = files.toList();
            assertEquals(1, written.size(), "one archive, under the writer's process id: " + written);
            assertTrue(
                    written.get(0).getFileName().toString().matches("desktop-\\d+\\.jsa\\.\\d+"), written.toString());
        }

        runOnce(launcher, "second", true);
        try (Stream<Path> files = Files.list(cds)) {
            List<String> names = files.map(p -> p.getFileName().toString()).toList();
            assertEquals(1, names.size(), names.toString());
            assertTrue(names.get(0).matches("desktop-\\d+\\.jsa"), "kept under its own name: " + names);
        }
        runOnce(launcher, "third", true);
    }

    /** Starts the desktop app through the launcher, waits for its window, ends it as a logout would. */
    private void runOnce(Path launcher, String name, boolean archiveMapped) throws Exception {
        try (ChildProcess app = ChildProcess.start(
                root.resolve("logs"),
                name,
                List.of("bash", launcher.toString()),
                Map.of(
                        "JAVA_HOME", System.getProperty("java.home"),
                        "HOME", root.resolve("home").toString(),
                        "XDG_CONFIG_HOME", root.resolve("home/config").toString()))) {
            app.awaitErrorLine(l -> l.contains("Window shown"), Duration.ofSeconds(90), "the window");
            String maps = Files.readString(
                    Path.of("/proc", Long.toString(app.process().pid()), "maps"));
            boolean mapped = maps.contains(root.resolve("app/target/cds").toString()); // not the JDK's own archive
            assertEquals(archiveMapped, mapped, name + ": Parley's archive mapped\n" + app.report());
            app.terminate();
            app.awaitExit(Duration.ofSeconds(60)); // the first run writes its archive as it exits
            assertFalse(app.stdout().contains("cds"), "the JVM's archive notes stay quiet:\n" + app.stdout());
        }
    }

    /** The launcher with app/target/parley-app.jar and app/target/lib/*.jar made from this test's class path. */
    private Path parleyHome() throws IOException {
        Path launcher = root.resolve("parley");
        Files.copy(Path.of("..", "parley"), launcher, StandardCopyOption.COPY_ATTRIBUTES);
        Path lib = Files.createDirectories(root.resolve("app/target/lib"));
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry).toAbsolutePath().normalize();
            if (Files.isRegularFile(path)) {
                Files.copy(path, lib.resolve(path.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            } else if (Files.isDirectory(path) && !path.endsWith("test-classes")) {
                boolean app = path.equals(Path.of("target", "classes").toAbsolutePath());
                jar(path, app ? root.resolve("app/target/parley-app.jar") : lib.resolve("classes-" + n++ + ".jar"));
            }
        }
        Files.createFile(lib.resolve(".built")); // newer than any source here: the launcher builds nothing
        return launcher;
    }

    private static void jar(Path classes, Path jar) throws IOException {
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream zip = new JarOutputStream(out);
                Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                zip.putNextEntry(
                        new JarEntry(classes.relativize(file).toString().replace(File.separatorChar, '/')));
                Files.copy(file, zip);
                zip.closeEntry();
            }
        }
    }
}
