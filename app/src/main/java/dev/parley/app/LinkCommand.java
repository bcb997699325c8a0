package dev.parley.app;

import dev.parley.signaling.client.ClientConfig;
import dev.parley.signaling.client.GuestLinkAddress;
import dev.parley.signaling.client.SignalingClient;
import dev.parley.signaling.client.SignalingClientFactory;
import dev.parley.signaling.client.SignalingException;
import dev.parley.signaling.protocol.ErrorMessage;
import dev.parley.signaling.protocol.Link;
import dev.parley.signaling.protocol.LinkCreate;
import dev.parley.signaling.protocol.LinkRevoke;
import dev.parley.signaling.protocol.Message;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code parley link}: makes a guest link (a page on the signaling server where someone with only a web browser
 * types a name and calls this user) and prints it as the first line; or revokes one.
 */
@Command(
        name = "link",
        mixinStandardHelpOptions = true,
        description = {
            "Make a link that lets someone with only a web browser call you (printed as the first line), or revoke one.",
            "The guest opens it, types a name and presses Join; your Parley (or 'parley answer') rings"
                    + " \"NAME (guest, via link)\". The page needs https:// for the camera, unless it is opened on"
                    + " the server's own machine."
        })
final class LinkCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--server",
            required = true,
            paramLabel = "URL",
            description = "Signaling server, e.g. wss://parley.example.org:7443/signal.")
    URI server;

    @Mixin
    Account account;

    @Option(
            names = "--ttl",
            paramLabel = "DURATION",
            defaultValue = "24h",
            converter = HumanDuration.class,
            description = "How long the link works: 1m to 7d, e.g. 30m, 24h, 7d (default: ${DEFAULT-VALUE}).")
    Duration ttl;

    @Option(
            names = "--revoke",
            paramLabel = "LINK",
            description = "Revoke this link (or its token) instead of making one.")
    String revoke;

    @Override
    public void run() {
        String token = null;
        if (revoke != null) {
            token = GuestLinkAddress.token(revoke);
            if (token == null) {
                throw new IllegalArgumentException("not a guest link: " + revoke + " (expected …/join/TOKEN)");
            }
        } else if (ttl.compareTo(Duration.ofMinutes(1)) < 0 || ttl.compareTo(Duration.ofDays(7)) > 0) {
            throw new IllegalArgumentException("--ttl must be between 1m and 7d, not " + ttl);
        }
        try (SignalingClientFactory factory = SignalingClientFactory.standard()) {
            try (SignalingClient signaling =
                    factory.create(ClientConfig.of(server, account.user, account.password()))) {
                CompletableFuture<Message> answer = new CompletableFuture<>();
                signaling.addListener(new SignalingClient.Listener() {
                    @Override
                    public void onMessage(Message m) {
                        if (m instanceof Link
                                || (m instanceof ErrorMessage e
                                        && e.inReplyTo() != null
                                        && e.inReplyTo().startsWith("link-"))) {
                            answer.complete(m);
                        }
                    }
                });
                signaling.connect().get(15, TimeUnit.SECONDS);
                signaling.send(token == null ? new LinkCreate(ttl.toSeconds()) : new LinkRevoke(token));
                Message m = answer.get(15, TimeUnit.SECONDS);
                if (m instanceof ErrorMessage e) {
                    throw new IllegalStateException("the server refused: " + e.message());
                }
                Link link = (Link) m;
                if (link.revoked()) {
                    spec.commandLine().getOut().println("revoked " + GuestLinkAddress.page(server, link.token()));
                } else {
                    spec.commandLine().getOut().println(GuestLinkAddress.page(server, link.token()));
                    spec.commandLine().getOut().println("works until " + Instant.ofEpochSecond(link.expiresAt()));
                }
                spec.commandLine().getOut().flush();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot sign in to " + server + ": "
                    + (e.getCause() instanceof SignalingException s
                            ? s.getMessage()
                            : e.getCause().toString()));
        } catch (TimeoutException e) {
            throw new IllegalStateException("no answer from " + server + " within 15 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
