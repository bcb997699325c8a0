package dev.parley.signaling.server;

import dev.parley.signaling.protocol.CallMessage;
import dev.parley.signaling.protocol.ContactMessage;
import dev.parley.signaling.protocol.ErrorCode;
import dev.parley.signaling.protocol.ErrorMessage;
import dev.parley.signaling.protocol.Hello;
import dev.parley.signaling.protocol.Invite;
import dev.parley.signaling.protocol.Link;
import dev.parley.signaling.protocol.LinkCreate;
import dev.parley.signaling.protocol.LinkRevoke;
import dev.parley.signaling.protocol.Message;
import dev.parley.signaling.protocol.MessageCodec;
import dev.parley.signaling.protocol.Ping;
import dev.parley.signaling.protocol.Pong;
import dev.parley.signaling.protocol.Presence;
import dev.parley.signaling.protocol.PresenceStatus;
import dev.parley.signaling.protocol.Subscribe;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a signed-in client may ask of the server, message by message: call messages are stamped with the
 * sender's name and routed by the {@link Hub}, contact requests and subscriptions go to it (within the limits),
 * pings are answered, and everything a client does not send gets an error saying so. The connection has already
 * decoded the message and admitted it past its rate limit.
 */
final class SignedInMessages {
    private static final Logger log = LoggerFactory.getLogger(SignedInMessages.class);

    private SignedInMessages() {}

    static void handle(ServerContext ctx, Connection c, Message message) {
        if (c.guestLink() != null && !guestMay(ctx, c, message)) {
            return;
        }
        if (message instanceof Invite invite && c.guestLink() == null && GuestLinks.isGuestName(invite.to())) {
            // A guest's page takes no calls: it would ring for minutes and never answer.
            c.send(new ErrorMessage(ErrorCode.FORBIDDEN, "guests by link cannot be called", "invite", invite.callId()));
            return;
        }
        if (message instanceof CallMessage call) {
            CallMessage stamped = call.withFrom(c.user());
            if (stamped instanceof Invite invite) {
                stamped = invite.withGuest(c.guestName()); // a guest's name, said by the server; nobody else's claim
            }
            ctx.hub().route(c, stamped, ctx.codec().encode(stamped));
        } else if (message instanceof LinkCreate create) {
            createLink(ctx, c, create);
        } else if (message instanceof LinkRevoke revoke) {
            revokeLink(ctx, c, revoke);
        } else if (message instanceof ContactMessage contact) {
            ctx.hub().contact(c, contact.withFrom(c.user()));
        } else if (message instanceof Ping ping) {
            c.send(new Pong(ping.nonce()));
        } else if (message instanceof Subscribe subscribe) {
            int max = ctx.limits().maxWatchedUsers();
            // Every watched name costs server memory for as long as the connection lasts.
            if (subscribe.users().size() > max && new HashSet<>(subscribe.users()).size() > max) {
                c.send(new ErrorMessage(
                        ErrorCode.INVALID_MESSAGE,
                        "a connection may watch at most " + max
                                + " users on this server; the subscription is unchanged",
                        "subscribe",
                        null));
                return;
            }
            c.charge(subscribe.users().size() / 50.0); // answering it sends one message per user
            ctx.hub().subscribe(c, subscribe.users());
        } else if (message instanceof Presence presence) {
            if (presence.status() == PresenceStatus.OFFLINE) {
                c.send(new ErrorMessage(
                        ErrorCode.INVALID_MESSAGE,
                        "you cannot set yourself offline; disconnect instead",
                        "presence",
                        null));
            } else {
                ctx.hub().setStatus(c, presence.status());
            }
        } else if (message instanceof Hello) {
            c.send(new ErrorMessage(
                    ErrorCode.ALREADY_AUTHENTICATED,
                    "this connection is already signed in as " + c.user(),
                    "hello",
                    null));
        } else if (message instanceof Pong) {
            // the connection noted the time it heard from the client: that is all a pong is for
        } else if (message instanceof ErrorMessage error) {
            log.debug(
                    "{} reported an error: {} {} (in reply to {}, call {})",
                    c.who(),
                    error.code(),
                    LogSafe.quote(error.message()),
                    LogSafe.quote(error.inReplyTo()),
                    LogSafe.quote(error.callId()));
        } else {
            c.send(new ErrorMessage(
                    ErrorCode.INVALID_MESSAGE,
                    "clients do not send " + MessageCodec.typeOf(message.getClass()),
                    MessageCodec.typeOf(message.getClass()),
                    null));
        }
    }

    /**
     * A guest may only call the owner of its link, while the link works, and keep its connection alive: nothing
     * else (no presence, no contacts, no links). False, with an error sent, for anything else.
     */
    private static boolean guestMay(ServerContext ctx, Connection c, Message message) {
        GuestLinks.Link link = c.guestLink();
        String type = MessageCodec.typeOf(message.getClass());
        if (message instanceof Invite invite) {
            if (!invite.to().equals(link.owner())) {
                c.send(new ErrorMessage(
                        ErrorCode.FORBIDDEN,
                        "a guest can call only the person whose link it came with",
                        type,
                        invite.callId()));
                return false;
            }
            if (ctx.links().find(link.token()) == null) {
                c.send(new ErrorMessage(
                        ErrorCode.FORBIDDEN, "this link has expired or was revoked", type, invite.callId()));
                return false;
            }
            return true;
        }
        if (message instanceof CallMessage
                || message instanceof Ping
                || message instanceof Pong
                || message instanceof ErrorMessage) {
            return true; // the router lets it speak only in its own calls
        }
        c.send(new ErrorMessage(ErrorCode.FORBIDDEN, "a guest can only call the person who invited it", type, null));
        return false;
    }

    private static void createLink(ServerContext ctx, Connection c, LinkCreate create) {
        Duration ttl = create.ttlSeconds() == 0 ? GuestLinks.DEFAULT_TTL : Duration.ofSeconds(create.ttlSeconds());
        try {
            GuestLinks.Link link = ctx.links().create(c.user(), ttl);
            log.info("{} made a guest link valid until {}", c.who(), Instant.ofEpochMilli(link.expiresAtMillis()));
            c.send(new Link(link.token(), link.expiresAtSeconds(), false));
        } catch (IllegalArgumentException e) {
            c.send(new ErrorMessage(ErrorCode.INVALID_MESSAGE, e.getMessage(), "link-create", null));
        } catch (GuestLinks.TooMany e) {
            c.send(new ErrorMessage(ErrorCode.RATE_LIMITED, e.getMessage(), "link-create", null));
        }
    }

    /** Ends the link and signs out its guests (a connected call goes on: its media does not pass the server). */
    private static void revokeLink(ServerContext ctx, Connection c, LinkRevoke revoke) {
        GuestLinks.Link link = ctx.links().revoke(c.user(), revoke.token());
        if (link == null) {
            c.send(new ErrorMessage(
                    ErrorCode.FORBIDDEN, "you have no working link with that token", "link-revoke", null));
            return;
        }
        log.info("{} revoked a guest link", c.who());
        c.send(new Link(link.token(), link.expiresAtSeconds(), true));
        for (Connection guest : ctx.connections()) {
            if (guest.guestLink() != null && guest.guestLink().token().equals(link.token())) {
                guest.linkRevoked();
            }
        }
    }
}
