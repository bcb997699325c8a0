package dev.parley.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.parley.signaling.server.ServerConfig;
import dev.parley.signaling.server.SignalingServer;
import dev.parley.testsupport.ChildProcess;
import dev.parley.testsupport.SystemTest;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A guest with only a web browser calls a Parley user by link: Debian's real Chromium (headless, driven through
 * its chromium-driver), the real server serving the page, {@code parley answer --echo} as the user, all in the test
 * JVM's network namespace. Chromium's camera is a file of one known colour, so the guest's own frames coming back
 * are told by their pixels; its microphone is Chromium's fake beep, counted in packets.
 */
@SystemTest
@Timeout(240)
class GuestBrowserTest {
    /** The guest's camera: a colour no test pattern has (RGB about 200, 40, 160). */
    private static final int[] RGB = {200, 40, 160};

    private static final String PIXELS = """
            const v = document.getElementById('remote');
            if (!v || !v.videoWidth) return null;
            const c = document.createElement('canvas');
            c.width = 64; c.height = 48;
            const g = c.getContext('2d');
            g.drawImage(v, 0, 0, 64, 48);
            const d = g.getImageData(16, 12, 32, 24).data;
            let r = 0, gr = 0, b = 0, n = 0;
            for (let i = 0; i < d.length; i += 4) { r += d[i]; gr += d[i + 1]; b += d[i + 2]; n++; }
            return [r / n, gr / n, b / n, v.videoWidth, v.videoHeight, v.getVideoPlaybackQuality().totalVideoFrames];
            """;

    @TempDir
    Path dir;

    @RegisterExtension
    final ParleyChildren children = new ParleyChildren();

