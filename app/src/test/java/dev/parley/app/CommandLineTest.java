package dev.parley.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.signaling.client.ClientConfig;
import dev.parley.signaling.client.ConnectionState;
import dev.parley.signaling.client.SignalingClient;
import dev.parley.signaling.client.SignalingClientFactory;
import dev.parley.signaling.client.SignalingException;
import dev.parley.signaling.protocol.DecodeResult;
import dev.parley.signaling.protocol.ErrorCode;
import dev.parley.signaling.protocol.ErrorMessage;
import dev.parley.signaling.protocol.IceServer;
import dev.parley.signaling.protocol.Message;
import dev.parley.signaling.protocol.MessageCodec;
import dev.parley.signaling.protocol.Welcome;
import dev.parley.testsupport.Await;
import dev.parley.testsupport.ChildProcess;
import dev.parley.testsupport.RawWebSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line as a user meets it, each run in a fresh JVM on loopback. Every child's output goes to files
 * and every wait has a deadline, so a hung child fails the test instead of hanging it.
 */
@Timeout(120)
class CommandLineTest {
    private static final Duration EXIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @RegisterExtension
    final ParleyChildren children = new ParleyChildren();

    private ChildProcess parley(String name, String... args) {
        return children.start(
                dir, name, Map.of("XDG_CONFIG_HOME", dir.resolve("config").toString()), args);
    }

    /** Starts {@code parley server ARGS} and returns it once it has printed its URL (its first line). */
    private ChildProcess server(String name, String... args) {
        List<String> all = new ArrayList<>(List.of("server"));
        all.addAll(List.of(args));
        ChildProcess p = parley(name, all.toArray(String[]::new));
        p.awaitLine(l -> l.startsWith("ws://"), EXIT, "the server's URL");
        return p;
    }

    private static URI url(ChildProcess server) {
        return URI.create(server.lines().get(0));
    }

    @Test
    void helpListsTheCommands() {
        ChildProcess p = parley("help", "--help");
        p.assertExit(0, EXIT);
        for (String command : List.of("server", "call", "answer", "bench", "package")) {
            assertTrue(p.stdout().contains(command), "no '" + command + "' in:\n" + p.stdout());
        }
    }

    @Test
    void theServerPrintsItsUrlFirstAnswersAndStopsOnSigterm() throws Exception {
        ChildProcess server = server("server", "--open", "--port", "0");
        URI uri = url(server);
        assertEquals("ws", uri.getScheme());
        assertEquals("127.0.0.1", uri.getHost());
        assertTrue(uri.getPort() > 0);

        try (RawWebSocket ws = RawWebSocket.connect(uri)) {
            ws.sendText("{\"type\":\"hello\",\"v\":1,\"user\":\"cli\"}");
            String welcome = ws.nextText(10, TimeUnit.SECONDS);
            assertTrue(welcome != null && welcome.startsWith("{\"type\":\"welcome\""), "no welcome: " + welcome);

            server.terminate(); // SIGTERM
            // Connected clients are told, then closed with 1001 "going away".
            String notice = ws.nextText(10, TimeUnit.SECONDS);
            assertTrue(
                    notice != null && notice.contains("\"type\":\"error\"") && notice.contains("\"going-away\""),
                    "no going-away notice: " + notice);
            assertEquals(1001, ws.closed().get(10, TimeUnit.SECONDS));
        }
        server.awaitExit(Duration.ofSeconds(10));
        assertTrue(server.stderr().contains("Signaling server stopping"), server.report());
    }

