package dev.parley.ui;

import dev.parley.media.LocalPreview;
import dev.parley.media.MediaEngine;
import dev.parley.media.SyntheticVideoSource;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * How much a video frame costs from the native frame to the screen: a synthetic source pushes frames through a
 * real webrtc-java track into the sink (I420 → BGRA, native), the {@link VideoView} copies the newest into its
 * {@code PixelBuffer} on the FX thread, and JavaFX's render thread puts it on screen. CPU time is taken per
 * stage from the threads that do the work, over a measured window after a warm-up.
 */
public final class RenderBench {
    /** What one run measured. CPU figures are milliseconds of CPU per displayed frame. */
    public record Result(int width, int height, int fps, double seconds, long framesDelivered, long framesShown,
                         long redraws, long coalesced, double convertMs, double redrawMs, double renderMs,
                         String pipeline) {
        public double displayedFps() {
            return framesShown / seconds;
        }

        /** Redraw includes the conversion: the FX thread converts the newest frame straight into the image. */
        public double totalMs() {
            return redrawMs + renderMs;
        }
    }

    private RenderBench() {
    }

    /** Runs on a display (a real one or Xvfb); blocks for about {@code seconds + 2}. Not on the FX thread. */
    public static Result run(int width, int height, int fps, double seconds) throws Exception {
        Platform.setImplicitExit(false); // the bench's stages come and go; the toolkit stays
        try {
            Platform.startup(() -> { });
        } catch (IllegalStateException alreadyStarted) {
            // a test or the app started the toolkit already
        }
        try (MediaEngine media = MediaEngine.headless();
             LocalPreview preview = new LocalPreview(media, new SyntheticVideoSource(width, height, fps))) {
            CompletableFuture<VideoView> shown = new CompletableFuture<>();
            Stage[] stage = new Stage[1];
            FxExecutor.INSTANCE.execute(() -> {
                VideoView view = new VideoView(FxExecutor.INSTANCE);
                stage[0] = new Stage();
                stage[0].setScene(new Scene(new StackPane(view), width, height));
                stage[0].setTitle("Parley rendering benchmark");
                stage[0].show();
                view.attach(preview.sink());
                shown.complete(view);
            });
            VideoView view = shown.get(10, TimeUnit.SECONDS);
            Thread.sleep(1500); // warm-up: JIT, first textures

            ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
            long renderThread = threadNamed(cpu, "QuantumRenderer");
            long render0 = renderThread < 0 ? 0 : cpu.getThreadCpuTime(renderThread);
            long convert0 = preview.sink().conversionCpuNanos();
            long redraw0 = view.redrawCpuNanos();
            long delivered0 = preview.sink().framesReceived();
            long shown0 = view.framesShown();
            long redraws0 = view.redraws();
            long coalesced0 = view.framesCoalesced();
            long start = System.nanoTime();
            Thread.sleep((long) (seconds * 1000));
            double elapsed = (System.nanoTime() - start) / 1e9;
            long frames = view.framesShown() - shown0;
            long delivered = preview.sink().framesReceived() - delivered0;
            double per = Math.max(1, frames) * 1e6;
            Result r = new Result(width, height, fps, elapsed, delivered, frames, view.redraws() - redraws0,
                    view.framesCoalesced() - coalesced0,
                    (preview.sink().conversionCpuNanos() - convert0) / (double) Math.max(1, delivered) / 1e6,
                    (view.redrawCpuNanos() - redraw0) / per,
                    renderThread < 0 ? Double.NaN : (cpu.getThreadCpuTime(renderThread) - render0) / per,
                    pipeline());
            CompletableFuture<Void> closed = new CompletableFuture<>();
            FxExecutor.INSTANCE.execute(() -> {
                view.detach();
                stage[0].close();
                closed.complete(null);
            });
            closed.get(10, TimeUnit.SECONDS);
            return r;
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
