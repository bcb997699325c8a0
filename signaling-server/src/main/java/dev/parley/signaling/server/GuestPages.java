package dev.parley.signaling.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Predicate;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The guest's web client: {@code GET /join/TOKEN} answers with the join page when the link works and with a page
 * saying it does not (410) otherwise; {@code /guest/…} serves the page's script and style. A fixed set of files from
 * this jar, read once at start: no path from a request ever reaches a file system. Every answer carries a strict
 * Content-Security-Policy (scripts and styles from this server only, no inline code, connections to this server
 * only, no framing), sends no referrer (the token is in the address) and is not cached.
 */
final class GuestPages extends Handler.Abstract.NonBlocking {
    static final String JOIN = "/join/";
    static final String ASSETS = "/guest/";
    static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
            + " media-src 'self' blob: mediastream:; connect-src 'self'; base-uri 'none'; form-action 'none';"
            + " frame-ancestors 'none'";

    private record Asset(byte[] bytes, String type) {}

    private static final Map<String, String> TYPES = Map.of(
            "join.js", "text/javascript; charset=utf-8",
            "join.css", "text/css; charset=utf-8",
            "icon.svg", "image/svg+xml");

    private final Map<String, Asset> assets;
    private final Asset join;
    private final Asset gone;
    private final Predicate<String> linkWorks;

    /** @param linkWorks whether a token is a link that works now */
    GuestPages(Predicate<String> linkWorks) {
        this.linkWorks = linkWorks;
        this.join = load("join.html", "text/html; charset=utf-8");
        // A dead link gets the same page, marked gone: its script says so instead of offering to join.
        this.gone = new Asset(
                new String(join.bytes(), StandardCharsets.UTF_8)
                        .replace("<body data-state=\"start\">", "<body data-state=\"gone\">")
                        .getBytes(StandardCharsets.UTF_8),
                join.type());
        this.assets = Map.of(
                "join.js", load("join.js", TYPES.get("join.js")),
                "join.css", load("join.css", TYPES.get("join.css")),
                "icon.svg", load("icon.svg", TYPES.get("icon.svg")));
    }

    private static Asset load(String name, String type) {
        try (InputStream in = GuestPages.class.getResourceAsStream("guest/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource guest/" + name);
            }
            return new Asset(in.readAllBytes(), type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        Asset asset;
        int status = HttpStatus.OK_200;
        if (path.startsWith(JOIN)) {
            boolean works = linkWorks.test(path.substring(JOIN.length()));
            asset = works ? join : gone;
            status = works ? HttpStatus.OK_200 : HttpStatus.GONE_410;
        } else if (path.startsWith(ASSETS)) {
            asset = assets.get(path.substring(ASSETS.length()));
            if (asset == null) {
                return false; // a 404
            }
        } else {
            return false;
        }
        if (HealthHandler.refusedUnlessGetOrHead(request, response, callback)) {
            return true;
        }
        String method = request.getMethod();
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, asset.type());
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, asset.bytes().length);
        response.getHeaders().put("Content-Security-Policy", POLICY);
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put("Referrer-Policy", "no-referrer");
        response.getHeaders().put("X-Frame-Options", "DENY");
        response.getHeaders().put("Cross-Origin-Opener-Policy", "same-origin");
        response.getHeaders().put("Permissions-Policy", "camera=(self), microphone=(self), display-capture=()");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(
                true,
                HttpMethod.HEAD.is(method)
                        ? null
                        : ByteBuffer.wrap(asset.bytes()).asReadOnlyBuffer(),
                callback);
        return true;
    }
}
