package dev.parley.ui;

import javafx.scene.Node;
import javafx.scene.layout.StackPane;
import javafx.util.Subscription;

/**
 * Decides which screen the window shows — the sign-in form, the home screen or a call — and opens the dialogs
 * that belong to them (settings, the screen picker) one at a time over the dialog host, and a link's cards (asked
 * once signed in); the incoming-call card shows itself. FX thread.
 */
final class Navigation extends StackPane implements IncomingCallViewModel.CallScreen {
    private final MainWindow.Parts parts;
    private final DialogHost dialogs;
    private final SignInView signInView;
    // Made when first needed: only the sign-in form is built before the window shows (parley bench start).
    private HomeView homeView;
    private IncomingCallView incomingView;
    private CallLinkCards linkCards;
    private CodeCallCards codeCards;
    private final Subscription subscriptions;
    private CallView callView;
    private Node dialog; // settings or the screen picker, while shown
    private Runnable releaseDialog; // lets go of the dialog's camera, meter or capture thread
    private String pendingAsk; // a link's user, asked about once signed in

    Navigation(MainWindow.Parts parts, DialogHost dialogs) {
        this.parts = parts;
        this.dialogs = dialogs;
        signInView = new SignInView(parts.signIn(), parts.text(), this::codeCards);
        parts.incoming().setCallScreen(this);
        subscriptions = Subscription.combine(
                parts.signIn().signedIn().subscribe((was, signedIn) -> {
                    if (signedIn && callView == null) { // a call without a server may be on: home once it ends
                        showHome();
                    }
                }),
                parts.incoming().ringing().subscribe((was, ringing) -> showIncoming(ringing)));
        getChildren().setAll(signInView);
    }

    /** The incoming-call card over whatever shows, while a call rings; declining is also what closing it does. */
    private void showIncoming(boolean ringing) {
        if (ringing) {
            if (incomingView == null) {
                incomingView = new IncomingCallView(parts.incoming(), parts.text());
            }
            dialogs.show(incomingView, parts.incoming()::decline);
        } else if (incomingView != null) {
            dialogs.close(incomingView);
        }
    }

    private CodeCallCards codeCards() {
        if (codeCards == null) {
            codeCards = new CodeCallCards(parts.home(), parts.text(), dialogs, this::showCall);
        }
        return codeCards;
    }

    private CallLinkCards linkCards() {
        if (linkCards == null) {
            linkCards = new CallLinkCards(parts.text(), dialogs, this::call);
        }
        return linkCards;
    }

    /** Puts the keyboard into the sign-in form. */
    void focusSignIn() {
        signInView.focusFirstField();
    }

    /**
     * Shows what a launch asks: whether to call a link's user (at once if signed in, else once signed in; nothing is
     * dialed without the user's yes), or that a link cannot be opened.
     */
    void open(LaunchRequest request) {
        if (request.badLink() != null) {
            linkCards().badLink(request.badLink());
        }
        if (request.callUser() != null) {
            if (parts.signIn().signedIn().get()) {
                linkCards().ask(request.callUser());
            } else {
                pendingAsk = request.callUser(); // a later link replaces an earlier one not yet asked
            }
        }
    }

    private void showHome() {
        if (homeView == null) {
            homeView = new HomeView(
                    parts.home(), parts.text(), dialogs, this::call, codeCards(), this::openSettings, this::signOut);
        }
        getChildren().setAll(homeView);
        homeView.signedIn();
        parts.home().signedIn();
        if (pendingAsk != null) {
            String user = pendingAsk;
            pendingAsk = null;
            linkCards().ask(user);
        }
    }

    private void signOut() {
        parts.signIn().signOut();
        getChildren().setAll(signInView);
    }

    private void call(String user) {
        CallViewModel call = parts.home().call(user);
        if (call != null) {
            showCall(call);
        }
    }

    @Override
    public boolean showingCall() {
        return callView != null;
    }

    @Override
    public void showCall(CallViewModel call) {
        if (callView != null) {
            callView.dispose(); // the end of the last call, still shown
        }
        callView = new CallView(call, parts.text(), dialogs, parts.fx(), new CallView.Host() {
            @Override
            public void pickScreen(CallViewModel model) {
                openScreenPicker(model);
            }

            @Override
            public void callFinished(CallView view) {
                if (callView == view) {
                    callView = null;
                    view.dispose();
                    if (!parts.signIn().signedIn().get() && parts.home().user() == null) {
                        if (getChildren().contains(view)) {
                            getChildren().setAll(signInView); // a call without a server, made before signing in
                        }
                    } else if (parts.home().user() != null || getChildren().contains(view)) {
                        showHome();
                    }
                }
            }
        });
        getChildren().setAll(callView);
        callView.requestFocus();
    }

    private void openSettings() {
        if (dialog != null) {
            return;
        }
        SettingsViewModel model = parts.settings();
        model.open();
        SettingsView view = new SettingsView(
                model,
                parts.text(),
                parts.fx(),
                () -> {
                    closeDialog();
                    signOut(); // "connect to another server": the sign-in form
                },
                this::closeDialog);
        openDialog(view, () -> {
            view.dispose();
            model.close();
        });
    }

    private void openScreenPicker(CallViewModel call) {
        if (dialog != null) {
            return;
        }
        ScreenPickerViewModel model = parts.screenPicker();
        model.open(call::shareScreen);
        ScreenPicker view = new ScreenPicker(model, parts.text(), this::closeDialog);
        openDialog(view, () -> {
            view.dispose();
            model.close();
        });
    }

    private void openDialog(Node view, Runnable release) {
        dialog = view;
        releaseDialog = release;
        dialogs.show(view, this::closeDialog);
    }

    /** Closes the settings or the screen picker, letting go of what they hold. */
    private void closeDialog() {
        if (dialog != null) {
            dialogs.close(dialog);
            dialog = null;
            releaseDialog.run();
        }
    }

    /** Lets go of every screen and dialog (an open camera preview, a call's video). Idempotent. */
    void close() {
        closeDialog();
        if (callView != null) {
            callView.dispose();
        }
        if (linkCards != null) {
            linkCards.dispose();
        }
        subscriptions.unsubscribe();
        parts.incoming().setCallScreen(null);
    }

    /** The screen shown now, for tests and screenshots. */
    Node current() {
        return getChildren().isEmpty() ? null : getChildren().get(0);
    }

    CallView callView() {
        return callView;
    }
}
