package dev.parley.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line as a user meets it, each run in a fresh JVM. */
@Timeout(60)
class CommandLineTest {
    @TempDir
    Path dir;

    private Process parley(String... args) throws IOException {
        return parley(null, args);
    }

    /** With {@code stderr} set, the process's stderr goes to that file (it outlives a destroyed process). */
    private Process parley(Path stderr, String... args) throws IOException {
        ProcessBuilder pb = ParleyProcess.builder(args);
        pb.environment().put("XDG_CONFIG_HOME", dir.resolve("config").toString());
        if (stderr != null) {
            pb.redirectError(stderr.toFile());
        }
        return pb.start();
    }

    private static String read(java.io.InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void helpListsTheCommands() throws Exception {
        Process p = parley("--help");
        String out = read(p.getInputStream());
        assertEquals(0, p.waitFor());
        assertTrue(out.contains("server") && out.contains("bench"), out);
    }

    @Test
    void theServerPrintsItsUrlFirstAnswersAndStopsOnSigterm() throws Exception {
        Path stderr = dir.resolve("server.err");
        Process p = parley(stderr, "server", "--open", "--port", "0");
        BufferedReader stdout = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String first = stdout.readLine();
        URI uri = URI.create(first);
        assertEquals("ws", uri.getScheme());
        assertEquals("127.0.0.1", uri.getHost());
        assertTrue(uri.getPort() > 0);

        CompletableFuture<String> reply = new CompletableFuture<>();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                reply.complete(data.toString());
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
        ws.sendText("{\"type\":\"hello\",\"v\":1,\"user\":\"cli\"}", true);
        assertTrue(reply.get(10, TimeUnit.SECONDS).startsWith("{\"type\":\"welcome\""));

        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "the server did not stop on SIGTERM");
        String log = Files.readString(stderr);
        assertTrue(log.contains("Signaling server stopping"), log);
    }

    @Test
    void addUserTakesThePasswordFromStdinAndTheServerThenUsesIt() throws Exception {
        Process add = parley("server", "add-user", "alice");
        add.getOutputStream().write("s3cret\n".getBytes(StandardCharsets.UTF_8));
        add.getOutputStream().close();
        String out = read(add.getInputStream());
        assertEquals(0, add.waitFor(), read(add.getErrorStream()));
        assertTrue(out.contains("Added alice"), out);
        String accounts = Files.readString(dir.resolve("config/parley/accounts"));
        assertTrue(accounts.contains("alice:pbkdf2-sha256:") && !accounts.contains("s3cret"), accounts);

        Process bad = parley("server", "add-user", "Not Valid");
        bad.getOutputStream().close();
        assertEquals(1, bad.waitFor());
        String err = read(bad.getErrorStream());
        assertTrue(err.startsWith("parley: 'Not Valid' is not a valid user name"), err);
        assertEquals(1, err.lines().count(), "one line, no stack trace: " + err);
    }

    @Test
    void aServerWithoutAccountsExplainsWhatToDo() throws Exception {
        Process p = parley("server", "--port", "0");
        assertEquals(1, p.waitFor());
        String err = read(p.getErrorStream());
        assertTrue(err.contains("no accounts in") && err.contains("add-user") && err.contains("--open"), err);
    }

    @Test
    void badOptionsAreAUsageError() throws Exception {
        Process p = parley("server", "--port", "seventy");
        assertEquals(2, p.waitFor());
        assertTrue(read(p.getErrorStream()).contains("Invalid value for option '--port'"));
        Process both = parley("server", "--open", "--accounts", "x");
        assertEquals(2, both.waitFor());
        assertTrue(read(both.getErrorStream()).contains("mutually exclusive"));
    }
}
