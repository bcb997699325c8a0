package dev.parley.ui;

import dev.parley.call.CallHistory;
import dev.parley.call.ClientService;
import dev.parley.call.Contact;
import dev.parley.signaling.protocol.PresenceStatus;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Locale;
import java.util.function.Consumer;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Circle;
import javafx.util.StringConverter;

/** Shows the home screen once signed in: contacts with presence and search, recent calls, and the account bar. */
final class HomeView extends BorderPane {
    private final HomeViewModel model;
    private final Messages text;
    private final DialogHost dialogs;
    private final ListView<HomeViewModel.ContactItem> contacts = new ListView<>();
    private final CodeCallCards codeCards;

    HomeView(
            HomeViewModel model,
            Messages text,
            DialogHost dialogs,
            Consumer<String> call,
            CodeCallCards codeCards,
            Runnable openSettings,
            Runnable signOut) {
        this.model = model;
        this.codeCards = codeCards;
        this.text = text;
        this.dialogs = dialogs;

        // The account bar.
        Label me = new Label();
        me.setId("me");
        me.getStyleClass().add("title-4");
        ComboBox<PresenceStatus> status = new ComboBox<>();
        status.setId("own-status");
        status.getItems().setAll(PresenceStatus.ONLINE, PresenceStatus.AWAY);
        status.valueProperty().bindBidirectional(model.ownStatus());
        status.setConverter(new StringConverter<>() {
            @Override
            public String toString(PresenceStatus s) {
                return s == null ? "" : text.get("presence." + s.name().toLowerCase(Locale.ROOT));
            }

            @Override
            public PresenceStatus fromString(String s) {
                return null;
            }
        });
        status.setAccessibleText(text.get("home.status"));
        Button settings = iconButton(Icons.SETTINGS, text.get("home.settings"), "open-settings");
        settings.setOnAction(e -> openSettings.run());
        Button out = iconButton(Icons.SIGN_OUT, text.get("home.signOut"), "sign-out");
        out.setOnAction(e -> signOut.run());
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox bar = new HBox(10, me, status, spacer, settings, out);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(10, 14, 10, 14));
        bar.getStyleClass().add("account-bar");

        Label banner = new Label();
        banner.setId("banner");
        banner.setMaxWidth(Double.MAX_VALUE);
        banner.setPadding(new Insets(6, 14, 6, 14));
        banner.getStyleClass().add("banner");
        banner.textProperty().bind(model.banner());
        banner.visibleProperty().bind(model.banner().isNotNull());
        banner.managedProperty().bind(banner.visibleProperty());
        Label error = new Label();
        error.setId("home-error");
        error.getStyleClass().add("danger");
        error.setPadding(new Insets(4, 14, 4, 14));
        error.textProperty().bind(model.error());
        error.visibleProperty().bind(model.error().isNotNull());
        error.managedProperty().bind(error.visibleProperty());
        setTop(new VBox(bar, banner, error));

