package dev.parley.ui;

import dev.parley.media.LocalPreview;
import dev.parley.media.MediaEngine;
import dev.parley.media.SyntheticVideoSource;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;

/**
 * How much a video frame costs from the native frame to the screen: a synthetic source pushes frames through a
 * real webrtc-java track into the sink (I420 → BGRA, native), the {@link VideoView} copies the newest into its
 * {@code PixelBuffer} on the FX thread, and JavaFX's render thread puts it on screen. CPU time is taken per
 * stage from the threads that do the work, over two windows: the warm-up right after the view appears (cold: JIT,
 * first textures), reported on its own, and the measured window after it.
 *
 * <p>Every per-frame figure has one denominator: the frames <em>shown</em> in the window (new frames drawn into
 * the image). Frames delivered to the sink while a redraw was pending are coalesced, never converted, and cost
 * nothing per frame; they show in the delivered and coalesced counts only.
 */
public final class RenderBench {
    private static final long WARM_UP_MILLIS = 1500;

    /**
     * What one window measured.
     *
     * @param framesDelivered frames the sink received from the track
     * @param framesShown     new frames drawn into the image: the denominator of every per-frame figure
     * @param convertMs       mean CPU per frame shown converting I420 to BGRA (part of the redraw)
     * @param redrawMs        mean FX-thread CPU per frame shown, the conversion included
     * @param renderMs        mean CPU of JavaFX's render thread per frame shown; NaN if the thread was not found
     * @param redrawCpuNanos  FX-thread CPU of each redraw that showed a new frame: one sample per frame shown
     */
    public record Window(
            double seconds,
            long framesDelivered,
            long framesShown,
            long redraws,
            long coalesced,
            double convertMs,
            double redrawMs,
            double renderMs,
            long[] redrawCpuNanos) {
        public double shownFps() {
            return framesShown / seconds;
        }

        /** Redraw includes the conversion: the FX thread converts the newest frame straight into the image. */
        public double totalMs() {
            return redrawMs + renderMs;
        }
    }

    /** What one run measured: the warm-up (cold) window and the measured window, apart. */
    public record Result(int width, int height, int fps, String pipeline, Window warmUp, Window measured) {}

    private RenderBench() {}

    /** Runs on a display (a real one or Xvfb); blocks for about {@code seconds + 2}. Not on the FX thread. */
    public static Result run(int width, int height, int fps, double seconds) throws Exception {
        Platform.setImplicitExit(false); // the bench's stages come and go; the toolkit stays
        try {
            Platform.startup(() -> {});
        } catch (IllegalStateException alreadyStarted) {
            // a test or the app started the toolkit already
        }
        try (MediaEngine media = MediaEngine.headless();
                LocalPreview preview = new LocalPreview(media, new SyntheticVideoSource(width, height, fps))) {
            CompletableFuture<VideoView> shown = new CompletableFuture<>();
            Stage[] stage = new Stage[1];
            FxExecutor fx = new FxExecutor(); // the bench's own: it runs apart from the desktop app
            TimedRedraws timed = new TimedRedraws(fx);
            fx.execute(() -> {
                VideoView view = new VideoView(timed);
                timed.view = view;
                stage[0] = new Stage();
                stage[0].setScene(new Scene(new StackPane(view), width, height));
                stage[0].setTitle("Parley rendering benchmark");
                stage[0].show();
                view.attach(preview.sink());
                shown.complete(view);
            });
            VideoView view = shown.get(10, TimeUnit.SECONDS);
            ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
            long renderThread = threadNamed(cpu, "QuantumRenderer");
            Reading start = Reading.take(cpu, renderThread, preview, view, timed);
            Thread.sleep(WARM_UP_MILLIS);
            Reading warm = Reading.take(cpu, renderThread, preview, view, timed);
            Thread.sleep((long) (seconds * 1000));
            Reading end = Reading.take(cpu, renderThread, preview, view, timed);
            CompletableFuture<Void> closed = new CompletableFuture<>();
            fx.execute(() -> {
                view.detach();
                stage[0].close();
                closed.complete(null);
            });
            closed.get(10, TimeUnit.SECONDS);
            return new Result(width, height, fps, pipeline(), window(start, warm, timed), window(warm, end, timed));
        }
    }

