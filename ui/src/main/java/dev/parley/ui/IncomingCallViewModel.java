package dev.parley.ui;

import dev.parley.call.CallSession;
import dev.parley.call.CallState;
import dev.parley.call.ClientService;
import java.util.concurrent.Executor;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;

/**
 * Rings for an incoming call: who is calling, the ringtone, a desktop notification while the window is not in
 * front, and the answer — with video, audio only, or declined. One call rings at a time (the engine answers a
 * second one busy). The caller may give up first, or the call be taken by our own dial to them (glare): either
 * way the ringing stops, and a call taken is shown. FX thread, except where a method says.
 */
public final class IncomingCallViewModel {
    /** A ringing call as this view model uses it: a {@link CallSession} in the app, a fake in tests. */
    interface Call {
        /** Who calls, as the contacts name them. */
        String caller();

        CallState state();

        /** Runs {@code cue}, on any thread, whenever the call's state changes. */
        void onStateChange(Runnable cue);

        void accept(boolean withVideo);

        void decline();

        /** The call's view model, to show it once taken. FX thread. */
        CallViewModel open();
    }

    /** Where a call that was taken is shown: the window's navigation. */
    public interface CallScreen {
        /** Whether a call is on the screen now. */
        boolean showingCall();

        void showCall(CallViewModel call);
    }

    private final Ringer ringer;
    private final DesktopNotifier notifier;
    private final Messages text;
    private final Executor fx;
    private final SimpleBooleanProperty ringing = new SimpleBooleanProperty();
    private final SimpleStringProperty title = new SimpleStringProperty();
    private final SimpleBooleanProperty windowFocused = new SimpleBooleanProperty(true);
    private CallScreen screen;
    private Call current;

    public IncomingCallViewModel(
            ClientService service,
            CallViewModelFactory calls,
            Ringer ringer,
            DesktopNotifier notifier,
            Messages text,
            Executor fx) {
        this.ringer = ringer;
        this.notifier = notifier;
        this.text = text;
        this.fx = fx;
        service.addListener(new ClientService.Listener() {
            @Override
            public void onIncomingCall(CallSession session) { // a signaling thread
                fx.execute(() -> ring(new SessionCall(session, calls)));
            }
        });
    }

    /** Where taken calls are shown from now on. */
    public void setCallScreen(CallScreen screen) {
        this.screen = screen;
    }

    /** A call is ringing: the card is up. */
    public ReadOnlyBooleanProperty ringing() {
        return ringing;
    }

    /** "Bob is calling". */
    public ReadOnlyStringProperty title() {
        return title;
    }

    /** Whether the window is in front; a call ringing while it is not is also announced by the desktop. */
    public BooleanProperty windowFocused() {
        return windowFocused;
    }

    void ring(Call call) {
        if (current != null) {
            return; // the engine rings one call at a time; a second is answered busy
        }
        current = call;
        title.set(text.get("incoming.title", call.caller()));
        ringing.set(true);
        // The caller may give up first, or the call be taken by our own dial. Listen first, then look: a change
        // between the two is seen either way.
        call.onStateChange(() -> fx.execute(() -> follow(call)));
        ringer.play(Ringer.RINGTONE);
        follow(call);
        if (!windowFocused.get()) {
            notifier.notify(title.get(), text.get("incoming.notification"));
        }
    }

    private void follow(Call call) {
        CallState state = call.state();
        if (call == current && state != CallState.RINGING) {
            stopRinging();
            if (state != CallState.ENDED && screen != null && !screen.showingCall()) {
                screen.showCall(call.open()); // answered by calling them back (glare)
            }
        }
    }

    public void acceptWithVideo() {
        accept(true);
    }

    public void acceptAudioOnly() {
        accept(false);
    }

    private void accept(boolean withVideo) {
        Call call = current;
        if (call == null) {
            return;
        }
        stopRinging();
        call.accept(withVideo);
        if (screen != null) {
            screen.showCall(call.open());
        }
    }

    public void decline() {
        Call call = current;
        if (call == null) {
            return;
        }
        stopRinging();
        call.decline();
    }

    private void stopRinging() {
        current = null;
        ringing.set(false);
        ringer.stop();
    }

    /** A ringing session. */
    private record SessionCall(CallSession session, CallViewModelFactory calls) implements Call {
        @Override
        public String caller() {
            return calls.displayName(session);
        }

        @Override
        public CallState state() {
            return session.state();
        }

        @Override
        public void onStateChange(Runnable cue) {
            session.addListener((s, state, reason) -> cue.run());
        }

        @Override
        public void accept(boolean withVideo) {
            session.accept(withVideo);
        }

        @Override
        public void decline() {
            session.decline();
        }

        @Override
        public CallViewModel open() {
            return calls.open(session);
        }
    }
}