    @Test
    void aClientToldGoingAwayReconnectsWhenTheServerIsBack() throws Exception {
        ChildProcess first = server("server", "--open", "--port", "0");
        URI uri = url(first);
        List<Message> received = new CopyOnWriteArrayList<>();
        List<ConnectionState> states = new CopyOnWriteArrayList<>();
        try (SignalingClientFactory factory = SignalingClientFactory.standard();
                SignalingClient alice = factory.create(ClientConfig.of(uri, "alice", null)
                        .withBackoff(Duration.ofMillis(100), Duration.ofMillis(500)))) {
            alice.addListener(new SignalingClient.Listener() {
                @Override
                public void onMessage(Message message) {
                    received.add(message);
                }

                @Override
                public void onStateChanged(ConnectionState state, String detail) {
                    states.add(state);
                }
            });
            alice.connect().get(10, TimeUnit.SECONDS);

            first.terminate();
            Await.until(
                    () -> received.stream()
                            .anyMatch(m -> m instanceof ErrorMessage e && e.code() == ErrorCode.GOING_AWAY),
                    Duration.ofSeconds(10),
                    () -> "alice was not told the server is going away: " + received);
            Await.until(
                    () -> alice.state() == ConnectionState.RECONNECTING,
                    Duration.ofSeconds(10),
                    () -> "alice does not try to reconnect: " + states);
            first.awaitExit(Duration.ofSeconds(10));

            states.clear();
            server("again", "--open", "--port", String.valueOf(uri.getPort()));
            Await.until(
                    () -> alice.state() == ConnectionState.CONNECTED,
                    Duration.ofSeconds(15),
                    () -> "alice did not reconnect to the server that came back: " + states);
        }
    }

    @Test
    void addUserTakesThePasswordFromStdinAndTheServerThenUsesIt() throws Exception {
        ChildProcess add = parley("add-user", "server", "add-user", "alice");
        add.input("s3cret\n");
        add.assertExit(0, EXIT);
        assertTrue(add.stdout().contains("Added alice"), add.report());
        String accounts = Files.readString(dir.resolve("config/parley/accounts"));
        assertTrue(accounts.contains("alice:pbkdf2-sha256:") && !accounts.contains("s3cret"), accounts);

        ChildProcess server = server("server", "--port", "0"); // the accounts file it just wrote
        try (SignalingClientFactory factory = SignalingClientFactory.standard();
                SignalingClient right = factory.create(ClientConfig.of(url(server), "alice", "s3cret"));
                SignalingClient wrong = factory.create(ClientConfig.of(url(server), "alice", "guess"))) {
            assertEquals("alice", right.connect().get(10, TimeUnit.SECONDS).user());
            ExecutionException refused =
                    assertThrows(ExecutionException.class, () -> wrong.connect().get(10, TimeUnit.SECONDS));
            assertEquals(
                    ErrorCode.AUTH_FAILED,
                    assertInstanceOf(SignalingException.class, refused.getCause())
                            .code());
        }

        ChildProcess bad = parley("bad-name", "server", "add-user", "Not Valid");
        bad.input("");
        bad.assertExit(1, EXIT);
        assertEquals(1, bad.errorLines().size(), "one line, no stack trace:\n" + bad.stderr());
        assertTrue(bad.errorLines().get(0).startsWith("parley: 'Not Valid' is not a valid user name: "), bad.report());
    }

    /** The TURN secret never shows in the server's command line, which every user of the machine can read. */
    @Test
    void theTurnSecretComesFromAFileAndStaysOffTheCommandLine() throws Exception {
        String secret = "file-secret-" + Long.toHexString(System.nanoTime());
        Path file = dir.resolve("turn-secret");
        Files.writeString(file, secret + "\n");
        ChildProcess server = server(
                "turn-file",
                "--open",
                "--port",
                "0",
                "--turn-uri",
                "turn:198.51.100.1:3478",
                "--turn-secret-file",
                file.toString());
        assertNotOnCommandLine(server, secret);
        assertWelcomeCarriesTurnCredentials(url(server), secret);
    }

    @Test
    void theTurnSecretMayComeFromTheEnvironment() throws Exception {
        String secret = "env-secret-" + Long.toHexString(System.nanoTime());
        ChildProcess server = children.start(
                dir,
                "turn-env",
                Map.of("XDG_CONFIG_HOME", dir.resolve("config").toString(), "PARLEY_TURN_SECRET", secret),
                "server",
                "--open",
                "--port",
                "0",
                "--turn-uri",
                "turn:198.51.100.1:3478");
        server.awaitLine(l -> l.startsWith("ws://"), EXIT, "the server's URL");
        assertNotOnCommandLine(server, secret);
        assertWelcomeCarriesTurnCredentials(url(server), secret);
    }