    private ChromeDriver browser;

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    /** A Y4M file (what Chromium's fake camera plays in a loop): 320x240, 4:2:0, every frame one colour. */
    private static Path colourVideo(Path file) throws IOException {
        double r = RGB[0], g = RGB[1], b = RGB[2];
        int y = (int) Math.round(0.299 * r + 0.587 * g + 0.114 * b);
        int u = (int) Math.round(128 - 0.168736 * r - 0.331264 * g + 0.5 * b);
        int v = (int) Math.round(128 + 0.5 * r - 0.418688 * g - 0.081312 * b);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write("YUV4MPEG2 W320 H240 F15:1 Ip A1:1 C420jpeg\n".getBytes());
            byte[] ys = new byte[320 * 240];
            byte[] us = new byte[160 * 120];
            byte[] vs = new byte[160 * 120];
            Arrays.fill(ys, (byte) y);
            Arrays.fill(us, (byte) u);
            Arrays.fill(vs, (byte) v);
            for (int frame = 0; frame < 15; frame++) {
                out.write("FRAME\n".getBytes());
                out.write(ys);
                out.write(us);
                out.write(vs);
            }
        }
        return file;
    }

    private ChromeDriver chromium() throws IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments(
                "--headless=new",
                "--no-sandbox", // root in CI; the page is our own
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--lang=en-US",
                "--window-size=1000,760",
                "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")),
                "--use-fake-ui-for-media-stream", // "allow" for the camera prompt
                "--use-fake-device-for-media-stream",
                "--use-file-for-fake-video-capture=" + colourVideo(dir.resolve("colour.y4m")),
                "--autoplay-policy=no-user-gesture-required");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile())
                .withLogFile(dir.resolve("chromedriver.log").toFile())
                .build();
        return new ChromeDriver(service, options);
    }

    private String state() {
        return browser.findElement(By.tagName("body")).getAttribute("data-state");
    }

    private void awaitState(String state, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!state.equals(state())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the page is '" + state() + "' (" + status() + "), not '" + state + "'");
            }
            Thread.sleep(100);
        }
    }

    private String status() {
        return browser.findElement(By.id("status")).getText();
    }

    /** Makes the page offer VP8 alone (as a browser without H.264 would): Chromium's own codec preferences. */
    private static final String ONLY_VP8 = """
            const offer = RTCPeerConnection.prototype.createOffer;
            RTCPeerConnection.prototype.createOffer = function (...args) {
              const vp8 = RTCRtpReceiver.getCapabilities('video').codecs.filter((c) => /VP8|rtx/i.test(c.mimeType));
              for (const t of this.getTransceivers()) {
                if (t.receiver.track.kind === 'video') t.setCodecPreferences(vp8);
              }
              return offer.apply(this, args);
            };
            """;

    private void join(String link, String name, String... scripts) {
        browser.get(link);
        for (String script : scripts) {
            ((JavascriptExecutor) browser).executeScript(script);
        }
        browser.findElement(By.id("name")).sendKeys(name);
        browser.findElement(By.id("join-button")).click();
    }

    /** {@code parley link …} as a process: its first line is the link. */
    private String parleyLink(String url, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("link", "--server", url, "--user", "bob"));
        args.addAll(List.of(extra));
        ChildProcess link = children.start(dir, "link", Map.of(), args.toArray(String[]::new));
        link.assertExit(0, Duration.ofSeconds(30));
        return link.lines().get(0);
    }

    @Test
    void aGuestJoinsByLinkSeesItsOwnFramesComeBackAndEitherSideHangsUp() throws Exception {
        try (SignalingServer server = SignalingServer.start(
                ServerConfig.builder().bind("127.0.0.1").port(0).build())) {
            String url = server.uri().toString();
            ChildProcess bob = children.answering(dir, url, "bob", "--echo");
            String link = parleyLink(url);
            assertTrue(link.matches("http://127\\.0\\.0\\.1:\\d+/join/[A-Za-z0-9_-]{22}"), link);

            browser = chromium();
            join(link, "Ann");
            awaitState("connected", Duration.ofSeconds(45));
            JsonObject incoming = bob.awaitEvent(e -> e.has("guest"), Duration.ofSeconds(5), "a guest's call");
            assertEquals("Ann", incoming.get("guest").getAsString());
            assertTrue(incoming.get("peer").getAsString().startsWith("guest-"), incoming.toString());

            // The guest's own colour comes back through Parley's echo, frame after frame.
            List<?> first = awaitColour(Duration.ofSeconds(30));
            long framesBefore = ((Number) first.get(5)).longValue();
            Thread.sleep(2000);
            List<?> later = awaitColour(Duration.ofSeconds(10));
            long framesAfter = ((Number) later.get(5)).longValue();
            assertTrue(framesAfter > framesBefore + 10, "frames keep coming: " + framesBefore + " → " + framesAfter);
            Map<String, Object> stats = callStats();
            assertTrue(((Number) stats.get("audioPacketsIn")).longValue() > 50, "the guest hears: " + stats);
            // Parley prefers H.264 and Chromium offers it: H.264 both ways.
            assertEquals("video/H264", stats.get("videoCodecIn"), stats.toString());
            assertEquals("video/H264", stats.get("videoCodecOut"), stats.toString());
            Path screenshots = Files.createDirectories(Path.of("target", "screenshots")); // the README's picture
            Files.write(screenshots.resolve("guest-page.png"), browser.getScreenshotAs(OutputType.BYTES));

            // Hang up from the page: Parley's side ends too.
            browser.findElement(By.id("hangup")).click();
            awaitState("ended", Duration.ofSeconds(5));
            JsonObject ended = bob.awaitEvent(
                    e -> "ended".equals(e.get("event").getAsString()), Duration.ofSeconds(10), "bob's call ended");
            assertEquals("remote-hung-up", ended.get("reason").getAsString());

            // Again, from a browser that offers VP8 alone; this time Parley hangs up (the answering process is
            // stopped: it ends its call first).
            join(link, "Ann", ONLY_VP8);
            awaitState("connected", Duration.ofSeconds(45));
            awaitColour(Duration.ofSeconds(30));
            Map<String, Object> vp8 = callStats();
            assertEquals("video/VP8", vp8.get("videoCodecIn"), vp8.toString());
            assertEquals("video/VP8", vp8.get("videoCodecOut"), vp8.toString());
            bob.terminate();
            awaitState("ended", Duration.ofSeconds(10));
            assertEquals("bob ended the call.", status());
        }
    }

    /** Keeps the page's WebSockets where the test can drop one, as a change of network would. */
    private static final String RECORD_SOCKETS = """
            const Native = window.WebSocket;
            window.parleySockets = [];
            window.WebSocket = function (url, protocols) {
              const socket = new Native(url, protocols);
              window.parleySockets.push(socket);
              return socket;
            };
            window.WebSocket.prototype = Native.prototype;
            Object.assign(window.WebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
            """;

    @Test
    void aGuestWhoseConnectionDropsSignsInAgainAndTheCallGoesOn() throws Exception {
        try (SignalingServer server = SignalingServer.start(
                ServerConfig.builder().bind("127.0.0.1").port(0).build())) {
            String url = server.uri().toString();
            ChildProcess bob = children.answering(dir, url, "bob", "--echo");
            String link = parleyLink(url);
            browser = chromium();
            join(link, "Ann", RECORD_SOCKETS);
            awaitState("connected", Duration.ofSeconds(45));
            awaitColour(Duration.ofSeconds(30));

            JavascriptExecutor js = (JavascriptExecutor) browser;
            js.executeScript("window.parleySockets[0].close()"); // the connection to the server is gone
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (!Long.valueOf(2).equals(js.executeScript("return window.parleySockets.length"))
                    || !Long.valueOf(1).equals(js.executeScript("return window.parleySockets[1].readyState"))) {
                assertTrue(System.nanoTime() < deadline, "the page did not connect again: " + status());
                Thread.sleep(100);
            }
            awaitState("connected", Duration.ofSeconds(10));
            long frames = ((Number) awaitColour(Duration.ofSeconds(10)).get(5)).longValue();
            Thread.sleep(1500);
            assertTrue(((Number) awaitColour(Duration.ofSeconds(10)).get(5)).longValue() > frames, "video goes on");
            assertTrue(bob.events("ended").isEmpty(), "bob's call goes on");

            // The page looks for a path again with fresh ICE credentials, as after a change of network: Parley
            // answers the browser's restart offer and the call goes on.
            Object ufrag = callStats().get("iceUfrag");
            js.executeScript("window.parleyRestartIce()");
            long restarted = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            Map<String, Object> after = callStats();
            while (!(((Number) after.get("iceRestarts")).intValue() == 1
                    && !ufrag.equals(after.get("iceUfrag"))
                    && "stable".equals(after.get("signaling"))
                    && "connected".equals(after.get("connection")))) {
                assertTrue(System.nanoTime() < restarted, "no ICE restart answered: " + after);
                Thread.sleep(100);
                after = callStats();
            }
            long before = ((Number) awaitColour(Duration.ofSeconds(10)).get(5)).longValue();
            Thread.sleep(1500);
            assertTrue(((Number) awaitColour(Duration.ofSeconds(10)).get(5)).longValue() > before, "video goes on");

            // Signaling works again as the same guest: the hang-up reaches Parley over the new connection.
            browser.findElement(By.id("hangup")).click();
            JsonObject ended = bob.awaitEvent(
                    e -> "ended".equals(e.get("event").getAsString()), Duration.ofSeconds(10), "bob's call ended");
            assertEquals("remote-hung-up", ended.get("reason").getAsString());
        }
    }

    @Test
    void revokedAndUnknownLinksAreRefusedWithAClearMessage() throws Exception {
        try (SignalingServer server = SignalingServer.start(
                ServerConfig.builder().bind("127.0.0.1").port(0).build())) {
            String url = server.uri().toString();
            children.answering(dir, url, "bob", "--echo");
            String link = parleyLink(url, "--ttl", "10m");
            browser = chromium();

            browser.get(link.substring(0, link.length() - 3) + "xyz"); // not a link anyone made
            assertEquals("gone", state());
            assertTrue(status().contains("expired or was revoked"), status());

            browser.get(link); // open, then revoked before the guest presses Join
            browser.findElement(By.id("name")).sendKeys("Ann");
            String revoked = parleyLink(url, "--revoke", link);
            assertEquals("revoked " + link, revoked);
            browser.findElement(By.id("join-button")).click();
            awaitState("gone", Duration.ofSeconds(15));
            assertTrue(status().contains("expired or was revoked"), status());

            browser.get(link); // and loaded again
            assertEquals("gone", state());
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> callStats() {
        return (Map<String, Object>) ((JavascriptExecutor) browser)
                .executeAsyncScript("window.parleyCallStats().then(arguments[arguments.length - 1])");
    }

    /** Waits for the remote video to show the guest's own colour; returns what the page measured. */
    private List<?> awaitColour(Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        List<?> seen = null;
        while (System.nanoTime() < deadline) {
            seen = (List<?>) ((JavascriptExecutor) browser).executeScript(PIXELS);
            if (seen != null && close(seen)) {
                return seen;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(
                "the remote video never showed the guest's colour " + Arrays.toString(RGB) + "; last seen " + seen);
    }

    private static boolean close(List<?> pixels) {
        for (int i = 0; i < 3; i++) {
            if (Math.abs(((Number) pixels.get(i)).doubleValue() - RGB[i]) > 40) {
                return false;
            }
        }
        return true;
    }
}
