package dev.parley.ui;

import dev.parley.call.CallHistory;
import dev.parley.call.CallSession;
import dev.parley.call.CallState;
import dev.parley.call.ClientService;
import dev.parley.call.CodeCall;
import dev.parley.call.Contact;
import dev.parley.call.InviteCode;
import dev.parley.signaling.client.ConnectionState;
import dev.parley.signaling.protocol.PresenceStatus;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

/** Holds the home screen's state: contacts with presence, the search, the recent calls and the connection banner. */
public final class HomeViewModel {
    /**
     * A contact as the list shows it: its presence, and where it stands with the server (presence is shared only
     * once both are contacts; someone who asked us is listed too, with the answer to give).
     */
    public record ContactItem(Contact contact, PresenceStatus presence, ClientService.ContactState state) {}

    private final ClientService service;
    private final Messages text;
    private final Executor fx;
    private final Executor io;
    private final CallViewModelFactory calls;
    private final ObservableList<ContactItem> contacts = FXCollections.observableArrayList();
    private final FilteredList<ContactItem> visible = new FilteredList<>(contacts);
    private final ObservableList<CallHistory.Entry> recent = FXCollections.observableArrayList();
    private final StringProperty search = new SimpleStringProperty("");
    private final SimpleStringProperty banner = new SimpleStringProperty();
    private final SimpleStringProperty error = new SimpleStringProperty();
    private final SimpleObjectProperty<PresenceStatus> ownStatus = new SimpleObjectProperty<>(PresenceStatus.ONLINE);

    /**
     * @param io    where contact files are written (never the FX thread)
     * @param calls makes the view model of a call placed from here
     */
    public HomeViewModel(ClientService service, Messages text, Executor fx, Executor io, CallViewModelFactory calls) {
        this.service = service;
        this.text = text;
        this.fx = fx;
        this.io = io;
        this.calls = calls;
        search.addListener((o, a, b) -> {
            String needle = b == null ? "" : b.strip().toLowerCase(Locale.ROOT);
            visible.setPredicate(
                    needle.isEmpty()
                            ? null
                            : item -> item.contact()
                                            .displayName()
                                            .toLowerCase(Locale.ROOT)
                                            .contains(needle)
                                    || item.contact()
                                            .user()
                                            .toLowerCase(Locale.ROOT)
                                            .contains(needle));
        });
        ownStatus.addListener((o, a, b) -> service.setOwnStatus(b));
        service.addListener(new ClientService.Listener() {
            @Override
            public void onPresenceChanged(String user, PresenceStatus status) {
                fx.execute(HomeViewModel.this::reloadContacts);
            }

            @Override
            public void onHistoryChanged() {
                fx.execute(HomeViewModel.this::reloadHistory);
            }

            @Override
            public void onContactsChanged() {
                fx.execute(HomeViewModel.this::reloadContacts);
            }

            @Override
            public void onConnectionChanged(ConnectionState state, String detail) {
                fx.execute(() -> banner.set(
                        switch (state) {
                            case RECONNECTING -> text.get("home.banner.reconnecting");
                            case FAILED -> text.get("home.banner.failed");
                            default -> null;
                        }));
            }
        });
        reloadContacts();
        reloadHistory();
    }

    public FilteredList<ContactItem> contacts() {
        return visible;
    }

    public ObservableList<CallHistory.Entry> recent() {
        return recent;
    }

    public StringProperty search() {
        return search;
    }

    /** Null while connected; else what the connection is doing ("reconnecting…"). */
    public ReadOnlyStringProperty banner() {
        return banner;
    }

    /** The last action's error, or null. */
    public ReadOnlyStringProperty error() {
        return error;
    }

    public ObjectProperty<PresenceStatus> ownStatus() {
        return ownStatus;
    }

    public String user() {
        return service.user();
    }

    /** A new sign-in: we are online. FX thread. */
    public void signedIn() {
        ownStatus.set(PresenceStatus.ONLINE);
    }

    /**
     * Adds or updates a contact: checked at once, saved off the FX thread. Completes on the FX thread with true
     * once it is saved and listed, false (and {@link #error()}) when the name is invalid or saving failed.
     */
    public CompletableFuture<Boolean> saveContact(String user, String displayName) {
        Contact contact;
        try {
            contact = new Contact(user.strip(), displayName);
        } catch (IllegalArgumentException e) {
            error.set(text.get("home.error.badContact", user.strip()));
            return CompletableFuture.completedFuture(false);
        }
        return write(() -> service.putContact(contact));
    }

    public CompletableFuture<Boolean> removeContact(Contact contact) {
        return write(() -> service.removeContact(contact.user()));
    }

    /** Answers someone who asked to be a contact: accepted, they are saved as one; refused, the request goes. */
    public CompletableFuture<Boolean> answerContact(ContactItem item, boolean accept) {
        return write(() ->
                service.answerContact(item.contact().user(), item.contact().displayName(), accept));
    }

    private interface Write {
        void run() throws IOException;
    }