        // Contacts.
        TextField search = new TextField();
        search.setId("search");
        search.setPromptText(text.get("home.search"));
        search.setAccessibleText(text.get("home.search"));
        search.textProperty().bindBidirectional(model.search());
        contacts.setId("contacts");
        contacts.setItems(model.contacts());
        contacts.setAccessibleText(text.get("home.contacts"));
        contacts.setPlaceholder(new Label(text.get("home.noContacts")));
        contacts.setCellFactory(list -> new ContactCell());
        contacts.setOnMouseClicked(e -> {
            if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2 && selected() != null) {
                call.accept(selected().user());
            }
        });
        contacts.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER && selected() != null) {
                call.accept(selected().user());
            } else if (e.getCode() == KeyCode.DELETE && selected() != null) {
                confirmRemove(selected());
            }
        });
        Button add = iconButton(Icons.ADD, text.get("home.addContact"), "add-contact");
        add.setOnAction(e -> editContact(null));
        Button edit = iconButton(Icons.EDIT, text.get("home.editContact"), "edit-contact");
        edit.setOnAction(e -> editContact(selected()));
        Button remove = iconButton(Icons.REMOVE, text.get("home.removeContact"), "remove-contact");
        remove.setOnAction(e -> confirmRemove(selected()));
        Button dial = iconButton(Icons.CALL, text.get("home.call"), "call-contact");
        dial.getStyleClass().add("success");
        dial.setOnAction(e -> {
            if (selected() != null) {
                call.accept(selected().user());
            }
        });
        var none = contacts.getSelectionModel().selectedItemProperty().isNull();
        edit.disableProperty().bind(none);
        remove.disableProperty().bind(none);
        dial.disableProperty().bind(none);
        HBox actions = new HBox(6, add, edit, remove, new Region(), dial);
        HBox.setHgrow(actions.getChildren().get(3), Priority.ALWAYS);
        VBox contactPane = new VBox(8, search, contacts, actions);
        VBox.setVgrow(contacts, Priority.ALWAYS);
        contactPane.setPadding(new Insets(10));

        // Recent calls.
        ListView<CallHistory.Entry> recent = new ListView<>(model.recent());
        recent.setId("recent");
        recent.setAccessibleText(text.get("home.recent"));
        recent.setPlaceholder(new Label(text.get("home.noRecent")));
        recent.setCellFactory(list -> new HistoryCell());
        recent.setOnMouseClicked(e -> {
            CallHistory.Entry entry = recent.getSelectionModel().getSelectedItem();
            if (e.getClickCount() == 2 && entry != null) {
                call.accept(entry.peer());
            }
        });
        recent.setOnKeyPressed(e -> {
            CallHistory.Entry entry = recent.getSelectionModel().getSelectedItem();
            if (e.getCode() == KeyCode.ENTER && entry != null) {
                call.accept(entry.peer());
            }
        });
        VBox recentPane = new VBox(recent);
        VBox.setVgrow(recent, Priority.ALWAYS);
        recentPane.setPadding(new Insets(10));

        TabPane tabs = new TabPane(
                new Tab(text.get("home.contacts"), contactPane), new Tab(text.get("home.recent"), recentPane));
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        tabs.setId("home-tabs");
        tabs.setAccessibleText(text.get("home.tabs"));
        tabs.setPrefWidth(380);
        setLeft(tabs);

        Label hint = new Label(text.get("home.hint"));
        hint.getStyleClass().addAll("text-muted", "title-4");
        hint.setWrapText(true);
        Label guests = new Label(text.get("home.guestTitle"));
        guests.getStyleClass().add("text-muted");
        guests.setWrapText(true);
        Button byLink = new Button(text.get("home.inviteLink"), Icons.icon(Icons.LINK));
        byLink.setId("invite-link");
        byLink.setOnAction(e -> {
            byLink.setDisable(true);
            model.inviteByLink()
                    .thenAccept(
                            link -> { // on the FX thread
                                byLink.setDisable(false);
                                if (link != null) {
                                    showLink(link);
                                }
                            });
        });
        Label noServer = new Label(text.get("home.codeTitle"));
        noServer.getStyleClass().add("text-muted");
        noServer.setWrapText(true);
        Button createInvite = new Button(text.get("code.create"));
        createInvite.setId("create-invite");
        createInvite.setOnAction(e -> codeCards.createInvite(createInvite));
        Button joinCode = new Button(text.get("code.join"));
        joinCode.setId("join-with-code");
        joinCode.setOnAction(e -> codeCards.join());
        HBox codeButtons = new HBox(10, createInvite, joinCode);
        codeButtons.setAlignment(Pos.CENTER);
        VBox center = new VBox(12, hint, new Region(), guests, byLink, new Region(), noServer, codeButtons);
        center.setAlignment(Pos.CENTER);
        center.setPadding(new Insets(24));
        setCenter(center);

        sceneProperty().addListener((o, a, b) -> me.setText(model.user() == null ? "" : model.user()));
    }

    /** Refreshes what depends on the signed-in account. */
    void signedIn() {
        ((Label) lookup("#me")).setText(model.user() == null ? "" : model.user());
        contacts.requestFocus();
        if (!contacts.getItems().isEmpty() && contacts.getSelectionModel().isEmpty()) {
            contacts.getSelectionModel().select(0);
        }
    }

    private Contact selected() {
        HomeViewModel.ContactItem item = contacts.getSelectionModel().getSelectedItem();
        return item == null ? null : item.contact();
    }

    private void editContact(Contact existing) {
        TextField user = new TextField(existing == null ? "" : existing.user());
        user.setId("contact-user");
        user.setDisable(existing != null); // the user name is the key; a new name is a new contact
        user.setAccessibleText(text.get("contact.user"));
        user.getStyleClass().add("focus-first");
        TextField name = new TextField(existing == null ? "" : existing.displayName());
        name.setId("contact-name");
        name.setAccessibleText(text.get("contact.name"));
        Label error = new Label();
        error.getStyleClass().add("danger");
        error.setId("contact-error");
        error.textProperty().bind(model.error());
        Button save = new Button(text.get("common.save"));
        save.setId("contact-save");
        save.setDefaultButton(true);
        save.getStyleClass().add("accent");
        Button cancel = new Button(text.get("common.cancel"));
        cancel.setCancelButton(true);
        Label title = new Label(text.get(existing == null ? "contact.addTitle" : "contact.editTitle"));
        title.getStyleClass().add("title-3");
        GridPane form = new GridPane();
        form.setHgap(10);
        form.setVgap(10);
        form.addRow(0, new Label(text.get("contact.user")), user);
        form.addRow(1, new Label(text.get("contact.name")), name);
        HBox buttons = new HBox(10, save, cancel);
        buttons.setAlignment(Pos.CENTER_RIGHT);
        VBox card = new VBox(12, title, form, error, buttons);
        card.setPadding(new Insets(20));
        card.setPrefWidth(420);
        card.setId("contact-form");
        save.setOnAction(e -> {
            save.setDisable(true);
            model.saveContact(user.getText(), name.getText())
                    .thenAccept(
                            saved -> { // on the FX thread
                                save.setDisable(false);
                                if (saved) {
                                    dialogs.close(card);
                                    contacts.getItems().stream()
                                            .filter(i -> i.contact()
                                                    .user()
                                                    .equals(user.getText().strip()))
                                            .findFirst()
                                            .ifPresent(i ->
                                                    contacts.getSelectionModel().select(i));
                                    contacts.requestFocus();
                                }
                            });
        });
        cancel.setOnAction(e -> dialogs.close(card));
        dialogs.show(card, null);
        (existing == null ? user : name).requestFocus();
    }

    /** A new guest link: on the clipboard already, shown with when it stops working, and a way to revoke it. */
    private void showLink(ClientService.GuestLink link) {
        ClipboardContent content = new ClipboardContent();
        content.putString(link.page().toString());
        Clipboard.getSystemClipboard().setContent(content);
        Label title = new Label(text.get("link.title"));
        title.getStyleClass().add("title-3");
        String until = DateTimeFormatter.ofLocalizedDateTime(FormatStyle.SHORT)
                .withLocale(text.locale())
                .withZone(ZoneId.systemDefault())
                .format(link.expires());
        Label explain = new Label(text.get("link.explain", until));
        explain.setWrapText(true);
        TextField address = new TextField(link.page().toString());
        address.setId("guest-link");
        address.setEditable(false);
        address.setAccessibleText(text.get("link.title"));
        Button copy = new Button(text.get("link.copy"));
        copy.setId("copy-link");
        copy.setOnAction(e -> Clipboard.getSystemClipboard().setContent(content));
        Button revoke = new Button(text.get("link.revoke"));
        revoke.setId("revoke-link");
        revoke.getStyleClass().add("danger");
        Button close = new Button(text.get("link.close"));
        close.setId("close-link");
        close.setCancelButton(true);
        close.getStyleClass().add("focus-first");
        HBox buttons = new HBox(10, copy, revoke, close);
        buttons.setAlignment(Pos.CENTER_RIGHT);
        VBox card = new VBox(12, title, explain, address, buttons);
        card.setPadding(new Insets(20));
        card.setPrefWidth(520);
        card.setId("link-card");
        revoke.setOnAction(e -> {
            revoke.setDisable(true);
            model.revokeLink(link).thenAccept(revoked -> {
                if (revoked) {
                    dialogs.close(card);
                } else {
                    revoke.setDisable(false);
                }
            });
        });
        close.setOnAction(e -> dialogs.close(card));
        dialogs.show(card, null);
    }

    private void confirmRemove(Contact contact) {
        if (contact == null) {
            return;
        }
        Label question = new Label(text.get("contact.removeQuestion", contact.displayName()));
        question.setWrapText(true);
        Button yes = new Button(text.get("home.removeContact"));
        yes.setId("confirm-remove");
        yes.getStyleClass().add("danger");
        Button no = new Button(text.get("common.cancel"));
        no.setCancelButton(true);
        no.getStyleClass().add("focus-first");
        HBox buttons = new HBox(10, yes, no);
        buttons.setAlignment(Pos.CENTER_RIGHT);
        VBox card = new VBox(14, question, buttons);
        card.setPadding(new Insets(20));
        card.setPrefWidth(380);
        yes.setOnAction(e -> {
            dialogs.close(card);
            model.removeContact(contact);
        });
        no.setOnAction(e -> dialogs.close(card));
        dialogs.show(card, null);
    }

    private static Button iconButton(String icon, String caption, String id) {
        Button b = new Button(null, Icons.icon(icon));
        b.setId(id);
        b.setAccessibleText(caption);
        b.setTooltip(new Tooltip(caption));
        return b;
    }

    private final class ContactCell extends ListCell<HomeViewModel.ContactItem> {
        @Override
        protected void updateItem(HomeViewModel.ContactItem item, boolean empty) {
            super.updateItem(item, empty);
            if (empty || item == null) {
                setGraphic(null);
                setText(null);
                setAccessibleText(null);
                return;
            }
            Circle dot = new Circle(5);
            dot.getStyleClass().addAll("presence-dot", item.presence().name().toLowerCase(Locale.ROOT));
            // A contact shows its presence; one not agreed yet says where the request stands instead.
            String standing = switch (item.state()) {
                case CONTACT -> text.get("presence." + item.presence().name().toLowerCase(Locale.ROOT));
                case REQUESTED -> text.get("home.contact.requested");
                case ASKING -> text.get("home.contact.asking");
                case NONE -> text.get("home.contact.notAskedYet");
            };
            Label name = new Label(item.contact().displayName());
            name.getStyleClass().add("text-bold");
            Label detail = new Label(item.contact().user() + " · " + standing);
            detail.getStyleClass().addAll("text-muted", "text-small");
            VBox lines = new VBox(2, name, detail);
            HBox row = new HBox(10, dot, lines);
            row.setAlignment(Pos.CENTER_LEFT);
            if (item.state() == ClientService.ContactState.ASKING) {
                Button accept = new Button(text.get("home.contact.accept"));
                accept.setId("accept-contact-" + item.contact().user());
                accept.setAccessibleText(
                        text.get("home.contact.accept") + " " + item.contact().user());
                accept.setOnAction(e -> model.answerContact(item, true));
                Button refuse = new Button(text.get("home.contact.refuse"));
                refuse.setId("refuse-contact-" + item.contact().user());
                refuse.setAccessibleText(
                        text.get("home.contact.refuse") + " " + item.contact().user());
                refuse.setOnAction(e -> model.answerContact(item, false));
                accept.getStyleClass().add("small");
                refuse.getStyleClass().add("small");
                HBox answer = new HBox(6, accept, refuse);
                answer.setPadding(new Insets(4, 0, 0, 0));
                lines.getChildren().add(answer);
            }
            setGraphic(row);
            setText(null);
            setAccessibleText(item.contact().displayName() + ", " + standing);
        }
    }

    private final class HistoryCell extends ListCell<CallHistory.Entry> {
        private final DateTimeFormatter when = DateTimeFormatter.ofLocalizedDateTime(FormatStyle.SHORT)
                .withLocale(text.locale())
                .withZone(ZoneId.systemDefault());

        @Override
        protected void updateItem(CallHistory.Entry e, boolean empty) {
            super.updateItem(e, empty);
            if (empty || e == null) {
                setGraphic(null);
                setText(null);
                return;
            }
            String icon = e.missed() ? Icons.MISSED : e.outgoing() ? Icons.OUTGOING : Icons.INCOMING;
            String direction =
                    text.get(e.missed() ? "history.missed" : e.outgoing() ? "history.outgoing" : "history.incoming");
            String outcome =
                    e.durationSeconds() > 0 ? CallTexts.clock(e.durationSeconds()) : text.get("end." + e.outcome());
            Label name = new Label(e.peer());
            name.getStyleClass().add("text-bold");
            Label detail = new Label(
                    direction + " · " + when.format(Instant.ofEpochMilli(e.startedAtMillis())) + " · " + outcome);
            detail.getStyleClass().addAll("text-muted", "text-small");
            HBox row = new HBox(10, Icons.icon(icon), new VBox(2, name, detail));
            row.setAlignment(Pos.CENTER_LEFT);
            setGraphic(row);
            setAccessibleText(e.peer() + ", " + direction + ", " + outcome);
        }
    }
}
