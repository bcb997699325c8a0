package dev.parley.ui;

import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/** Shows the sign-in form: server address, user name, password; errors under the form, never in a modal box. */
final class SignInView extends StackPane {
    private final SignInViewModel model;

    /** @param codeCards "call without a server", which needs no sign-in */
    SignInView(SignInViewModel model, Messages text, java.util.function.Supplier<CodeCallCards> codeCards) {
        this.model = model;
        Label title = new Label(text.get("app.name"));
        title.getStyleClass().add("title-1");
        Label subtitle = new Label(text.get("signIn.subtitle"));
        subtitle.getStyleClass().add("text-muted");

        TextField server = new TextField();
        server.setId("server");
        server.textProperty().bindBidirectional(model.server());
        TextField user = new TextField();
        user.setId("user");
        user.textProperty().bindBidirectional(model.user());
        PasswordField password = new PasswordField();
        password.setId("password");
        password.textProperty().bindBidirectional(model.password());
        password.setPromptText(text.get("signIn.passwordHint"));

        GridPane form = new GridPane();
        form.setHgap(12);
        form.setVgap(10);
        form.addRow(0, labelFor(text.get("signIn.server"), server), server);
        form.addRow(1, labelFor(text.get("signIn.user"), user), user);
        form.addRow(2, labelFor(text.get("signIn.password"), password), password);
        server.setPrefColumnCount(26);

        Label error = new Label();
        error.setId("sign-in-error");
        error.getStyleClass().add("danger");
        error.setWrapText(true);
        error.textProperty().bind(model.error());
        error.visibleProperty().bind(model.error().isNotNull());
        error.managedProperty().bind(error.visibleProperty());

        Button signIn = new Button(text.get("signIn.button"));
        signIn.setId("sign-in");
        signIn.setDefaultButton(true);
        signIn.getStyleClass().add("accent");
        signIn.disableProperty().bind(model.busy());
        signIn.setOnAction(e -> model.signIn());
        Button cancel = new Button(text.get("common.cancel"));
        cancel.setId("sign-in-cancel");
        cancel.visibleProperty().bind(model.busy());
        cancel.managedProperty().bind(cancel.visibleProperty());
        cancel.setOnAction(e -> model.cancel());
        ProgressIndicator progress = new ProgressIndicator();
        progress.setPrefSize(22, 22);
        progress.visibleProperty().bind(model.busy());
        progress.managedProperty().bind(progress.visibleProperty());
        HBox buttons = new HBox(10, signIn, cancel, progress);
        buttons.setAlignment(Pos.CENTER_LEFT);

        VBox card = new VBox(14, title, subtitle, form, error, buttons);
        if (model.builtInOffered()) {
            Hyperlink builtIn = new Hyperlink(text.get("signIn.builtIn"));
            builtIn.setId("use-built-in");
            builtIn.disableProperty().bind(model.busy());
            builtIn.setOnAction(e -> model.signInBuiltIn());
            card.getChildren().add(builtIn);
        }
        Label noServer = new Label(text.get("signIn.noServer"));
        noServer.getStyleClass().add("text-muted");
        noServer.setWrapText(true);
        Hyperlink createInvite = new Hyperlink(text.get("code.create"));
        createInvite.setId("sign-in-create-invite");
        createInvite.setOnAction(e -> codeCards.get().createInvite(createInvite));
        Hyperlink join = new Hyperlink(text.get("code.join"));
        join.setId("sign-in-join-with-code");
        join.setOnAction(e -> codeCards.get().join());
        HBox codes = new HBox(4, noServer, createInvite, join);
        codes.setAlignment(Pos.CENTER_LEFT);
        card.getChildren().add(codes);
        card.getStyleClass().add("card-pane");
        card.setPadding(new Insets(28));
        card.setMaxSize(480, USE_PREF_SIZE);
        getChildren().add(card);
        setPadding(new Insets(24));
    }

    /** Puts the keyboard where typing starts: the user name, or the password once a name is filled in. */
    void focusFirstField() {
        lookup(model.user().get().isEmpty() ? "#user" : "#password").requestFocus();
    }

    private static Label labelFor(String caption, Node field) {
        Label label = new Label(caption);
        label.setLabelFor(field);
        label.setMnemonicParsing(false);
        field.setAccessibleText(caption);
        return label;
    }
}
