package dev.parley.signaling.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.testsupport.RawWebSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code GET /health} on the server's own port, for load balancers: the state and the open connections only. */
@Timeout(30)
class HealthTest {
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> send(URI server, String method, String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.getPort() + path);
        return http.send(
                HttpRequest.newBuilder(uri)
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthSaysOkWithTheOpenConnectionsAndNothingAboutUsers() throws Exception {
        try (ServerFixture f = ServerFixture.open();
                RawWebSocket ws = RawWebSocket.connect(f.uri(), Map.of())) {
            assertEquals(101, ws.handshakeStatus());
            f.client("alice");
            HttpResponse<String> ok = send(f.uri(), "GET", "/health");
            assertEquals(200, ok.statusCode());
            assertEquals(
                    "application/json", ok.headers().firstValue("content-type").orElse(""));
            assertEquals("no-store", ok.headers().firstValue("cache-control").orElse(""));
            assertTrue(
                    ok.body().matches("\\{\"status\":\"ok\",\"connections\":2,\"uptimeSeconds\":\\d+}\\n"), ok.body());
            assertTrue(!ok.body().contains("alice"), "no user names");
        }
    }

    @Test
    void onlyGetAndHeadAndOnlyThatPath() throws Exception {
        try (ServerFixture f = ServerFixture.open()) {
            HttpResponse<String> head = send(f.uri(), "HEAD", "/health");
            assertEquals(200, head.statusCode());
            assertEquals("", head.body());
            HttpResponse<String> post = send(f.uri(), "POST", "/health");
            assertEquals(405, post.statusCode());
            assertEquals("GET, HEAD", post.headers().firstValue("allow").orElse(""));
            assertEquals(404, send(f.uri(), "GET", "/health/../etc/passwd").statusCode());
            assertEquals(404, send(f.uri(), "GET", "/").statusCode());
            assertEquals(404, send(f.uri(), "GET", f.uri().getPath()).statusCode(), "no upgrade: not a WebSocket");
        }
    }

    @Test
    void aServerShuttingDownSaysSoWith503() throws Exception {
        // The handler alone on a Jetty of its own: the moment between close() and the port closing is too short to
        // catch on a real server.
        AtomicBoolean stopping = new AtomicBoolean();
        Server jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        jetty.setHandler(new HealthHandler(stopping::get, () -> 3));
        jetty.start();
        try {
            URI base = URI.create("ws://127.0.0.1:" + connector.getLocalPort() + "/signal");
            HttpResponse<String> ok = send(base, "GET", "/health");
            assertEquals(200, ok.statusCode());
            assertTrue(ok.body().startsWith("{\"status\":\"ok\",\"connections\":3,"), ok.body());
            stopping.set(true);
            HttpResponse<String> down = send(base, "GET", "/health");
            assertEquals(503, down.statusCode());
            assertTrue(down.body().startsWith("{\"status\":\"stopping\","), down.body());
        } finally {
            jetty.stop();
        }
    }
}
