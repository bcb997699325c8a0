package dev.parley.ui;

import dev.parley.media.RemoteVideoSink;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javafx.geometry.Rectangle2D;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelBuffer;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.Region;

/**
 * Shows a video track: a {@link WritableImage} over a {@link PixelBuffer} whose direct buffer receives the sink's
 * newest BGRA frame. The sink's native thread only raises a flag; while a redraw is pending no other is scheduled,
 * so there is at most one FX-thread hop per frame and a UI that falls behind skips frames instead of queuing them.
 * Scaled to fit, keeping the aspect ratio; optionally mirrored (the self-view).
 */
public final class VideoView extends Region {
    private final Executor fx;
    private final ImageView image = new ImageView();
    private final AtomicBoolean redrawPending = new AtomicBoolean();
    private final AtomicLong framesShown = new AtomicLong();
    private final AtomicLong redraws = new AtomicLong();
    private final AtomicLong coalesced = new AtomicLong();
    private final AtomicLong redrawCpuNanos = new AtomicLong();
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    // FX thread only.
    private RemoteVideoSink sink;
    private ByteBuffer pixels;
    private PixelBuffer<ByteBuffer> buffer;
    private long lastNumber = -1;

    public VideoView(Executor fx) {
        this.fx = fx;
        image.setPreserveRatio(true);
        image.setSmooth(true);
        getChildren().add(image);
        getStyleClass().add("video-view");
        setMinSize(0, 0);
    }

    /** Shows this sink's frames from now on (its newest frame at once). FX thread. */
    public void attach(RemoteVideoSink source) {
        detach();
        sink = source;
        source.setFrameListener(this::frameArrived);
        if (source.framesReceived() > 0) {
            frameArrived();
        }
    }

    /** Stops following the sink and clears the picture. FX thread. */
    public void detach() {
        if (sink != null) {
            sink.setFrameListener(null);
            sink = null;
        }
        image.setImage(null);
        buffer = null;
        pixels = null;
        lastNumber = -1;
    }

    public void setMirrored(boolean mirrored) {
        image.setScaleX(mirrored ? -1 : 1);
    }

    /** Frames drawn so far (each a new one). */
    public long framesShown() {
        return framesShown.get();
    }

    /** FX-thread redraws run so far; never more than frames arrived. */
    public long redraws() {
        return redraws.get();
    }

    /** Whether a picture is up. */
    public boolean showing() {
        return image.getImage() != null;
    }

    /** Frames that arrived while a redraw was already pending: replaced by a newer one, never queued. */
    public long framesCoalesced() {
        return coalesced.get();
    }

    /** FX-thread CPU time spent in redraws (copying the newest frame into the image), in nanoseconds. */
    public long redrawCpuNanos() {
        return redrawCpuNanos.get();
    }

    // A native thread: a flag and at most one hop, never any work.
    private void frameArrived() {
        if (redrawPending.compareAndSet(false, true)) {
            fx.execute(this::redraw);
        } else {
            coalesced.incrementAndGet();
        }
    }

    private void redraw() {
        long cpu = CPU.getCurrentThreadCpuTime();
        try {
            draw();
        } finally {
            redrawCpuNanos.addAndGet(CPU.getCurrentThreadCpuTime() - cpu);
        }
    }

    private void draw() {
        redrawPending.set(false); // a frame arriving from now on schedules the next redraw
        redraws.incrementAndGet();
        RemoteVideoSink source = sink;
        if (source == null) {
            return;
        }
        int[] size = source.size();
        int w = size[0];
        int h = size[1];
        if (w == 0 || h == 0) {
            return;
        }
        if (buffer == null || buffer.getWidth() != w || buffer.getHeight() != h) {
            pixels = ByteBuffer.allocateDirect(w * h * 4);
            buffer = new PixelBuffer<>(w, h, pixels, PixelFormat.getByteBgraPreInstance());
            image.setImage(new WritableImage(buffer));
            requestLayout();
        }
        RemoteVideoSink.Snapshot[] copied = new RemoteVideoSink.Snapshot[1];
        buffer.updateBuffer(b -> {
            pixels.clear();
            copied[0] = source.copyNewest(pixels);
            // A size change between size() and the copy: nothing valid was written; the next frame redraws.
            return copied[0] != null && copied[0].width() == w && copied[0].height() == h ? null : Rectangle2D.EMPTY;
        });
        if (copied[0] != null && copied[0].number() != lastNumber) {
            lastNumber = copied[0].number();
            framesShown.incrementAndGet();
        }
    }

    @Override
    protected void layoutChildren() {
        double w = getWidth();
        double h = getHeight();
        image.setFitWidth(w);
        image.setFitHeight(h);
        double iw = image.getLayoutBounds().getWidth();
        double ih = image.getLayoutBounds().getHeight();
        image.relocate((w - iw) / 2, (h - ih) / 2);
    }

    @Override
    protected double computePrefWidth(double height) {
        return 320;
    }

    @Override
    protected double computePrefHeight(double width) {
        return 240;
    }
}
