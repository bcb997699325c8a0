package dev.parley.ui;

import dev.parley.call.SecurityCode;
import dev.parley.call.Trust;
import dev.parley.media.CallStats;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;

/**
 * Shows how this call is connected: the path ICE chose and why it matters (direct, through the NAT's public
 * address, through a relay), the candidates each side gathered by type, the codecs, round-trip time, bitrate,
 * loss, resolution and frame rate. Refreshed with every stats report (once a second).
 */
final class ConnectionDetailsView extends ScrollPane {
    private final Messages text;
    private final VBox content = new VBox(10);
    /** What changes with each second's statistics; the title and the code above it stay put (and keep focus). */
    private final VBox live = new VBox(10);

    private final VBox codeBox = new VBox(4);
    private final Label code = new Label();
    private final Label standing = new Label();
    private final Button markVerified = new Button();
    private final CallViewModel model;
    private final CallTexts texts;

    ConnectionDetailsView(Messages text, CallViewModel model) {
        this.text = text;
        this.model = model;
        this.texts = new CallTexts(text);
        setFitToWidth(true);
        setPrefWidth(340);
        content.setPadding(new Insets(12));
        setContent(content);
        setAccessibleText(text.get("call.details"));
        code.setId("details-code");
        code.getStyleClass().add("title-3");
        Label caption = new Label(text.get("details.code"));
        caption.getStyleClass().add("text-bold");
        Label hint = new Label(text.get("call.codeHint"));
        hint.setWrapText(true);
        hint.getStyleClass().addAll("text-muted", "text-small");
        standing.setId("details-standing");
        standing.setWrapText(true);
        markVerified.setId("mark-verified");
        markVerified.setText(text.get("details.markVerified", model.peer()));
        markVerified.setWrapText(true);
        markVerified.setOnAction(e -> {
            markVerified.setDisable(true);
            model.markVerified().thenAccept(ok -> markVerified.setDisable(false)); // on the FX thread
        });
        codeBox.getChildren().addAll(caption, code, standing, markVerified, hint);
        Label title = new Label(text.get("call.details"));
        title.getStyleClass().add("title-4");
        content.getChildren().setAll(title, codeBox, live);
        showCode(SecurityCode.PENDING);
        show(null);
    }

    /** The security code at the top of the panel: the code, "waiting", or why the call cannot be verified. */
    void showCode(SecurityCode c) {
        Trust.Standing s = model.standing().get();
        boolean ready = c.status() == SecurityCode.Status.READY;
        String said = ready ? texts.standing(s, model.peer()) : null;
        standing.setText(said == null ? "" : said);
        standing.getStyleClass().removeAll("warning", "success");
        standing.getStyleClass().add(s == Trust.Standing.CHANGED ? "warning" : "success");
        standing.setVisible(!standing.getText().isEmpty());
        standing.setManaged(standing.isVisible());
        markVerified.setVisible(ready && s != Trust.Standing.VERIFIED);
        markVerified.setManaged(markVerified.isVisible());
        code.setText(
                switch (c.status()) {
                    case READY -> c.display();
                    case PENDING -> text.get("details.codeWaiting");
                    case FAILED -> text.get("call.codeFailed") + ": " + c.problem();
                });
        code.setWrapText(true);
    }

    void show(CallStats stats) {
        live.getChildren().clear();
        if (stats == null) {
            live.getChildren().add(new Label(text.get("details.waiting")));
            return;
        }
        CallStats.Route route = stats.route();
        Label path =
                new Label(route == null ? text.get("details.noPath") : text.get("details.path." + pathKind(route)));
        path.setId("details-path");
        path.setWrapText(true);
        path.getStyleClass().add("text-bold");
        live.getChildren().add(path);

        GridPane grid = grid();
        int row = 0;
        if (route != null) {
            row = add(
                    grid,
                    row,
                    "details.selectedPair",
                    route.localType() + " " + route.localAddress() + " ↔ " + route.remoteType() + " "
                            + route.remoteAddress() + " (" + route.protocol() + ")");
        }
        row = add(grid, row, "details.rtt", stats.rttMs() < 0 ? "—" : Math.round(stats.rttMs()) + " ms");
        long in = stats.streams().stream()
                .filter(s -> !s.outbound())
                .mapToLong(CallStats.Stream::bitrateBps)
                .sum();
        long out = stats.streams().stream()
                .filter(CallStats.Stream::outbound)
                .mapToLong(CallStats.Stream::bitrateBps)
                .sum();
        row = add(grid, row, "details.bitrate", text.get("details.inOut", in / 1000, out / 1000));
        for (CallStats.Stream s : stats.streams()) {
            String what = text.get("details.stream." + (s.outbound() ? "out" : "in") + "." + s.kind());
            StringBuilder v = new StringBuilder(s.codec().isEmpty() ? "—" : s.codec());
            if ("video".equals(s.kind()) && s.width() > 0) {
                v.append(", ")
                        .append(s.width())
                        .append('×')
                        .append(s.height())
                        .append(String.format(Locale.ROOT, " @ %.0f fps", s.fps()));
            }
            v.append(String.format(Locale.ROOT, ", %d kbit/s, ", s.bitrateBps() / 1000))
                    .append(text.get("details.loss", String.format(Locale.ROOT, "%.1f", s.lossPercent())));
            row = addRow(grid, row, what, v.toString());
        }
        live.getChildren().add(grid);

        for (boolean local : new boolean[] {true, false}) {
            Label heading = new Label(text.get(local ? "details.localCandidates" : "details.remoteCandidates"));
            heading.getStyleClass().add("text-bold");
            live.getChildren().add(heading);
            Map<String, StringBuilder> byType = new TreeMap<>();
            for (CallStats.Candidate c : stats.candidates()) {
                if (c.local() == local) {
                    StringBuilder list = byType.computeIfAbsent(c.type(), t -> new StringBuilder());
                    list.append(list.isEmpty() ? "" : "\n")
                            .append(c.address())
                            .append(' ')
                            .append(c.protocol());
                }
            }
            GridPane candidates = grid();
            int r = 0;
            for (String type : List.of("host", "srflx", "prflx", "relay")) {
                StringBuilder list = byType.get(type);
                r = add(candidates, r, "details.type." + type, list == null ? "—" : list.toString());
            }
            live.getChildren().add(candidates);
        }
        Label hint = new Label(text.get("details.hint"));
        hint.setWrapText(true);
        hint.getStyleClass().addAll("text-muted", "text-small");
        live.getChildren().add(hint);
    }

    /** direct, srflx or relay: what the selected pair says about the path. */
    static String pathKind(CallStats.Route route) {
        if ("relay".equals(route.localType()) || "relay".equals(route.remoteType())) {
            return "relay";
        }
        if ("host".equals(route.localType()) && "host".equals(route.remoteType())) {
            return "direct";
        }
        return "nat";
    }

    private static GridPane grid() {
        GridPane g = new GridPane();
        g.setHgap(10);
        g.setVgap(4);
        return g;
    }

    private int add(GridPane grid, int row, String key, String value) {
        return addRow(grid, row, text.get(key), value);
    }

    private static int addRow(GridPane grid, int row, String caption, String value) {
        Label k = new Label(caption);
        k.setMinWidth(Label.USE_PREF_SIZE);
        k.getStyleClass().add("text-muted");
        Label v = new Label(value);
        v.setWrapText(true);
        grid.addRow(row, k, v);
        return row + 1;
    }
}
