package dev.parley.app;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code parley bench start}: how long until a window shows — a bare JavaFX window (the floor) and Parley's, on
 * the same runtime and JVM flags, each in fresh processes, the first (cold) run of each apart.
 */
@Command(
        name = "start",
        mixinStandardHelpOptions = true,
        description = {
            "Starts a bare JavaFX window and Parley's window, each --runs times in a fresh JVM with this JVM's",
            "runtime and flags, and prints the time from JVM start to the window shown (as each logs it): every",
            "run, the first (cold) run apart, the median of the others, and Parley's median over the bare one's.",
            "Both run again with a class-data archive of Parley's class path, made first by one run of Parley",
            "(as ./parley makes and uses one for the desktop app). Parley runs with an empty configuration each",
            "time (a first run). Needs a display (e.g. xvfb-run). Exit status 1 if a window did not show or the",
            "archive was not made."
        })
final class StartBench implements Callable<Integer> {
    private static final String BARE = "dev.parley.ui.BareWindow";

    @Option(names = "--runs", defaultValue = "6", description = "Starts of each (default: ${DEFAULT-VALUE}).")
    int runs;

    @Override
    public Integer call() throws Exception {
        if (!hasDisplay()) {
            System.err.println("parley: bench start needs a display; run it under xvfb-run -a");
            return 2;
        }
        if (runs < 2) {
            System.err.println("parley: --runs must be at least 2 (the first run is reported apart)");
            return 2;
        }
        Path work = Files.createTempDirectory("parley-bench-start");
        try {
            Path archive = work.resolve("parley.jsa");
            long dumpRun = timeToWindow(Main.class.getName(), List.of("-XX:ArchiveClassesAtExit=" + archive));
            List<String> withArchive = List.of("-XX:SharedArchiveFile=" + archive);
            if (dumpRun < 0 || !Files.isRegularFile(archive)) {
                System.out.println("INVALID run: Parley's class-data archive was not made (window at " + dumpRun + ")");
                return 1;
            }
            List<Long> bare = new ArrayList<>();
            List<Long> parley = new ArrayList<>();
            List<Long> bareArchived = new ArrayList<>();
            List<Long> parleyArchived = new ArrayList<>();
            for (int i = 0; i < runs; i++) { // interleaved: the machine's state drifts for all alike
                bare.add(timeToWindow(BARE, List.of()));
                parley.add(timeToWindow(Main.class.getName(), List.of()));
                bareArchived.add(timeToWindow(BARE, withArchive));
                parleyArchived.add(timeToWindow(Main.class.getName(), withArchive));
            }
            System.out.println("time from JVM start to the window shown, ms; JVM flags: "
                    + String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
            System.out.printf(
                    Locale.ROOT, "%-40s %-8s %-28s %s%n", "window", "cold #1", "warm #2.. (each)", "warm p50");
            row("bare JavaFX (1 label)", bare);
            row("Parley (first run)", parley);
            row("bare JavaFX, Parley's archive", bareArchived);
            row("Parley, its archive (as ./parley runs)", parleyArchived);
            boolean valid = Stream.of(bare, parley, bareArchived, parleyArchived)
                    .flatMap(List::stream)
                    .allMatch(v -> v > 0);
            if (!valid) {
                System.out.println("INVALID run: a window did not show (-1 above)");
                return 1;
            }
            System.out.printf(
                    Locale.ROOT,
                    "Parley with its archive / bare window: %.2fx warm (p50), %.2fx cold%n",
                    (double) median(parleyArchived) / median(bare),
                    (double) parleyArchived.get(0) / bare.get(0));
            System.out.printf(
                    Locale.ROOT,
                    "Parley / bare, neither archived: %.2fx warm; both with Parley's archive: %.2fx warm%n",
                    (double) median(parley) / median(bare),
                    (double) median(parleyArchived) / median(bareArchived));
            return 0;
        } finally {
            WindowRun.deleteTree(work);
        }
    }

    /** A display to show windows on: X11 or Wayland here; Windows and macOS always have one. */
    static boolean hasDisplay() {
        String os = System.getProperty("os.name");
        return System.getenv("DISPLAY") != null
                || System.getenv("WAYLAND_DISPLAY") != null
                || os.startsWith("Windows")
                || os.startsWith("Mac");
    }

    private static void row(String name, List<Long> values) {
        List<Long> warm = values.subList(1, values.size());
        System.out.printf(Locale.ROOT, "%-40s %-8d %-28s %d%n", name, values.get(0), warm, median(values));
    }

    /** The median of the warm runs (all but the first); nearest rank. */
    private static long median(List<Long> values) {
        List<Long> warm = new ArrayList<>(values.subList(1, values.size()));
        warm.sort(Comparator.naturalOrder());
        return warm.get((int) Math.ceil(warm.size() / 2.0) - 1);
    }

    /**
     * Runs {@code mainClass} with this JVM's runtime, flags and class path and {@code flags} (the class-data
     * archive's); ms to its window, or -1. With {@code -XX:ArchiveClassesAtExit} the archive is written as it ends.
     */
    private static long timeToWindow(String mainClass, List<String> flags) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(flag -> !flag.contains("SharedArchiveFile") && !flag.contains("ArchiveClassesAtExit"))
                .toList());
        command.addAll(flags);
        command.add("-Xlog:cds*=off"); // the dump's notes on classes it leaves out are not the bench's output
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        return WindowRun.run(command, Map.of(), Duration.ZERO);
    }
}
