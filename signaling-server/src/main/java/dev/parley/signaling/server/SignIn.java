package dev.parley.signaling.server;

import dev.parley.signaling.protocol.ErrorCode;
import dev.parley.signaling.protocol.ErrorMessage;
import dev.parley.signaling.protocol.Hello;
import dev.parley.signaling.protocol.MessageCodec;
import dev.parley.signaling.protocol.Welcome;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Signs connections in: checks a {@code hello}'s resume token or password off the reading thread (password hashing
 * is slow), then registers the connection with the {@link Hub} and hands it its {@code welcome} with a fresh token
 * and TURN credentials. One per server; thread-safe.
 *
 * <p>The connection does not read further messages until this is done, and its phase decides whether a finished
 * sign-in still counts: a connection that closed or timed out meanwhile is left alone.
 */
final class SignIn {
    private static final Logger log = LoggerFactory.getLogger(SignIn.class);

    private final MessageCodec codec;
    private final Hub hub;
    private final ServerConfig.Limits limits;
    private final Authenticator authenticator;
    private final TokenService tokens;
    private final TurnCredentials turn;
    private final Executor executor;
    private final String serverName;

    /** @param executor runs the password checks; may refuse work when too busy */
    SignIn(MessageCodec codec, Hub hub, ServerConfig.Limits limits, Authenticator authenticator, TokenService tokens,
           TurnCredentials turn, Executor executor, String serverName) {
        this.codec = codec;
        this.hub = hub;
        this.limits = limits;
        this.authenticator = authenticator;
        this.tokens = tokens;
        this.turn = turn;
        this.executor = executor;
        this.serverName = serverName;
    }

    /** Starts signing {@code c} in; it has just moved to {@link Connection.Phase#AUTHENTICATING}. */
    void start(Connection c, Hello hello) {
        try {
            executor.execute(() -> finish(c, hello));
        } catch (RejectedExecutionException e) {
            c.send(ErrorMessage.of(ErrorCode.INTERNAL, "the server is too busy to sign you in; try again"));
            c.close(CloseStatus.TRY_AGAIN_LATER, "busy");
        }
    }

    private void finish(Connection c, Hello hello) {
        try {
            if (!c.awaitingSignIn()) {
                return; // closed or timed out while queued: do not spend a password hash on it
            }
            String who = verify(hello, c.remoteAddress());
            if (!c.awaitingSignIn()) {
                return;
            }
            if (who == null) {
                log.info("Sign-in refused for '{}' from {}", hello.user(), c.remote());
                c.send(new ErrorMessage(ErrorCode.AUTH_FAILED, hello.token() != null && hello.password() == null
                        ? "the sign-in token is invalid or expired" : "wrong user name or password", "hello", null));
                c.close(CloseStatus.POLICY_VIOLATION, "authentication failed");
                return;
            }
            String device = hello.device() != null ? hello.device() : UUID.randomUUID().toString();
            if (!c.takeDevicePlace(who, device)) {
                log.info("Sign-in refused for {} from {}: signed in on too many devices", who, c.remote());
                c.send(new ErrorMessage(ErrorCode.RATE_LIMITED, "you are signed in on too many devices (at most "
                        + limits.maxDevicesPerUser() + "); sign out on one of them first", "hello", null));
                c.close(CloseStatus.POLICY_VIOLATION, "too many devices");
                return;
            }
            if (!c.signedIn(who, device)) {
                return; // closed meanwhile
            }
            String sessionId = UUID.randomUUID().toString();
            String welcome = codec.encode(new Welcome(who, device, sessionId, tokens.issue(who),
                    tokens.ttl().toSeconds(), turn.iceServersFor(who), (int) limits.pingInterval().toSeconds(),
                    serverName));
            Connection replaced = hub.register(c, welcome);
            if (replaced != null && replaced != c) {
                replaced.send(ErrorMessage.of(ErrorCode.REPLACED, "signed in again from the same device"));
                replaced.close(CloseStatus.POLICY_VIOLATION, "replaced");
            }
            log.debug("{} signed in from {}", c.who(), c.remote());
            c.registered();
        } catch (RuntimeException e) {
            log.error("Sign-in of '{}' failed", hello.user(), e);
            c.send(ErrorMessage.of(ErrorCode.INTERNAL, "sign-in failed on the server"));
            c.close(CloseStatus.SERVER_ERROR, "internal error");
        }
    }

    /**
     * The user a hello proves to be, or null. A valid token is enough (and must be the hello's user, if it names
     * one); otherwise the user name and password are checked, which may take a while.
     */
    String verify(Hello hello, java.net.InetAddress remoteAddress) {
        String who = null;
        if (hello.token() != null) {
            who = tokens.verify(hello.token());
            if (who != null && hello.user() != null && !hello.user().equals(who)) {
                who = null;
            }
        }
        if (who == null && hello.user() != null && authenticator.authenticate(
                new Authenticator.Attempt(hello.user(), hello.password(), hello.device(), remoteAddress))) {
            who = hello.user();
        }
        return who;
    }
}
