package dev.parley.app;

import dev.parley.ui.RenderBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code parley bench render}: the CPU cost of a video frame from the native frame to the screen. */
@Command(name = "render", mixinStandardHelpOptions = true,
        description = {"Shows synthetic video through a real track, the BGRA sink and the UI's video view, and prints",
                "the CPU per frame of each stage and the frame rate displayed. Needs a display (e.g. xvfb-run)."})
final class RenderBenchCommand implements Callable<Integer> {
    private static final Pattern VIDEO = Pattern.compile("(\\d{2,4})x(\\d{2,4})@(\\d{1,2})");

    @Option(names = "--video", split = ",", defaultValue = "1280x720@30,640x480@30", paramLabel = "WxH@FPS",
            description = "Sizes to measure (default: ${DEFAULT-VALUE}).")
    String[] videos;

    @Option(names = "--seconds", defaultValue = "10", description = "Measured seconds per size (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Override
    public Integer call() throws Exception {
        if (System.getenv("DISPLAY") == null && System.getenv("WAYLAND_DISPLAY") == null
                && !System.getProperty("os.name").startsWith("Windows") && !System.getProperty("os.name").startsWith("Mac")) {
            System.err.println("parley: bench render needs a display; run it under xvfb-run -a");
            return 2;
        }
        System.out.println("video        pipeline     frames shown/delivered  fps shown  coalesced  CPU/frame: redraw (convert)  render    total");
        for (String v : videos) {
            Matcher m = VIDEO.matcher(v.strip());
            if (!m.matches()) {
                System.err.println("parley: --video must look like 1280x720@30, not " + v);
                return 2;
            }
            RenderBench.Result r = RenderBench.run(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)), seconds);
            System.out.printf(Locale.ROOT, "%-12s %-12s %6d / %-6d          %6.1f  %9d  %12.3f ms (%.3f)  %6.3f ms  %.3f ms%n",
                    r.width() + "x" + r.height() + "@" + r.fps(), r.pipeline(), r.framesShown(), r.framesDelivered(),
                    r.displayedFps(), r.coalesced(), r.redrawMs(), r.convertMs(), r.renderMs(), r.totalMs());
        }
        System.out.println("(redraw: the FX thread converts the newest native I420 frame straight into the PixelBuffer's BGRA"
                + " buffer, the conversion's share in brackets; render: JavaFX's render thread puts the image on screen."
                + " CPU per frame shown. A frame arriving while a redraw is pending is coalesced, never queued.)");
        System.exit(0); // the FX toolkit's threads would keep the JVM alive
        return 0;
    }
}
