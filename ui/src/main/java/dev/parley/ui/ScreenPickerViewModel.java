package dev.parley.ui;

import dev.parley.media.VideoSource;
import java.awt.Rectangle;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Offers the screens to share while the picker is open — each with a caption and a thumbnail refreshed once a
 * second on the capture thread — and shares the chosen one. Single windows are not offered: AWT cannot capture one
 * window on its own, and webrtc-java 0.14.0's window capturer crashes on X11 (shared/WEBRTC-NOTES.md). FX thread,
 * except where a method says.
 */
public final class ScreenPickerViewModel {
    private static final Logger log = LoggerFactory.getLogger(ScreenPickerViewModel.class);
    static final int THUMB_WIDTH = 240;

    /** A screen as the picker offers it. */
    public static final class Screen {
        private final Rectangle bounds;
        private final String caption;
        private final SimpleObjectProperty<ScreenSources.Thumbnail> thumbnail = new SimpleObjectProperty<>();

        Screen(Rectangle bounds, String caption) {
            this.bounds = bounds;
            this.caption = caption;
        }

        public Rectangle bounds() {
            return bounds;
        }

        /** What its tile says: the screen's number and size. */
        public String caption() {
            return caption;
        }

        /** The latest picture of it, or null before the first. */
        public ReadOnlyObjectProperty<ScreenSources.Thumbnail> thumbnail() {
            return thumbnail;
        }
    }

    private final ScreenSources sources;
    private final ScheduledExecutorService capture;
    private final Executor background;
    private final Messages text;
    private final Executor fx;
    private final ObservableList<Screen> screens = FXCollections.observableArrayList();
    private final SimpleBooleanProperty listed = new SimpleBooleanProperty();
    /** Each opening's number; a task of an older one does nothing. */
    private final AtomicLong openings = new AtomicLong();

    private ScheduledFuture<?> refreshing; // the capture thread only
    private Consumer<VideoSource> share = source -> {};

    /**
     * @param capture    the thread that lists the screens and takes their thumbnails
     * @param background where a chosen screen's capture is opened
     */
    public ScreenPickerViewModel(
            ScreenSources sources, ScheduledExecutorService capture, Executor background, Messages text, Executor fx) {
        this.sources = sources;
        this.capture = capture;
        this.background = background;
        this.text = text;
        this.fx = fx;
    }

    /** Lists the screens (off the FX thread) and keeps their thumbnails fresh until {@link #close()}. */
    public void open(Consumer<VideoSource> share) {
        this.share = share;
        long opening = openings.incrementAndGet();
        screens.clear();
        listed.set(false);
        onCaptureThread(() -> {
            if (opening != openings.get()) {
                return;
            }
            List<Rectangle> found = sources.screens();
            fx.execute(() -> {
                if (opening == openings.get()) {
                    for (int i = 0; i < found.size(); i++) {
                        Rectangle r = found.get(i);
                        screens.add(new Screen(r, text.get("share.screen", i + 1, r.width, r.height)));
                    }
                    listed.set(true);
                }
            });
            if (!sources.desktopAsks()) { // where the desktop asks, a thumbnail would ask too
                refreshing = capture.scheduleWithFixedDelay(() -> refresh(found, opening), 0, 1, TimeUnit.SECONDS);
            }
        });
    }

    private void refresh(List<Rectangle> found, long opening) {
        try {
            for (int i = 0; i < found.size() && opening == openings.get(); i++) {
                ScreenSources.Thumbnail picture = sources.thumbnail(found.get(i), THUMB_WIDTH);
                int index = i;
                fx.execute(() -> {
                    if (opening == openings.get() && index < screens.size()) {
                        screens.get(index).thumbnail.set(picture);
                    }
                });
            }
        } catch (Exception e) {
            log.info("No screen thumbnails: {}", e.toString());
        }
    }

    /** Opens a capture of this screen off the FX thread and hands it to whoever opened the picker. */
    public void share(Screen screen) {
        Consumer<VideoSource> target = share;
        background.execute(() -> {
            try {
                VideoSource source = sources.capture(screen.bounds());
                fx.execute(() -> target.accept(source));
            } catch (Exception e) {
                log.warn("Cannot capture the screen: {}", e.toString());
            }
        });
    }

    /** Stops the thumbnails. Idempotent. */
    public void close() {
        openings.incrementAndGet();
        onCaptureThread(() -> {
            if (refreshing != null) {
                refreshing.cancel(false);
                refreshing = null;
            }
        });
    }

    private void onCaptureThread(Runnable task) {
        try {
            capture.execute(task);
        } catch (RejectedExecutionException closing) {
            // the app is closing: nothing to capture any more
        }
    }

    /** Whether the desktop will ask the user to choose and allow the screen (Wayland); no thumbnails then. */
    public boolean desktopAsks() {
        return sources.desktopAsks();
    }

    /** The picker's note: what the user should know about sharing on this desktop (a message key). */
    public String noteKey() {
        return sources.untestedDesktop()
                ? "share.wlroots"
                : sources.desktopAsks() ? "share.desktopAsks" : "share.noWindows";
    }

    /** The screens found, once {@link #listed()}. */
    public ObservableList<Screen> screens() {
        return screens;
    }

    /** The screens have been looked for (there may be none). */
    public ReadOnlyBooleanProperty listed() {
        return listed;
    }
}