    /** A change to the contacts file, on the io executor; the list and the error follow on the FX thread. */
    private CompletableFuture<Boolean> write(Write change) {
        return CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                change.run();
                                return (String) null;
                            } catch (IOException e) {
                                return e.getMessage();
                            }
                        },
                        io)
                .thenApplyAsync(
                        failure -> {
                            error.set(failure == null ? null : text.get("home.error.save", failure));
                            reloadContacts();
                            return failure == null;
                        },
                        fx);
    }

    /**
     * Makes a guest link valid for a day. Completes on the FX thread with the link, or with null (and
     * {@link #error()} saying why) when the server cannot make one now.
     */
    public CompletableFuture<ClientService.GuestLink> inviteByLink() {
        return service.createGuestLink(Duration.ofHours(24))
                .handleAsync(
                        (link, failure) -> {
                            error.set(failure == null ? null : text.get("home.error.link", reason(failure)));
                            return failure == null ? link : null;
                        },
                        fx);
    }

    /** Ends a guest link; completes on the FX thread with whether it was revoked ({@link #error()} if not). */
    public CompletableFuture<Boolean> revokeLink(ClientService.GuestLink link) {
        return service.revokeGuestLink(link.token())
                .handleAsync(
                        (revoked, failure) -> {
                            error.set(failure == null ? null : text.get("home.error.revoke", reason(failure)));
                            return failure == null;
                        },
                        fx);
    }

    /** What failed inside a future's wrapping. */
    private static Throwable cause(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** Why a request failed, in the user's words where Parley knows them; the server's own words otherwise. */
    private String reason(Throwable failure) {
        Throwable cause = cause(failure);
        if (cause instanceof java.util.concurrent.TimeoutException) {
            return text.get("home.error.noAnswer");
        }
        if ("not signed in".equals(cause.getMessage())) {
            return text.get("home.error.notSignedIn");
        }
        return String.valueOf(cause.getMessage());
    }

    /**
     * "Call without a server": starts an invite. Completes on the FX thread with the call whose code is to be
     * shown, or null (and {@link #error()}) when it cannot start.
     */
    public CompletableFuture<CodeCall> inviteByCode() {
        return service.inviteByCode()
                .handleAsync(
                        (call, failure) -> {
                            error.set(failure == null ? null : text.get("home.error.code", reason(failure)));
                            return failure == null ? call : null;
                        },
                        fx);
    }

    /**
     * "Join with a code": answers a pasted invite code. Completes on the FX thread with the call (whose answer
     * code is to be shown), or fails with {@link InviteCode.BadCode} for a paste that is not a good invite code.
     */
    public CompletableFuture<CodeCall> joinByCode(String pasted) {
        return service.joinByCode(pasted).whenCompleteAsync((call, failure) -> {}, fx);
    }

    /** This side's code, on the FX thread once gathered. */
    public CompletableFuture<InviteCode> codeOf(CodeCall call) {
        return call.code().whenCompleteAsync((code, failure) -> {}, fx);
    }

    /** A code call's session once it exists, on the FX thread. */
    public CompletableFuture<CallSession> sessionOf(CodeCall call) {
        return call.session().whenCompleteAsync((session, failure) -> {}, fx);
    }

    /**
     * Completes on the FX thread once the code call has connected ({@link CallState#CONNECTED}) or ended before it
     * did ({@link CallState#ENDED}).
     */
    public CompletableFuture<CallState> settledOf(CodeCall call) {
        CompletableFuture<CallState> settled = new CompletableFuture<>();
        call.session().thenAccept(session -> {
            session.addListener((s, state, reason) -> {
                if (state == CallState.CONNECTED || state == CallState.ENDED) {
                    settled.complete(state);
                }
            });
            CallState now = session.state();
            if (now == CallState.CONNECTED || now == CallState.ENDED) {
                settled.complete(now); // before the listener was added
            }
        });
        return settled.whenCompleteAsync((state, failure) -> {}, fx);
    }

    /** What to tell a person about a code that cannot be used, in their words. */
    public String badCode(Throwable failure) {
        Throwable cause = cause(failure);
        if (cause instanceof InviteCode.BadCode bad) {
            return text.get("code.bad." + bad.reason().name().toLowerCase(java.util.Locale.ROOT));
        }
        return text.get("home.error.code", reason(failure));
    }

    /** The call view of a code call, under the name the other side's code gives. FX thread. */
    public CallViewModel open(CodeCall call, CallSession session) {
        return calls.open(session, call.peerName() != null ? call.peerName() : session.peer());
    }

    /** Calls a user; null (and {@link #error()}) when that cannot start now. FX thread. */
    public CallViewModel call(String user) {
        try {
            CallSession session = service.dial(user);
            error.set(null);
            return calls.open(session);
        } catch (IllegalStateException e) {
            error.set(text.get("not signed in".equals(e.getMessage()) ? "home.error.notSignedIn" : "home.error.busy"));
            return null;
        }
    }

    private void reloadContacts() {
        List<ContactItem> items = new ArrayList<>();
        Set<String> saved = new HashSet<>();
        for (Contact c : service.contacts().all()) {
            saved.add(c.user());
            items.add(new ContactItem(c, service.presenceOf(c.user()), service.contactState(c.user())));
        }
        for (String asker : service.contactRequests()) { // asked us, not saved yet: listed with the answer to give
            if (!saved.contains(asker)) {
                items.add(new ContactItem(
                        new Contact(asker, asker), PresenceStatus.OFFLINE, ClientService.ContactState.ASKING));
            }
        }
        contacts.setAll(items);
    }

    private void reloadHistory() {
        recent.setAll(service.history().all());
    }
}
