package dev.parley.signaling.server;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HexFormat;

/** How the server tells one client's address from another's when it counts or throttles per address. */
final class Addresses {
    private Addresses() {}

    /**
     * The address an abuser cannot cheaply change: an IPv4 address as it is, an IPv6 address by its /64 prefix
     * (one subscriber gets a whole /64 and can use any address in it, RFC 6177); "unknown" for null.
     */
    static String key(InetAddress address) {
        if (address == null) {
            return "unknown";
        }
        if (address instanceof Inet6Address && !address.isLoopbackAddress()) {
            return HexFormat.of().formatHex(Arrays.copyOf(address.getAddress(), 8)) + "::/64";
        }
        return address.getHostAddress();
    }
}
