package dev.parley.app;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code parley package}: installers with jpackage over a jlink'd runtime of just the JDK modules Parley uses.
 * On Linux a .deb and an .rpm (when rpmbuild is present), on Windows an .msi (WiX 3), on macOS a .dmg; the same
 * command everywhere. The icon set is rendered from {@code assets/icon/parley.png}; the desktop entry with its
 * {@code parley:} URL handler and the macOS Info.plist (camera and microphone usage texts) come from
 * {@code installers/}.
 */
@Command(
        name = "package",
        mixinStandardHelpOptions = true,
        description = {
            "Builds installers: .deb and .rpm on Linux, .msi on Windows, .dmg on macOS (jpackage + jlink).",
            "Needs a full JDK (jlink, jpackage) and, per type, fakeroot/dpkg-deb, rpmbuild, WiX 3 or Xcode tools."
        })
final class PackageCommand implements Callable<Integer> {
    static final String VERSION = "0.1.0";
    /** The start's class list, in the package's lib/app (postinst makes lib/parley.jsa from it). */
    static final String CLASS_LIST = "parley.classlist";
    /** The JDK modules Parley needs (jdeps over the app and its libraries, plus TLS, logging and locales). */
    static final String MODULES = "java.base,java.compiler,java.desktop,java.logging,java.management,java.naming,"
            + "java.security.jgss,java.sql,jdk.jfr,jdk.unsupported,jdk.crypto.ec,jdk.localedata,jdk.zipfs";
    /** What webrtc-java's native library and the JavaFX/AWT toolkits load, as Debian and Fedora packages. */
    static final String DEB_DEPENDS = "libpulse0, libx11-6, libxext6, libxi6, libxrender1, libxtst6, libxfixes3, "
            + "libxrandr2, libxcomposite1, libudev1, libgtk-3-0, libgl1, libasound2";

    static final String RPM_DEPENDS = "pulseaudio-libs, libX11, libXext, libXi, libXrender, libXtst, libXfixes, "
            + "libXrandr, libXcomposite, systemd-libs, gtk3, mesa-libGL, alsa-lib";

    @Option(
            names = "--type",
            split = ",",
            paramLabel = "TYPE",
            description = "deb, rpm, msi, dmg or app-image (default: this system's installers).")
    List<String> types;

    @Option(
            names = "--dest",
            paramLabel = "DIR",
            description = "Where to put the installers (default: app/target/installers).")
    Path dest;

