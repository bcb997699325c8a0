package dev.parley.signaling.protocol;

/** A keep-alive; the other side answers with a {@link Pong} carrying the same nonce. */
public record Ping(long nonce) implements Message {}
