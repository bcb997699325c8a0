package dev.parley.media;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CallStatsTest {
    private static CallStats.Route route(String local, String remote) {
        return new CallStats.Route(local, "198.18.0.1:40000", remote, "198.18.0.2:40000", "udp", "");
    }

    /** Only host to host is direct: a file link goes over TCP there, and a NAT's or relay's path keeps UDP. */
    @Test
    void onlyHostToHostIsDirect() {
        assertTrue(route("host", "host").direct());
        assertFalse(route("host", "srflx").direct());
        assertFalse(route("srflx", "host").direct());
        assertFalse(route("host", "prflx").direct());
        assertFalse(route("relay", "host").direct());
        assertFalse(route("", "").direct(), "no candidate types known");
    }
}