    @Test
    void aTurnSecretOnTheCommandLineStillWorksButWarns() throws Exception {
        ChildProcess server = server(
                "turn-arg",
                "--open",
                "--port",
                "0",
                "--turn-uri",
                "turn:198.51.100.1:3478",
                "--turn-secret",
                "visible-secret");
        assertWelcomeCarriesTurnCredentials(url(server), "visible-secret");
        Await.until(
                () -> server.stderr().contains("--turn-secret shows the secret to every user"),
                EXIT,
                () -> "no warning:\n" + server.report());
    }

    private static void assertNotOnCommandLine(ChildProcess server, String secret) throws Exception {
        String cmdline = new String(
                        Files.readAllBytes(
                                Path.of("/proc", String.valueOf(server.process().pid()), "cmdline")),
                        StandardCharsets.UTF_8)
                .replace('\0', ' ');
        assertTrue(cmdline.contains("--turn-uri"), "not the server's command line: " + cmdline);
        assertFalse(cmdline.contains(secret), "the TURN secret is visible in ps: " + cmdline);
    }

    /** A client on this machine signs in and checks its TURN credential against the secret (coturn's REST scheme). */
    private static void assertWelcomeCarriesTurnCredentials(URI uri, String secret) throws Exception {
        try (RawWebSocket ws = RawWebSocket.connect(uri)) {
            ws.sendText("{\"type\":\"hello\",\"v\":1,\"user\":\"cli\",\"device\":\"cli-device\"}");
            String text = ws.nextText(10, TimeUnit.SECONDS);
            Welcome welcome =
                    (Welcome) assertInstanceOf(DecodeResult.Decoded.class, new MessageCodec().decode(text), text)
                            .message();
            IceServer turn = welcome.iceServers().stream()
                    .filter(s -> s.username() != null)
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no TURN credentials: " + text));
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            assertEquals(
                    Base64.getEncoder()
                            .encodeToString(mac.doFinal(turn.username().getBytes(StandardCharsets.UTF_8))),
                    turn.credential());
        }
    }

    @Test
    void aServerWithoutAccountsExplainsWhatToDo() {
        ChildProcess p = parley("server", "server", "--port", "0");
        p.assertExit(1, EXIT);
        String err = p.stderr();
        assertTrue(err.contains("no accounts in") && err.contains("add-user") && err.contains("--open"), err);
    }

    @Test
    void badOptionsAreAUsageError() {
        ChildProcess p = parley("port", "server", "--port", "seventy");
        p.assertExit(2, EXIT);
        assertTrue(p.stderr().contains("Invalid value for option '--port'"), p.report());
        ChildProcess both = parley("both", "server", "--open", "--accounts", "x");
        both.assertExit(2, EXIT);
        assertTrue(both.stderr().contains("mutually exclusive"), both.report());
    }

    @Test
    void aClusterNodeTakesRedisWithoutAPasswordInItsUrlAndServesAloneUntilRedisAnswers() throws Exception {
        ChildProcess password =
                parley("password", "server", "--open", "--port", "0", "--cluster", "redis://:hunter2@127.0.0.1:9");
        password.assertExit(1, EXIT);
        assertTrue(password.stderr().contains("PARLEY_CLUSTER_PASSWORD"), password.report());
        assertFalse(password.stderr().contains("hunter2"), "the password is not repeated in the log");

        // Nothing answers on port 9 (discard, not served here): the node starts, serves, and says why it is alone.
        ChildProcess alone = server("alone", "--open", "--port", "0", "--cluster", "redis://127.0.0.1:9");
        alone.awaitErrorLine(l -> l.contains("cannot be reached"), EXIT, "the node saying Redis is away");
        URI health = URI.create("http://127.0.0.1:" + url(alone).getPort() + "/health");
        String body = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString())
                .body();
        assertTrue(body.contains("\"status\":\"ok\"") && body.contains("\"cluster\":\"detached\""), body);
    }
}
