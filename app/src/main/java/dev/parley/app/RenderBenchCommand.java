package dev.parley.app;

import dev.parley.ui.RenderBench;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code parley bench render}: the CPU cost of a video frame from the native frame to the screen. */
@Command(
        name = "render",
        mixinStandardHelpOptions = true,
        description = {
            "Shows synthetic video through a real track, the BGRA sink and the UI's video view, and prints",
            "the CPU per frame shown of each stage and the frame rate displayed, the warm-up (cold) window apart.",
            "Needs a display (e.g. xvfb-run). Exit status 1 if a size showed no frames or failed."
        })
final class RenderBenchCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(RenderBenchCommand.class);
    private static final Pattern VIDEO = Pattern.compile("(\\d{2,4})x(\\d{2,4})@(\\d{1,2})");

    @Option(
            names = "--video",
            split = ",",
            defaultValue = "1280x720@30,640x480@30",
            paramLabel = "WxH@FPS",
            description = "Sizes to measure (default: ${DEFAULT-VALUE}).")
    String[] videos;

    @Option(
            names = "--seconds",
            defaultValue = "10",
            description = "Measured seconds per size (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Override
    public Integer call() throws Exception {
        if (!StartBench.hasDisplay()) {
            System.err.println("parley: bench render needs a display; run it under xvfb-run -a");
            return 2;
        }
        if (!(seconds > 0)) {
            throw new IllegalArgumentException("--seconds must be more than 0");
        }
        List<Matcher> sizes = new ArrayList<>();
        for (String v : videos) {
            Matcher m = VIDEO.matcher(v.strip());
            if (!m.matches()) {
                System.err.println("parley: --video must look like 1280x720@30, not " + v);
                return 2;
            }
            sizes.add(m);
        }
        System.out.println("Per frame = per frame SHOWN (a new frame drawn into the image), for every CPU figure below;"
                + " frames delivered to the sink but coalesced are never converted.");
        System.out.println(
                "redraw: FX-thread CPU per frame shown, the I420→BGRA conversion's share in brackets; render:"
                        + " JavaFX's render thread; mean = window total / frames shown.");
        System.out.println("redraw p50/p95/p99: nearest-rank over every redraw that showed a new frame (samples).");
        System.out.printf(
                "%-12s %-12s %-8s %8s %9s %6s %9s %9s %8s  %-22s  %-18s %9s %9s%n",
                "video",
                "pipeline",
                "window",
                "seconds",
                "delivered",
                "shown",
                "fps shown",
                "coalesced",
                "samples",
                "redraw ms p50/p95/p99",
                "redraw mean (conv.)",
                "render",
                "total");
        List<String> invalid = new ArrayList<>();
        for (Matcher m : sizes) {
            String name = m.group(1) + "x" + m.group(2) + "@" + m.group(3);
            RenderBench.Result r;
            try {
                r = RenderBench.run(
                        Integer.parseInt(m.group(1)),
                        Integer.parseInt(m.group(2)),
                        Integer.parseInt(m.group(3)),
                        seconds);
            } catch (Exception e) {
                log.warn("bench render {} failed", name, e);
                System.out.printf("%-12s FAILED: %s%n", name, e.getMessage() != null ? e.getMessage() : e.toString());
                invalid.add(name + " failed (" + e + ")");
                continue;
            }
            print(name, r.pipeline(), "warm-up", r.warmUp());
            print("", "", "measured", r.measured());
            if (r.measured().framesShown() == 0) {
                invalid.add(name + ": no frames shown in the measured window");
            }
        }
        System.out.println(
                invalid.isEmpty() ? "valid run: every size showed frames" : "INVALID: " + String.join("; ", invalid));
        // The FX toolkit's threads would keep the JVM alive: Main.main exits with this status.
        return invalid.isEmpty() ? 0 : 1;
    }

    private static void print(String video, String pipeline, String label, RenderBench.Window w) {
        Percentiles redraw = Percentiles.of(w.redrawCpuNanos());
        System.out.printf(
                Locale.ROOT,
                "%-12s %-12s %-8s %8.2f %9d %6d %9.1f %9d %8d  %-22s  %-18s %9s %9s%n",
                video,
                pipeline,
                label,
                w.seconds(),
                w.framesDelivered(),
                w.framesShown(),
                w.shownFps(),
                w.coalesced(),
                redraw.count(),
                redraw.format(1e6, 3),
                w.framesShown() == 0 ? "-" : String.format(Locale.ROOT, "%.3f (%.3f)", w.redrawMs(), w.convertMs()),
                w.framesShown() == 0 || Double.isNaN(w.renderMs())
                        ? "-"
                        : String.format(Locale.ROOT, "%.3f", w.renderMs()),
                w.framesShown() == 0 || Double.isNaN(w.renderMs())
                        ? "-"
                        : String.format(Locale.ROOT, "%.3f", w.totalMs()));
    }
}
