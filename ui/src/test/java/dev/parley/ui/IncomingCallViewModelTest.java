package dev.parley.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.call.CallState;
import dev.parley.testsupport.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** An incoming call's ringing, answer and end, over made-up calls: no window, no network. */
@Timeout(10)
class IncomingCallViewModelTest {
    private static final Executor DIRECT = Runnable::run;
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private OfflineClient client;
    private final Ringer ringer = new Ringer();
    private final FakeScreen screen = new FakeScreen();

    @BeforeEach
    void setUp() {
        client = new OfflineClient(dir.resolve("config"));
    }

    @AfterEach
    void tearDown() {
        ringer.close();
        client.close();
    }

    private IncomingCallViewModel model(DesktopNotifier notifier) {
        IncomingCallViewModel model = new IncomingCallViewModel(
                client.service,
                new CallViewModelFactory(client.service, ringer, DIRECT, DIRECT),
                ringer,
                notifier,
                Messages.forLanguage("en"),
                DIRECT);
        model.setCallScreen(screen);
        return model;
    }

    private IncomingCallViewModel model() {
        return model(new DesktopNotifier(null));
    }

    @Test
    void aCallRingsWithTheCallersNameUntilDeclined() {
        IncomingCallViewModel model = model();
        FakeCall bob = new FakeCall("Bob Builder");
        model.ring(bob);
        assertTrue(model.ringing().get());
        assertEquals("Bob Builder is calling", model.title().get());
        Await.until(() -> Ringer.RINGTONE.equals(ringer.sounding()), WAIT, "no ringtone");

        model.decline();
        assertTrue(bob.declined);
        assertFalse(model.ringing().get());
        Await.until(() -> ringer.sounding() == null, WAIT, "still ringing");
        assertEquals(0, screen.shown, "a declined call is not shown");
    }

    @Test
    void acceptingStopsTheRingingAndShowsTheCall() {
        IncomingCallViewModel model = model();
        FakeCall video = new FakeCall("bob");
        model.ring(video);
        model.acceptWithVideo();
        assertEquals(List.of(true), video.accepted);
        assertFalse(model.ringing().get());
        assertEquals(1, screen.shown);
        Await.until(() -> ringer.sounding() == null, WAIT, "still ringing");

        FakeCall audio = new FakeCall("carol");
        model.ring(audio);
        model.acceptAudioOnly();
        assertEquals(List.of(false), audio.accepted);
        assertEquals(2, screen.shown);
    }

    @Test
    void aSecondCallWhileOneRingsIsLeftToTheEngine() {
        IncomingCallViewModel model = model();
        FakeCall first = new FakeCall("bob");
        FakeCall second = new FakeCall("carol");
        model.ring(first);
        model.ring(second);
        assertEquals("bob is calling", model.title().get());
        assertTrue(second.cues.isEmpty(), "the second call is not followed");
        model.decline();
        assertTrue(first.declined);
        assertFalse(second.declined, "the engine answers it busy, not the window");
    }

    @Test
    void theCallerGivingUpStopsTheRingingAndShowsNothing() {
        IncomingCallViewModel model = model();
        FakeCall bob = new FakeCall("bob");
        model.ring(bob);
        bob.change(CallState.ENDED);
        assertFalse(model.ringing().get());
        Await.until(() -> ringer.sounding() == null, WAIT, "still ringing");
        assertEquals(0, screen.shown);
        model.decline(); // the card is gone: nothing left to decline
        assertFalse(bob.declined);
    }

    @Test
    void aCallTakenByOurOwnDialIsShownUnlessACallIsOnTheScreen() {
        IncomingCallViewModel model = model();
        FakeCall glare = new FakeCall("bob");
        model.ring(glare);
        glare.change(CallState.CONNECTING); // we called bob while he rang: the engine took his call
        assertFalse(model.ringing().get());
        assertEquals(1, screen.shown);

        screen.showing = true; // our dial showed it first
        FakeCall again = new FakeCall("bob");
        model.ring(again);
        again.change(CallState.CONNECTING);
        assertFalse(model.ringing().get());
        assertEquals(1, screen.shown, "shown once");
    }

    @Test
    void aCallThatEndedBeforeItRangStopsAtOnce() {
        IncomingCallViewModel model = model();
        FakeCall gone = new FakeCall("bob");
        gone.state = CallState.ENDED;
        model.ring(gone);
        assertFalse(model.ringing().get());
        assertTrue(gone.accepted.isEmpty() && !gone.declined, "an ended call is neither answered nor declined");
        assertEquals(0, screen.shown);
    }

    @Test
    void whileTheWindowIsNotInFrontTheDesktopAnnouncesTheCall() throws Exception {
        Path out = dir.resolve("notified");
        Path command = dir.resolve("notify-send");
        Files.writeString(command, "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done > '" + out + "'\n");
        Files.setPosixFilePermissions(command, PosixFilePermissions.fromString("rwx------"));
        IncomingCallViewModel model = model(new DesktopNotifier(command));
        model.windowFocused().set(false);
        model.ring(new FakeCall("bob"));
        Await.until(() -> Files.exists(out) && read(out).contains("Open Parley to answer."), WAIT, "no notification");
        assertTrue(read(out).contains("bob is calling\n"), read(out));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    /** A ringing call made up in memory: records the answer; {@link #change} moves it on. */
    private static final class FakeCall implements IncomingCallViewModel.Call {
        final String caller;
        final List<Runnable> cues = new ArrayList<>();
        final List<Boolean> accepted = new ArrayList<>();
        CallState state = CallState.RINGING;
        boolean declined;

        FakeCall(String caller) {
            this.caller = caller;
        }

        void change(CallState next) {
            state = next;
            cues.forEach(Runnable::run);
        }

        @Override
        public String caller() {
            return caller;
        }

        @Override
        public CallState state() {
            return state;
        }

        @Override
        public void onStateChange(Runnable cue) {
            cues.add(cue);
        }

        @Override
        public void accept(boolean withVideo) {
            accepted.add(withVideo);
            state = CallState.CONNECTING;
        }

        @Override
        public void decline() {
            declined = true;
            state = CallState.ENDED;
        }

        @Override
        public CallViewModel open() {
            return null; // a view model needs a real session; the screen only counts what it is given
        }
    }

    /** The window's call screen, counting the calls it is asked to show. */
    private static final class FakeScreen implements IncomingCallViewModel.CallScreen {
        boolean showing;
        int shown;

        @Override
        public boolean showingCall() {
            return showing;
        }

        @Override
        public void showCall(CallViewModel call) {
            shown++;
        }
    }
}
