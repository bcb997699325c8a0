package dev.parley.signaling.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /health} for load balancers and service managers: {@code 200 {"status":"ok",…}} while the server takes
 * connections, {@code 503 {"status":"stopping",…}} once it is shutting down (so a balancer sends no one new). It says
 * only what a balancer needs: the state, the open connections, the seconds since start; nothing about users.
 * Every other plain HTTP request is left to the next handler (a 404).
 */
final class HealthHandler extends Handler.Abstract.NonBlocking {
    static final String PATH = "/health";

    private final BooleanSupplier stopping;
    private final IntSupplier connections;
    private final Supplier<String> cluster;
    private final long startNanos = System.nanoTime();

    HealthHandler(BooleanSupplier stopping, IntSupplier connections) {
        this(stopping, connections, () -> "");
    }

    /** @param cluster more fields for a node of a cluster ({@code ,"cluster":…}), or empty */
    HealthHandler(BooleanSupplier stopping, IntSupplier connections, Supplier<String> cluster) {
        this.stopping = stopping;
        this.connections = connections;
        this.cluster = cluster;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!PATH.equals(Request.getPathInContext(request))) {
            return false;
        }
        if (refusedUnlessGetOrHead(request, response, callback)) {
            return true;
        }
        String method = request.getMethod();
        boolean down = stopping.getAsBoolean();
        String body = String.format(
                Locale.ROOT,
                "{\"status\":\"%s\",\"connections\":%d,\"uptimeSeconds\":%d%s}\n",
                down ? "stopping" : "ok",
                connections.getAsInt(),
                (System.nanoTime() - startNanos) / 1_000_000_000L,
                cluster.get());
        response.setStatus(down ? HttpStatus.SERVICE_UNAVAILABLE_503 : HttpStatus.OK_200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        if (HttpMethod.HEAD.is(method)) {
            response.write(true, null, callback);
        } else {
            response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
        }
        return true;
    }

    /** Answers 405 (allowing GET and HEAD) to any other method; true if it did. */
    static boolean refusedUnlessGetOrHead(Request request, Response response, Callback callback) {
        String method = request.getMethod();
        if (HttpMethod.GET.is(method) || HttpMethod.HEAD.is(method)) {
            return false;
        }
        response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
        Response.writeError(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405);
        return true;
    }
}
