package dev.parley.app;

import com.google.gson.JsonObject;
import dev.parley.signaling.client.ClientConfig;
import dev.parley.signaling.client.SignalingClient;
import dev.parley.signaling.client.SignalingClientFactory;
import dev.parley.signaling.client.SignalingException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** A headless command whose calls go through a signaling server: {@code parley call} and {@code parley answer}. */
abstract class SignedInCall extends HeadlessCall {
    @Option(
            names = "--server",
            required = true,
            split = ",",
            paramLabel = "URL",
            description = "Signaling server, e.g. ws://127.0.0.1:7443/signal; several nodes of one service as"
                    + " URL1,URL2 (the next is tried when one cannot be reached or its connection is lost).")
    List<URI> server;

    /** The --server URLs as given: one, or several nodes of one service. */
    String servers() {
        return String.join(",", server.stream().map(URI::toString).toList());
    }

    @Mixin
    Account account;

    @Override
    SignalingClient newSignaling(SignalingClientFactory factory) throws Exception {
        return factory.create(ClientConfig.of(server.get(0), account.user, account.password())
                .withAlternates(server.subList(1, server.size())));
    }

    @Override
    void signIn(SignalingClient signaling) {
        try {
            signaling.connect().get(15, TimeUnit.SECONDS);
            if (json) { // ready for calls: scripts (and bench call) wait for this before calling in
                JsonObject e = new JsonObject();
                e.addProperty("event", "signed-in");
                e.addProperty("user", account.user);
                e.addProperty("epochMs", System.currentTimeMillis());
                emit(e, null);
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot sign in to " + servers() + ": "
                    + (e.getCause() instanceof SignalingException s
                            ? s.getMessage()
                            : e.getCause().toString()));
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot reach " + servers() + " within 15 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signing in");
        }
    }
}
