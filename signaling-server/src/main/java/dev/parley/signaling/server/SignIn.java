package dev.parley.signaling.server;

import dev.parley.signaling.protocol.ErrorCode;
import dev.parley.signaling.protocol.ErrorMessage;
import dev.parley.signaling.protocol.Hello;
import dev.parley.signaling.protocol.IceServer;
import dev.parley.signaling.protocol.MessageCodec;
import dev.parley.signaling.protocol.Welcome;
import java.net.InetAddress;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    private final TurnPolicy turnPolicy;
    private final String serverName;
    private final FairQueue queue;
    private final Executor executor;
    private final SignInThrottle throttle;
    private final GuestLinks links;

    /**
     * @param executor runs the sign-ins
     * @param threads  the executor's threads: no more password checks than that are handed to it at once
     */
    SignIn(
            MessageCodec codec,
            Hub hub,
            ServerConfig.Limits limits,
            Authenticator authenticator,
            TokenService tokens,
            TurnCredentials turn,
            TurnPolicy turnPolicy,
            Executor executor,
            int threads,
            String serverName,
            GuestLinks links) {
        this.links = links;
        this.codec = codec;
        this.hub = hub;
        this.limits = limits;
        this.authenticator = authenticator;
        this.tokens = tokens;
        this.turn = turn;
        this.turnPolicy = turnPolicy;
        this.serverName = serverName;
        this.executor = executor;
        this.queue = new FairQueue(executor, threads, SIGN_INS_WAITING_PER_ADDRESS, SIGN_INS_WAITING);
        this.throttle = new SignInThrottle(System::nanoTime);
    }

    /** Sign-ins one address may have waiting for a worker; more are refused at once. */
    static final int SIGN_INS_WAITING_PER_ADDRESS = 8;
    /** Sign-ins all addresses together may have waiting. */
    static final int SIGN_INS_WAITING = 256;

    /**
     * Starts signing {@code c} in; it has just moved to {@link Connection.Phase#AUTHENTICATING}. A password that
     * its address or account may not try now is refused here, before any hashing; the rest waits its address's
     * turn for a worker ({@link FairQueue}). A sign-in without a password to check (a resume token, an open
     * server) costs no hash and does not queue for one: many from one address at once (an office behind one NAT
     * reconnecting after a server restart) all go through.
     */
    void start(Connection c, Hello hello) {
        String address = Addresses.key(c.remoteAddress());
        if (!checksPassword(hello)) {
            try {
                executor.execute(() -> finish(c, hello, address));
            } catch (RejectedExecutionException e) { // the server is stopping
                c.refuseSignIn(
                        ErrorMessage.of(ErrorCode.INTERNAL, "the server is stopping; try again"),
                        Wire.TRY_AGAIN_LATER,
                        "stopping");
            }
            return;
        }
        if (refusedByThrottle(c, hello, address)) {
            return;
        }
        switch (queue.submit(address, () -> finish(c, hello, address))) {
            case NONE -> {}
            case KEY_FULL ->
                c.refuseSignIn(
                        new ErrorMessage(
                                ErrorCode.RATE_LIMITED,
                                "too many sign-ins from your address at once; try again",
                                "hello",
                                null,
                                1),
                        Wire.TRY_AGAIN_LATER,
                        "busy");
            case QUEUE_FULL ->
                c.refuseSignIn(
                        ErrorMessage.of(ErrorCode.INTERNAL, "the server is too busy to sign you in; try again"),
                        Wire.TRY_AGAIN_LATER,
                        "busy");
        }
    }

    /** Refuses (and closes) a password sign-in that must wait; true if it did. */
    private boolean refusedByThrottle(Connection c, Hello hello, String address) {
        if (!checksPassword(hello)) {
            return false;
        }
        long wait = throttle.secondsToWait(address, hello.user());
        if (wait == 0) {
            return false;
        }
        log.info("Sign-in for {} from {} throttled for {} s after failed passwords", hello.user(), c.remote(), wait);
        c.refuseSignIn(
                new ErrorMessage(
                        ErrorCode.RATE_LIMITED,
                        "too many failed sign-ins; try again in " + wait + " s",
                        "hello",
                        null,
                        (int) wait),
                Wire.TRY_AGAIN_LATER,
                "too many failed sign-ins");
        return true;
    }

    /** True if this hello will be decided by a password check (a valid token decides without one). */
    private boolean checksPassword(Hello hello) {
        return hello.user() != null && hello.password() != null && tokenUser(hello) == null;
    }

    /** STUN for everyone; TURN credentials only for those {@link TurnPolicy} allows. */
    private List<IceServer> iceServersFor(Authenticator.Attempt signedIn) {
        List<IceServer> all = turn.iceServersFor(signedIn.user());
        if (all.stream().allMatch(s -> s.credential() == null) || turnPolicy.allows(signedIn)) {
            return all;
        }
        log.debug("No TURN credentials for {} from {}: signed in without a secret", signedIn.user(), signedIn.remote());
        return all.stream().filter(s -> s.credential() == null).toList();
    }

    /**
     * Every resume token of {@code user} stops working. A sign-in that was verified before and registers after
     * this sees the change and closes ({@link #finish}).
     */
    void revoke(String user) {
        tokens.revoke(user);
    }

    /** Forgets old throttling records; called once a minute. */
    void prune() {
        throttle.prune();
    }

    private void finish(Connection c, Hello hello, String address) {
        try {
            if (!c.awaitingSignIn()) {
                return; // closed or timed out while queued: do not spend a password hash on it
            }
            if (hello.link() != null) {
                finishGuest(c, hello);
                return;
            }
            // Read before the check: a revocation from now on is seen after registering, below.
            long generation = tokens.generation(hello.user());
            String who = tokenUser(hello);
            if (who != null && hello.user() == null) {
                generation = tokens.generation(who); // a token-only hello: its user is known only now
            }
            if (who == null) {
                if (refusedByThrottle(c, hello, address)) {
                    return; // locked while it waited its turn
                }
                who = passwordUser(hello, c.remoteAddress());
                if (who == null && hello.user() != null && hello.password() != null) {
                    throttle.failed(address, hello.user());
                }
            }
            if (who != null) {
                throttle.succeeded(address, who);
            }
            if (!c.awaitingSignIn()) {
                return;
            }
            if (who == null) {
                log.info("Sign-in refused for '{}' from {}", hello.user(), c.remote());
                c.refuseSignIn(
                        new ErrorMessage(
                                ErrorCode.AUTH_FAILED,
                                hello.token() != null && hello.password() == null
                                        ? "the sign-in token is invalid or expired"
                                        : "wrong user name or password",
                                "hello",
                                null),
                        Wire.POLICY_VIOLATION,
                        "authentication failed");
                return;
            }
            if (GuestLinks.isGuestName(who)) {
                log.info("Sign-in refused for '{}' from {}: a guest's name", who, c.remote());
                c.refuseSignIn(
                        new ErrorMessage(
                                ErrorCode.AUTH_FAILED,
                                "names starting with " + GuestLinks.GUEST_PREFIX + " are kept for guests",
                                "hello",
                                null),
                        Wire.POLICY_VIOLATION,
                        "guest name");
                return;
            }
            String device =
                    hello.device() != null ? hello.device() : UUID.randomUUID().toString();
            if (!c.takeDevicePlace(who, device)) {
                log.info("Sign-in refused for {} from {}: signed in on too many devices", who, c.remote());
                c.refuseSignIn(
                        new ErrorMessage(
                                ErrorCode.RATE_LIMITED,
                                "you are signed in on too many devices (at most " + limits.maxDevicesPerUser()
                                        + "); sign out on one of them first",
                                "hello",
                                null),
                        Wire.POLICY_VIOLATION,
                        "too many devices");
                return;
            }
            if (!c.signedIn(who, device)) {
                return; // closed meanwhile
            }
            String sessionId = UUID.randomUUID().toString();
            String welcome = codec.encode(new Welcome(
                    who,
                    device,
                    sessionId,
                    tokens.issue(who, device),
                    tokens.ttl().toSeconds(),
                    iceServersFor(new Authenticator.Attempt(who, hello.password(), device, c.remoteAddress())),
                    (int) limits.pingInterval().toSeconds(),
                    serverName));
            register(c, welcome);
            log.debug("{} signed in from {}", c.who(), c.remote());
            c.registered();
            if (tokens.generation(who) != generation) {
                // Revoked while this sign-in was being checked: it proved what no longer holds.
                c.send(ErrorMessage.of(
                        ErrorCode.AUTH_FAILED, "your account was removed or its password changed; sign in again"));
                c.close(Wire.POLICY_VIOLATION, "account changed");
            }
        } catch (RuntimeException e) {
            log.error("Sign-in of '{}' failed", hello.user(), e);
            c.refuseSignIn(
                    ErrorMessage.of(ErrorCode.INTERNAL, "sign-in failed on the server"),
                    Wire.SERVER_ERROR,
                    "internal error");
        }
    }

    /**
     * A guest signs in with a link: under a fresh guest name of its own, as a guest of the link's owner, with TURN
     * credentials (the link is a secret it proved) and a resume token bound to its device and to this link, so that
     * after a dropped connection (a new network) it signs in again as the same guest and its call goes on. A token
     * never signs anyone in without the link, and the link must still work.
     */
    private void finishGuest(Connection c, Hello hello) {
        String again = null;
        if (hello.token() != null) {
            again = hello.device() == null
                    ? null
                    : tokens.verify(hello.token(), guestDevice(hello.device(), hello.link(), hello.name()));
            if (again == null || !GuestLinks.isGuestName(again)) {
                log.info("Guest sign-in refused from {}: a resume token that is not this link's guest's", c.remote());
                c.refuseSignIn(
                        new ErrorMessage(
                                ErrorCode.AUTH_FAILED, "this guest session has ended; join again", "hello", null),
                        Wire.POLICY_VIOLATION,
                        "guest token not valid");
                return;
            }
        }
        GuestLinks.Link link;
        try {
            link = links.admit(hello.link(), again != null);
        } catch (GuestLinks.TooMany e) {
            c.refuseSignIn(
                    new ErrorMessage(ErrorCode.RATE_LIMITED, e.getMessage(), "hello", null, 60),
                    Wire.TRY_AGAIN_LATER,
                    "link full");
            return;
        }
        if (link == null) {
            log.info("Guest sign-in refused from {}: the link does not work", c.remote());
            c.refuseSignIn(
                    new ErrorMessage(ErrorCode.AUTH_FAILED, "this link has expired or was revoked", "hello", null),
                    Wire.POLICY_VIOLATION,
                    "link not valid");
            return;
        }
        String who = again != null ? again : links.guestName();
        String device =
                hello.device() != null ? hello.device() : UUID.randomUUID().toString();
        c.guestOf(link, hello.name()); // before signing in: the first message it sends is already a guest's
        if (!c.takeDevicePlace(who, device) || !c.signedIn(who, device)) {
            c.leaveGuest(); // closed meanwhile (a guest's one device always has its place)
            return;
        }
        String welcome = codec.encode(new Welcome(
                who,
                device,
                UUID.randomUUID().toString(),
                tokens.issue(who, guestDevice(device, link.token(), hello.name())),
                tokens.ttl().toSeconds(),
                turn.iceServersFor(who, link.expiresAtSeconds()), // a relay for as long as the link, no longer
                (int) limits.pingInterval().toSeconds(),
                serverName,
                link.owner()));
        register(c, welcome); // its old connection, if not yet noticed as gone, is replaced
        log.info(
                "Guest {} signed in{} from {} with a link of {}",
                c.who(),
                again != null ? " again" : "",
                c.remote(),
                link.owner());
        c.registered();
        if (links.find(link.token()) == null) {
            c.linkRevoked(); // revoked while this guest signed in: the revocation may not have seen it as a guest yet
        }
    }

    /** Registers a signed-in connection; another connection of the same user and device is replaced by it. */
    private void register(Connection c, String welcome) {
        Connection replaced = hub.register(c, welcome);
        if (replaced != null && replaced != c) {
            replaced.send(ErrorMessage.of(ErrorCode.REPLACED, "signed in again from the same device"));
            replaced.close(Wire.POLICY_VIOLATION, "replaced");
        }
    }

    /**
     * What a guest's resume token is bound to: its device, its link and the name it typed (a space never occurs in a
     * device id or a link token, so no user's device can stand for it and the three cannot be told apart wrongly).
     */
    private static String guestDevice(String device, String link, String name) {
        return device + " link " + link + " name " + name;
    }

    /**
     * The user a hello proves to be, or null. A valid token is enough (and must be the hello's user, if it names
     * one); otherwise the user name and password are checked, which may take a while.
     */
    String verify(Hello hello, InetAddress remoteAddress) {
        String who = tokenUser(hello);
        return who != null ? who : passwordUser(hello, remoteAddress);
    }

    /**
     * The user of the hello's valid resume token, if it has one, issued to the hello's device, that names the
     * hello's user (if any); else null.
     */
    private String tokenUser(Hello hello) {
        if (hello.token() == null) {
            return null;
        }
        String who = tokens.verify(hello.token(), hello.device());
        return who != null && (hello.user() == null || hello.user().equals(who)) ? who : null;
    }

    /** The hello's user if the authenticator lets it in (with its password, perhaps slowly); else null. */
    private String passwordUser(Hello hello, InetAddress remoteAddress) {
        return hello.user() != null
                        && authenticator.authenticate(new Authenticator.Attempt(
                                hello.user(), hello.password(), hello.device(), remoteAddress))
                ? hello.user()
                : null;
    }
}
