package dev.parley.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.onvoid.webrtc.media.video.VideoTrackSource;
import dev.parley.media.VideoSource;
import dev.parley.testsupport.Await;
import java.awt.Rectangle;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The screen picker's logic over made-up screens: captions, thumbnails that stop with the picker, sharing. */
@Timeout(10)
class ScreenPickerViewModelTest {
    private static final Executor DIRECT = Runnable::run;
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final ScheduledThreadPoolExecutor capture = new ScheduledThreadPoolExecutor(1);
    private final FakeScreens screens = new FakeScreens();
    private final ScreenPickerViewModel model =
            new ScreenPickerViewModel(screens, capture, DIRECT, Messages.forLanguage("en"), DIRECT);

    @AfterEach
    void tearDown() throws InterruptedException {
        capture.shutdownNow();
        assertTrue(capture.awaitTermination(5, TimeUnit.SECONDS));
    }

    @Test
    void eachScreenIsOfferedWithItsSizeAndAThumbnail() {
        screens.found = List.of(new Rectangle(0, 0, 1920, 1080), new Rectangle(1920, 0, 1280, 720));
        model.open(source -> {});
        Await.until(() -> model.listed().get(), WAIT, "the screens were never listed");
        Messages text = Messages.forLanguage("en"); // "Screen {0} ({1}×{2})"; MessageFormat groups the digits
        assertEquals(
                List.of(text.get("share.screen", 1, 1920, 1080), text.get("share.screen", 2, 1280, 720)),
                model.screens().stream()
                        .map(ScreenPickerViewModel.Screen::caption)
                        .toList());
        Await.until(() -> model.screens().stream().allMatch(s -> s.thumbnail().get() != null), WAIT, "no thumbnails");
        ScreenSources.Thumbnail small = model.screens().get(1).thumbnail().get();
        assertEquals(ScreenPickerViewModel.THUMB_WIDTH, small.width());
        assertEquals(135, small.height(), "the screen's aspect ratio");
        model.close();
    }

    @Test
    void closingThePickerStopsTheThumbnails() throws Exception {
        screens.found = List.of(new Rectangle(0, 0, 800, 600));
        model.open(source -> {});
        Await.until(() -> screens.thumbnails.get() >= 1, WAIT, "no thumbnail taken");
        model.close();
        capture.submit(() -> {}).get(5, TimeUnit.SECONDS); // the capture thread has seen the close
        assertTrue(
                capture.getQueue().stream().allMatch(task -> ((Future<?>) task).isDone()),
                "a refresh is still scheduled");
        int taken = screens.thumbnails.get();
        capture.submit(() -> {}).get(5, TimeUnit.SECONDS);
        assertEquals(taken, screens.thumbnails.get());
    }

    /** On Wayland each capture not yet allowed makes the desktop ask: the picker takes no thumbnails there. */
    @Test
    void whereTheDesktopAsksNoThumbnailIsTaken() throws Exception {
        screens.found = List.of(new Rectangle(0, 0, 1280, 720));
        screens.desktopAsks = true;
        model.open(source -> {});
        Await.until(() -> model.listed().get(), WAIT, "never listed");
        assertTrue(model.desktopAsks());
        capture.schedule(() -> {}, 1500, TimeUnit.MILLISECONDS).get(5, TimeUnit.SECONDS); // a refresh would have run
        assertEquals(0, screens.thumbnails.get(), "a thumbnail made the desktop ask");
        assertEquals(1, model.screens().size(), "the screen is still offered");
        model.close();
    }

