package dev.parley.signaling.protocol;

/** The answer to a {@link Ping}. */
public record Pong(long nonce) implements Message {}
