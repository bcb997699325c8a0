package dev.parley.signaling.server;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts what clients make the server hold, so that one address or one user cannot take all of its memory:
 * connections that have not signed in yet, per IP address (an IPv6 /64 counts as one, see {@link Addresses}), and
 * signed-in devices, per user. (The third cap, users watched per connection, needs no counting: {@link Connection}
 * checks each {@code subscribe}.) Thread-safe; every method is short and takes this object's lock.
 */
final class ConnectionCaps {
    private final int unauthenticatedPerAddress;
    private final int devicesPerUser;
    private final Map<String, Integer> unauthenticated = new HashMap<>();
    /** user, then device, then the connection that holds the place. */
    private final Map<String, Map<String, Connection>> devices = new HashMap<>();

    ConnectionCaps(ServerConfig.Limits limits) {
        this.unauthenticatedPerAddress = limits.maxUnauthenticatedPerAddress();
        this.devicesPerUser = limits.maxDevicesPerUser();
    }

    /** A connection from {@code address} opened; false (and nothing counted) if the address already has its fill. */
    synchronized boolean openedUnauthenticated(InetAddress address) {
        String key = Addresses.key(address);
        int now = unauthenticated.getOrDefault(key, 0);
        if (now >= unauthenticatedPerAddress) {
            return false;
        }
        unauthenticated.put(key, now + 1);
        return true;
    }

    /** A connection counted by {@link #openedUnauthenticated} signed in or closed. */
    synchronized void leftUnauthenticated(InetAddress address) {
        unauthenticated.computeIfPresent(Addresses.key(address), (a, n) -> n <= 1 ? null : n - 1);
    }

    /**
     * Takes a device place for {@code c}. True if the user has a free place, or the device already holds one (a
     * device signing in again replaces its old connection); false if the user is at the cap.
     */
    synchronized boolean takeDevice(String user, String device, Connection c) {
        Map<String, Connection> mine = devices.computeIfAbsent(user, u -> new HashMap<>());
        if (!mine.containsKey(device) && mine.size() >= devicesPerUser) {
            if (mine.isEmpty()) {
                devices.remove(user);
            }
            return false;
        }
        mine.put(device, c);
        return true;
    }

    /** Gives back {@code c}'s place, unless a newer connection of the same device holds it now. */
    synchronized void releaseDevice(String user, String device, Connection c) {
        Map<String, Connection> mine = devices.get(user);
        if (mine != null && mine.remove(device, c) && mine.isEmpty()) {
            devices.remove(user);
        }
    }

    synchronized int unauthenticatedFrom(InetAddress address) {
        return unauthenticated.getOrDefault(Addresses.key(address), 0);
    }
}