    @Test
    void thePickersNoteSaysWhatThisDesktopDoes() {
        assertEquals("share.noWindows", model.noteKey());
        screens.desktopAsks = true;
        assertEquals("share.desktopAsks", model.noteKey());
        screens.untested = true;
        assertEquals("share.wlroots", model.noteKey());
        assertTrue(AwtScreenSources.onWlroots(java.util.Map.of("XDG_CURRENT_DESKTOP", "sway")));
        assertTrue(AwtScreenSources.onWlroots(java.util.Map.of("XDG_CURRENT_DESKTOP", "Hyprland")));
        assertTrue(!AwtScreenSources.onWlroots(java.util.Map.of("XDG_CURRENT_DESKTOP", "ubuntu:GNOME")));
        assertTrue(!AwtScreenSources.onWlroots(java.util.Map.of()));
    }

    @Test
    void waylandIsToldByTheSessionTypeAsTheJdkTellsIt() {
        assertTrue(AwtScreenSources.onWayland(java.util.Map.of("XDG_SESSION_TYPE", "wayland")));
        assertTrue(!AwtScreenSources.onWayland(java.util.Map.of("XDG_SESSION_TYPE", "x11", "WAYLAND_DISPLAY", "w")));
        assertTrue(!AwtScreenSources.onWayland(java.util.Map.of("WAYLAND_DISPLAY", "wayland-0")));
        assertTrue(!AwtScreenSources.onWayland(java.util.Map.of("DISPLAY", ":0")));
    }

    @Test
    void withoutScreensThePickerIsListedEmpty() {
        screens.found = List.of();
        model.open(source -> {});
        Await.until(() -> model.listed().get(), WAIT, "never listed");
        assertTrue(model.screens().isEmpty());
        model.close();
    }

    @Test
    void sharingOpensACaptureOfTheChosenScreenAndHandsItToTheCall() throws Exception {
        screens.found = List.of(new Rectangle(0, 0, 1280, 720));
        LinkedBlockingQueue<VideoSource> shared = new LinkedBlockingQueue<>();
        model.open(shared::add);
        Await.until(() -> model.listed().get(), WAIT, "never listed");
        model.close();
        model.share(model.screens().get(0));
        VideoSource source = shared.poll(5, TimeUnit.SECONDS);
        assertNotNull(source, "nothing shared");
        assertSame(screens.captured, source);
        assertEquals(new Rectangle(0, 0, 1280, 720), screens.capturedBounds);
    }

    @Test
    void anOpeningClosedBeforeTheScreensAreFoundShowsNothing() throws Exception {
        var gate = new CountDownLatch(1);
        capture.execute(() -> {
            try {
                gate.await(); // hold the capture thread while the picker opens and closes
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        screens.found = List.of(new Rectangle(0, 0, 800, 600));
        model.open(source -> {});
        model.close();
        gate.countDown();
        capture.submit(() -> {}).get(5, TimeUnit.SECONDS);
        assertTrue(model.screens().isEmpty());
        assertEquals(0, screens.listings.get(), "the screens were looked for after the picker closed");
    }

    /** Screens made up in memory; counts what is asked of them. */
    private static final class FakeScreens implements ScreenSources {
        volatile List<Rectangle> found = List.of();
        final AtomicInteger listings = new AtomicInteger();
        final AtomicInteger thumbnails = new AtomicInteger();
        final VideoSource captured = new VideoSource() {
            @Override
            public VideoTrackSource videoSource() {
                return null;
            }

            @Override
            public void start() {}

            @Override
            public void close() {}
        };
        volatile Rectangle capturedBounds;
        volatile boolean desktopAsks;
        volatile boolean untested;

        @Override
        public boolean untestedDesktop() {
            return untested;
        }

        @Override
        public boolean desktopAsks() {
            return desktopAsks;
        }

        @Override
        public List<Rectangle> screens() {
            listings.incrementAndGet();
            return found;
        }

        @Override
        public Thumbnail thumbnail(Rectangle screen, int width) {
            thumbnails.incrementAndGet();
            int height = screen.height * width / screen.width;
            return new Thumbnail(width, height, new int[width * height]);
        }

        @Override
        public VideoSource capture(Rectangle screen) {
            capturedBounds = screen;
            return captured;
        }
    }
}