    /** Counters at one moment. */
    private record Reading(
            long nanos,
            long renderCpu,
            long convertCpu,
            long redrawCpu,
            long delivered,
            long shown,
            long redraws,
            long coalesced,
            int samples) {
        static Reading take(
                ThreadMXBean cpu, long renderThread, LocalPreview preview, VideoView view, TimedRedraws timed) {
            return new Reading(
                    System.nanoTime(),
                    renderThread < 0 ? -1 : cpu.getThreadCpuTime(renderThread),
                    preview.sink().conversionCpuNanos(),
                    view.redrawCpuNanos(),
                    preview.sink().framesReceived(),
                    view.framesShown(),
                    view.redraws(),
                    view.framesCoalesced(),
                    timed.count());
        }
    }

    private static Window window(Reading a, Reading b, TimedRedraws timed) {
        long shown = b.shown() - a.shown();
        double per = Math.max(1, shown) * 1e6; // nanoseconds → milliseconds per frame shown
        return new Window(
                (b.nanos() - a.nanos()) / 1e9,
                b.delivered() - a.delivered(),
                shown,
                b.redraws() - a.redraws(),
                b.coalesced() - a.coalesced(),
                (b.convertCpu() - a.convertCpu()) / per,
                (b.redrawCpu() - a.redrawCpu()) / per,
                a.renderCpu() < 0 || b.renderCpu() < 0 ? Double.NaN : (b.renderCpu() - a.renderCpu()) / per,
                timed.samples(a.samples(), b.samples()));
    }

    /**
     * The view's FX executor, timing each redraw: the FX thread's CPU for every redraw that showed a new frame
     * (the view's own counters give the totals; these give the spread).
     */
    private static final class TimedRedraws implements Executor {
        private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
        private final List<Long> cpuNanos = new ArrayList<>(); // under its own lock
        private final Executor fx;
        volatile VideoView view;

        TimedRedraws(Executor fx) {
            this.fx = fx;
        }

        @Override
        public void execute(Runnable redraw) {
            fx.execute(() -> {
                VideoView v = view;
                long shownBefore = v == null ? 0 : v.framesShown();
                long cpu = CPU.getCurrentThreadCpuTime();
                redraw.run();
                long used = CPU.getCurrentThreadCpuTime() - cpu;
                if (v != null && v.framesShown() > shownBefore) {
                    synchronized (cpuNanos) {
                        cpuNanos.add(used);
                    }
                }
            });
        }

        int count() {
            synchronized (cpuNanos) {
                return cpuNanos.size();
            }
        }

        long[] samples(int from, int to) {
            synchronized (cpuNanos) {
                return cpuNanos.subList(from, to).stream()
                        .mapToLong(Long::longValue)
                        .toArray();
            }
        }
    }

    /** JavaFX's renderer: ES2Pipeline (OpenGL) or SWPipeline (software, e.g. under Xvfb). */
    private static String pipeline() {
        try {
            Object p = com.sun.prism.GraphicsPipeline.getPipeline();
            return p == null ? "unknown" : p.getClass().getSimpleName();
        } catch (RuntimeException | LinkageError e) { // JavaFX on the module path does not export it
            return "unknown";
        }
    }

    private static long threadNamed(ThreadMXBean cpu, String prefix) {
        for (ThreadInfo t : cpu.getThreadInfo(cpu.getAllThreadIds())) {
            if (t != null && t.getThreadName().startsWith(prefix)) {
                return t.getThreadId();
            }
        }
        return -1;
    }
}
