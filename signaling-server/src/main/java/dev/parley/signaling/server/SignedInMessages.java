package dev.parley.signaling.server;

import dev.parley.signaling.protocol.CallMessage;
import dev.parley.signaling.protocol.ContactMessage;
import dev.parley.signaling.protocol.ErrorCode;
import dev.parley.signaling.protocol.ErrorMessage;
import dev.parley.signaling.protocol.Hello;
import dev.parley.signaling.protocol.Message;
import dev.parley.signaling.protocol.MessageCodec;
import dev.parley.signaling.protocol.Ping;
import dev.parley.signaling.protocol.Pong;
import dev.parley.signaling.protocol.Presence;
import dev.parley.signaling.protocol.PresenceStatus;
import dev.parley.signaling.protocol.Subscribe;
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
        if (message instanceof CallMessage call) {
            CallMessage stamped = call.withFrom(c.user());
            ctx.hub().route(c, stamped, ctx.codec().encode(stamped));
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
}
