package dev.parley.signaling.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ServerConfigTest {
    @Test
    void aConfigPrintedInALogShowsNoSecret() {
        ServerConfig config = ServerConfig.builder()
                .tls(Path.of("server.p12"), "tls-hunter2")
                .turnSecret("turn-hunter2")
                .cluster(URI.create("redis://127.0.0.1:6379"), "redis-hunter2")
                .build();
        String printed = config.toString();
        assertFalse(printed.contains("hunter2"), printed);
        assertTrue(printed.contains("redis://127.0.0.1:6379") && printed.contains("turnSecret=set"), printed);
    }

    @Test
    void aClusterUrlWithAPasswordIsRefusedWithoutRepeatingIt() {
        for (String url : new String[] {"redis://:hunter2@127.0.0.1:6379", "rediss://:hunter2@127.0.0.1:6379"}) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> RedisCluster.to(URI.create(url), null));
            assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        }
    }
}