    @Override
    public Integer call() throws Exception {
        Path home =
                Path.of(System.getProperty("parley.home", ".")).toAbsolutePath().normalize();
        Path target = home.resolve("app/target");
        Path jar = target.resolve("parley-app.jar");
        Path lib = target.resolve("lib");
        if (!Files.isRegularFile(jar) || !Files.isDirectory(lib)) {
            System.err.println("parley: build first (mvn package); no " + jar);
            return 2;
        }
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        if (types == null || types.isEmpty()) {
            types = os.contains("win")
                    ? List.of("msi")
                    : os.contains("mac") ? List.of("dmg") : onPath("rpmbuild") ? List.of("deb", "rpm") : List.of("deb");
        }
        Path work = target.resolve("package");
        Path out = dest != null ? dest : target.resolve("installers");
        Files.createDirectories(out);

        var icons = IconSet.render(home.resolve("assets/icon/parley.png"), work.resolve("icons"));
        Path runtime = work.resolve("runtime");
        WindowRun.deleteTree(runtime);
        Path jdk = Path.of(System.getProperty("java.home"));
        run(List.of(
                tool(jdk, "jlink"),
                "--add-modules",
                MODULES,
                "--include-locales=en,ru",
                "--strip-debug",
                "--no-header-files",
                "--no-man-pages",
                "--compress=2",
                "--generate-cds-archive",
                "--output",
                runtime.toString())); // the CDS archive of the JDK classes: a faster start
        Path input = work.resolve("input");
        WindowRun.deleteTree(input);
        Files.createDirectories(input);
        Files.copy(jar, input.resolve(jar.getFileName()));
        try (Stream<Path> jars = Files.list(lib)) {
            for (Path j : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
                Files.copy(j, input.resolve(j.getFileName()));
            }
        }
        // What the app loads at start, listed by running it once: a .deb turns it into a class-data archive at
        // install time (postinst), which every start then maps.
        boolean classList = types.contains("deb")
                && StartClassList.make(runtime.resolve("bin/java"), input, input.resolve(CLASS_LIST));
        for (String type : types) {
            Path resources = work.resolve("resources-" + type);
            WindowRun.deleteTree(resources);
            Files.createDirectories(resources);
            List<String> cmd = new ArrayList<>(List.of(
                    tool(jdk, "jpackage"),
                    "--type",
                    type,
                    "--name",
                    type.equals("deb") || type.equals("rpm") || type.equals("app-image") ? "parley" : "Parley",
                    "--app-version",
                    VERSION,
                    "--vendor",
                    "Parley",
                    "--description",
                    "Video calls over WebRTC",
                    "--input",
                    input.toString(),
                    "--main-jar",
                    jar.getFileName().toString(),
                    "--main-class",
                    "dev.parley.app.Main",
                    "--runtime-image",
                    runtime.toString(),
                    "--dest",
                    out.toString(),
                    "--resource-dir",
                    resources.toString(),
                    "--java-options",
                    "-Xmx384m",
                    "--java-options",
                    "-XX:+UseSerialGC",
                    "--java-options",
                    "-Dparley.launcher=$APPDIR/../../bin/parley"));
            switch (type) {
                case "deb", "rpm", "app-image" -> {
                    Files.copy(
                            home.resolve("installers/linux/parley.desktop"),
                            resources.resolve("parley.desktop"),
                            StandardCopyOption.REPLACE_EXISTING);
                    cmd.addAll(List.of("--icon", icons.get(256).toString()));
                    if (!type.equals("app-image")) {
                        cmd.addAll(List.of(
                                "--linux-package-name",
                                "parley",
                                "--linux-app-category",
                                "net",
                                "--linux-menu-group",
                                "Network;Telephony;",
                                "--linux-shortcut",
                                "--linux-package-deps",
                                type.equals("deb") ? DEB_DEPENDS : RPM_DEPENDS));
                        if (type.equals("deb")) {
                            cmd.addAll(List.of("--linux-deb-maintainer", "parley@example.org"));
                            if (classList) { // postinst writes it (or the runtime's own archive if it cannot)
                                cmd.addAll(List.of(
                                        "--java-options",
                                        "-XX:SharedArchiveFile=$APPDIR/../parley.jsa",
                                        "--java-options",
                                        "-Xlog:cds*=off"));
                            }
                            for (String script : List.of("postinst", "prerm", "postrm")) {
                                Files.copy(
                                        home.resolve("installers/linux/" + script),
                                        resources.resolve(script),
                                        StandardCopyOption.REPLACE_EXISTING);
                            }
                        }
                    }
                }
                case "msi" ->
                    cmd.addAll(List.of(
                            "--icon",
                            work.resolve("icons/parley.ico").toString(),
                            "--win-menu",
                            "--win-shortcut",
                            "--win-dir-chooser",
                            "--win-menu-group",
                            "Parley"));
                case "dmg" -> {
                    Files.copy(
                            home.resolve("installers/macos/Info.plist"),
                            resources.resolve("Info.plist"),
                            StandardCopyOption.REPLACE_EXISTING);
                    cmd.addAll(List.of(
                            "--icon",
                            work.resolve("icons/parley.icns").toString(),
                            "--mac-package-identifier",
                            "dev.parley.app"));
                }
                default -> {
                    System.err.println("parley: unknown package type " + type + " (deb, rpm, msi, dmg, app-image)");
                    return 2;
                }
            }
            run(cmd);
        }
        try (Stream<Path> made = Files.list(out)) {
            for (Path p : made.sorted().toList()) {
                System.out.printf(
                        Locale.ROOT,
                        "%s  %.1f MB%n",
                        p,
                        Files.isRegularFile(p) ? Files.size(p) / 1e6 : treeSize(p) / 1e6);
            }
        }
        return 0;
    }

    private static String tool(Path jdk, String name) {
        Path p = jdk.resolve("bin").resolve(name);
        return Files.isExecutable(p) ? p.toString() : name;
    }

    private static boolean onPath(String name) {
        String path = System.getenv("PATH");
        return path != null
                && Stream.of(path.split(File.pathSeparator)).anyMatch(d -> Files.isExecutable(Path.of(d, name)));
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        System.err.println("parley: " + String.join(" ", command.subList(0, Math.min(command.size(), 4))) + " …");
        Process p = new ProcessBuilder(command).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(
                    Path.of(command.get(0)).getFileName() + " failed (exit " + p.exitValue() + ")");
        }
    }

    static long treeSize(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(Files::isRegularFile)
                    .mapToLong(p -> p.toFile().length())
                    .sum();
        }
    }
}
