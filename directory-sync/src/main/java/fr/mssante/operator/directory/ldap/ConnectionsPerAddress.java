package fr.mssante.operator.directory.ldap;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Counts open connections per client address and refuses beyond the limit (0: no limit). Thread-safe. */
final class ConnectionsPerAddress {
    private final int limit;
    private final ConcurrentMap<InetAddress, Integer> open = new ConcurrentHashMap<>();

    ConnectionsPerAddress(int limit) {
        this.limit = limit;
    }

    /** Counts one more connection from this address; false (nothing counted) when the limit is reached. */
    boolean tryAcquire(InetAddress address) {
        if (address == null) {
            return true;
        }
        boolean[] acquired = new boolean[1];
        open.compute(address, (key, count) -> {
            int current = count == null ? 0 : count;
            if (limit > 0 && current >= limit) {
                return count;
            }
            acquired[0] = true;
            return current + 1;
        });
        return acquired[0];
    }

    void release(InetAddress address) {
        if (address != null) {
            open.computeIfPresent(address, (key, count) -> count <= 1 ? null : count - 1);
        }
    }

    int open(InetAddress address) {
        return open.getOrDefault(address, 0);
    }
}
