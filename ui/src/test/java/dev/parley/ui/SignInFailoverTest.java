package dev.parley.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.signaling.server.SignalingServer;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The desktop's sign-in with several nodes of one service: the first cannot be reached, the next takes the
 * sign-in, and the settings keep both for the next start.
 */
@Timeout(60)
class SignInFailoverTest {
    @TempDir
    Path temp;

    @Test
    void aDeadFirstNodeIsPassedOverAndBothAreRemembered() throws Exception {
        URI dead;
        try (SignalingServer gone = UiFixture.server(0)) {
            dead = gone.uri();
        }
        try (SignalingServer live = UiFixture.server(0);
                UiFixture.Client carol = new UiFixture.Client(temp.resolve("carol"), 440)) {
            carol.service
                    .signIn(List.of(dead, live.uri()), "alice", UiFixture.PASSWORD, true)
                    .get(20, TimeUnit.SECONDS);
            assertEquals(1, live.stats().authenticated());
            assertEquals(dead + "," + live.uri(), carol.service.settings().get().serverUrl());
        }
    }
}
