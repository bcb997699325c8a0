package dev.parley.signaling.protocol;

/**
 * Every message that travels between a Parley client and the signaling server.
 *
 * <p>Messages are immutable records. {@link MessageCodec} owns the JSON form: the {@code type} tag, the protocol
 * version and the validation limits. Records validate their own fields in their constructors, so an invalid
 * message cannot exist in memory; the codec turns such failures into a {@link DecodeResult.Failure}.
 */
public sealed interface Message
        permits Hello,
                Welcome,
                Subscribe,
                Presence,
                ErrorMessage,
                Ping,
                Pong,
                CallMessage,
                ContactMessage,
                Contacts,
                LinkCreate,
                LinkRevoke,
                Link {}
