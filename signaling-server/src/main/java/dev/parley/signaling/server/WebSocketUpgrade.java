package dev.parley.signaling.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpStream;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket opening handshake (RFC 6455 section 4.2) at the signaling path: a valid upgrade request from an
 * allowed origin gets {@code 101 Switching Protocols} and its socket becomes a {@link WebSocketWire}. Anything else
 * at that path gets the HTTP error the RFC names (426 for another protocol version, 400 for a missing or malformed
 * key, 403 for an origin not allowed); a plain request there, or any request elsewhere, goes on to the next handler.
 * No subprotocol and no extension is ever agreed.
 */
final class WebSocketUpgrade extends Handler.Wrapper {
    private static final Logger log = LoggerFactory.getLogger(WebSocketUpgrade.class);
    private static final byte[] GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11".getBytes(StandardCharsets.US_ASCII);

    private final String path;
    private final Origins origins;
    private final Supplier<? extends Wire.Handler> handlers;
    private final int maxFrameBytes;
    private final long idleMillis;
    private final boolean inline;

    /**
     * @param handlers makes the handler of each new WebSocket
     * @param inline   true when nothing a handler does blocks: its frames are then handled on Jetty's selector thread
     */
    WebSocketUpgrade(
            String path,
            Origins origins,
            Supplier<? extends Wire.Handler> handlers,
            int maxFrameBytes,
            long idleMillis,
            boolean inline,
            Handler next) {
        super(next);
        this.path = path;
        this.origins = origins;
        this.handlers = handlers;
        this.maxFrameBytes = maxFrameBytes;
        this.idleMillis = idleMillis;
        this.inline = inline;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        HttpFields headers = request.getHeaders();
        if (!path.equals(Request.getPathInContext(request))
                || !HttpMethod.GET.is(request.getMethod())
                || !"websocket".equalsIgnoreCase(headers.get(HttpHeader.UPGRADE))
                || !headers.contains(HttpHeader.CONNECTION, "upgrade")) {
            return super.handle(request, response, callback); // not a WebSocket handshake
        }
        ConnectionMetaData connection = request.getConnectionMetaData();
        if (connection.getHttpVersion() != HttpVersion.HTTP_1_1) {
            Response.writeError(request, response, callback, HttpStatus.BAD_REQUEST_400, "WebSocket needs HTTP/1.1");
            return true;
        }
        if (!"13".equals(headers.get(HttpHeader.SEC_WEBSOCKET_VERSION))) {
            response.getHeaders().put(HttpHeader.SEC_WEBSOCKET_VERSION, "13");
            Response.writeError(
                    request, response, callback, HttpStatus.UPGRADE_REQUIRED_426, "only WebSocket version 13");
            return true;
        }
        String key = headers.get(HttpHeader.SEC_WEBSOCKET_KEY);
        if (!validKey(key)) {
            Response.writeError(request, response, callback, HttpStatus.BAD_REQUEST_400, "bad Sec-WebSocket-Key");
            return true;
        }
        // Refused before the WebSocket exists: a web page gets a plain 403 and never a connection.
        if (!origins.permits(
                headers.getValuesList(HttpHeader.ORIGIN), headers.get(HttpHeader.HOST), request.isSecure())) {
            log.info(
                    "Refused a WebSocket from {}: origin {} is not allowed",
                    Request.getRemoteAddr(request),
                    LogSafe.quote(headers.get(HttpHeader.ORIGIN)));
            Response.writeError(request, response, callback, HttpStatus.FORBIDDEN_403, "origin not allowed");
            return true;
        }
        EndPoint endPoint = connection.getConnection().getEndPoint();
        WebSocketWire wire = new WebSocketWire(
                endPoint, connection.getConnector().getExecutor(), handlers.get(), maxFrameBytes, idleMillis, inline);
        response.setStatus(HttpStatus.SWITCHING_PROTOCOLS_101);
        response.getHeaders().put(HttpHeader.UPGRADE, "websocket");
        response.getHeaders().put(HttpHeader.CONNECTION, "Upgrade");
        response.getHeaders().put(HttpHeader.SEC_WEBSOCKET_ACCEPT, accept(key));
        // Jetty hands the socket to the wire once this response is written.
        request.setAttribute(HttpStream.UPGRADE_CONNECTION_ATTRIBUTE, wire);
        response.write(true, null, callback);
        return true;
    }

    /** The key must be 16 bytes in base64 (RFC 6455 section 4.1): 24 characters. */
    static boolean validKey(String key) {
        if (key == null || key.length() != 24) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(key.trim()).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Sec-WebSocket-Accept: base64 of the SHA-1 of the key followed by the RFC's GUID. */
    static String accept(String key) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(key.getBytes(StandardCharsets.US_ASCII));
            sha1.update(GUID);
            return Base64.getEncoder().encodeToString(sha1.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every JDK", e);
        }
    }
}
