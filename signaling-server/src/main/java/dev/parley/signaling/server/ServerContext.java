package dev.parley.signaling.server;

import dev.parley.signaling.protocol.MessageCodec;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.LongAdder;

/** What every {@link Connection} of one server shares. */
record ServerContext(
        MessageCodec codec,
        Hub hub,
        ServerConfig.Limits limits,
        SignIn signIn,
        ScheduledExecutorService scheduler,
        Set<Connection> connections,
        LongAdder messagesIn,
        ConnectionCaps caps,
        GuestLinks links) {}
