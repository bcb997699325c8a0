package dev.parley.ui;

import dev.parley.call.CallSession;
import dev.parley.call.CallState;
import dev.parley.call.ClientService;
import dev.parley.call.Contact;
import java.nio.file.Path;
import java.util.concurrent.Executor;
import javafx.util.Subscription;

/**
 * Makes the view model of each call the window shows: the peer named as the contacts name them, the session's
 * events through the FX executor, and the ringback while our own call rings at theirs.
 */
public final class CallViewModelFactory {
    private final ClientService service;
    private final Ringer ringer;
    private final Executor fx;
    private final Executor background;

    /** @param background for the views' blocking work (remembering a verified peer writes a file) */
    public CallViewModelFactory(ClientService service, Ringer ringer, Executor fx, Executor background) {
        this.service = service;
        this.ringer = ringer;
        this.fx = fx;
        this.background = background;
    }

    /** The view model of a call being shown. FX thread. */
    CallViewModel open(CallSession session) {
        return open(session, displayName(session));
    }

    /** The view model of a call shown under {@code name} (a code call: the name its code gives). FX thread. */
    CallViewModel open(CallSession session, String name) {
        CallViewModel model = new CallViewModel(session, name, fx, service.trust(), background);
        model.setDownloads(() -> {
            String folder = service.settings().get().downloadFolder();
            return folder == null ? null : Path.of(folder);
        });
        if (session.outgoing()) {
            // "Calling…" has its ringback until the call is answered or ends.
            ringer.play(Ringer.RINGBACK);
            Subscription[] ringback = new Subscription[1];
            ringback[0] = model.state().subscribe((before, state) -> {
                if (state != CallState.DIALING && state != CallState.IDLE) {
                    ringer.stop();
                    ringback[0].unsubscribe();
                }
            });
        }
        return model;
    }

    /**
     * Who the peer of a call is, for people: a guest by link as "NAME (guest, via link)", with the name the server
     * vouches the guest typed; a user as {@link #displayName(String)}.
     */
    String displayName(CallSession session) {
        if (session.guestName() != null) {
            return Messages.forLanguage(service.settings().get().language()).get("guest.caller", session.guestName());
        }
        return displayName(session.peer());
    }

    /** A contact's name for a user, or the user name when they are not a contact. */
    String displayName(String user) {
        return service.contacts().all().stream()
                .filter(c -> c.user().equals(user))
                .map(Contact::displayName)
                .findFirst()
                .orElse(user);
    }
}
