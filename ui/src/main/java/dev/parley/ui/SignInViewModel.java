package dev.parley.ui;

import dev.parley.call.ClientService;
import dev.parley.call.ServerList;
import dev.parley.signaling.client.ConnectionState;
import dev.parley.signaling.client.SignalingException;
import dev.parley.signaling.protocol.ErrorCode;
import dev.parley.signaling.protocol.UserNames;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * Holds the sign-in form: the server address and credentials, with a clear message for each way it can go wrong
 * (a malformed address, wrong credentials, a server that cannot be reached — retried until the user cancels); or
 * the server built into the app, signed in to at once on a first run.
 */
public final class SignInViewModel {
    private final ClientService service;
    private final Messages text;
    private final Executor fx;
    private final LocalServer local;
    private final StringProperty server = new SimpleStringProperty("");
    private final StringProperty user = new SimpleStringProperty("");
    private final StringProperty password = new SimpleStringProperty("");
    private final SimpleStringProperty error = new SimpleStringProperty();
    private final SimpleBooleanProperty busy = new SimpleBooleanProperty();
    private final SimpleBooleanProperty signedIn = new SimpleBooleanProperty();
    private long attempt; // FX thread: answers to an attempt the user cancelled are ignored

    /** @param local the app's built-in server, or null: offered on the form, and used when no server is set */
    public SignInViewModel(ClientService service, Messages text, Executor fx, LocalServer local) {
        this.service = service;
        this.text = text;
        this.fx = fx;
        this.local = local;
        var s = service.settings().get();
        server.set(s.serverUrl() == null ? "ws://127.0.0.1:7443/signal" : s.serverUrl());
        user.set(s.user() == null ? "" : s.user());
        service.addListener(new ClientService.Listener() {
            @Override
            public void onConnectionChanged(ConnectionState state, String detail) {
                fx.execute(() -> connectionChanged(state, detail));
            }
        });
    }

    public StringProperty server() {
        return server;
    }

    public StringProperty user() {
        return user;
    }

    public StringProperty password() {
        return password;
    }

    public ReadOnlyStringProperty error() {
        return error;
    }

    public ReadOnlyBooleanProperty busy() {
        return busy;
    }

    public ReadOnlyBooleanProperty signedIn() {
        return signedIn;
    }

    /** Checks the form and signs in; the outcome arrives in {@link #error()} or {@link #signedIn()}. FX thread. */
    public void signIn() {
        List<URI> servers;
        try {
            servers = ServerList.parse(server.get()); // one URL, or several nodes of one service
        } catch (IllegalArgumentException e) {
            error.set(text.get("signIn.error.badUrl"));
            return;
        }
        String name = user.get().strip();
        if (UserNames.invalidReason(name) != null) {
            error.set(text.get("signIn.error.badUser"));
            return;
        }
        error.set(null);
        busy.set(true);
        long mine = ++attempt;
        String secret = password.get().isEmpty() ? null : password.get();
        service.signIn(servers, name, secret, true)
                .whenCompleteAsync(
                        (welcome, failure) -> {
                            if (mine != attempt) {
                                return;
                            }
                            busy.set(false);
                            if (failure == null) {
                                password.set("");
                                signedIn.set(true);
                                return;
                            }
                            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                                    ? failure.getCause()
                                    : failure;
                            if (cause instanceof SignalingException s && s.code() == ErrorCode.AUTH_FAILED) {
                                error.set(text.get("signIn.error.credentials"));
                            } else {
                                error.set(text.get("signIn.error.other", cause.getMessage()));
                            }
                        },
                        fx);
    }

    /** Whether the form offers the server built into the app. */
    public boolean builtInOffered() {
        return local != null;
    }

    /** On a first run (no server set) signs in to this computer's own server at once. FX thread. */
    public void signInIfFirstRun() {
        if (local != null && service.settings().get().serverUrl() == null) {
            signInBuiltIn();
        }
    }

    /** Signs in to the server built into the app (starting it if needed); it is then the one used. FX thread. */
    public void signInBuiltIn() {
        error.set(null);
        busy.set(true);
        long mine = ++attempt;
        local.start()
                .thenCompose(uri -> service.signIn(uri, local.localUser(), local.localSecret(), false))
                .whenCompleteAsync(
                        (welcome, failure) -> {
                            if (mine != attempt) {
                                return;
                            }
                            busy.set(false);
                            if (failure == null) {
                                signedIn.set(true);
                            } else {
                                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                                        ? failure.getCause()
                                        : failure;
                                error.set(text.get("signIn.error.builtIn", cause.getMessage()));
                            }
                        },
                        fx);
    }

    /** Stops trying to reach the server. FX thread. */
    public void cancel() {
        attempt++;
        busy.set(false);
        error.set(null);
        service.signOutLater();
    }

    /** Signs out (off the FX thread); the form is shown again. FX thread. */
    public void signOut() {
        service.signOutLater();
        signedIn.set(false);
    }

    private void connectionChanged(ConnectionState state, String detail) {
        // A failed attempt during the first sign-in reports CONNECTING with the reason; say so and keep trying.
        if (busy.get() && state == ConnectionState.CONNECTING && detail != null && detail.contains("retrying")) {
            error.set(text.get("signIn.error.unreachable", server.get().strip()));
        }
    }
}
