package fr.mssante.operator.delivery;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Idle TLS sessions to other operators' MXs, by route, so that the next mail reuses the handshake. A session idle
 * longer than {@code maxIdleNanos} or that carried {@code maxTransactions} mails is closed instead of reused.
 * Counts handshakes and transactions (messages per handshake = reuse ratio).
 */
final class ConnectionPool implements AutoCloseable {
    private static final long PROBE_AFTER_NANOS = 2_000_000_000L;
    private final Map<Route, Deque<SmtpConnection>> idle = new HashMap<>();
    private final long maxIdleNanos;
    private final int maxTransactions;
    private final int maxIdlePerRoute;
    private final AtomicLong handshakes = new AtomicLong();
    private final AtomicLong transactions = new AtomicLong();

    ConnectionPool(long maxIdleNanos, int maxTransactions, int maxIdlePerRoute) {
        this.maxIdleNanos = maxIdleNanos;
        this.maxTransactions = maxTransactions;
        this.maxIdlePerRoute = maxIdlePerRoute;
    }

    synchronized Optional<SmtpConnection> take(Route route) {
        Deque<SmtpConnection> connections = idle.get(route);
        while (connections != null && !connections.isEmpty()) {
            SmtpConnection connection = connections.pollFirst();
            // a session idle for a while may have been closed by the peer: probe it with RSET before reuse
            if (connection.idleNanos() < maxIdleNanos && (connection.idleNanos() < PROBE_AFTER_NANOS || connection.reset())) {
                return Optional.of(connection);
            }
            connection.close();
        }
        return Optional.empty();
    }

    void opened() {
        handshakes.incrementAndGet();
    }

    void transacted() {
        transactions.incrementAndGet();
    }

    /** Returns a session after a transaction: kept if it resets cleanly and has room, closed otherwise. */
    void giveBack(SmtpConnection connection) {
        if (connection.transactions() >= maxTransactions || !connection.reset()) {
            connection.close();
            return;
        }
        synchronized (this) {
            Deque<SmtpConnection> connections = idle.computeIfAbsent(connection.route(), any -> new ArrayDeque<>());
            if (connections.size() < maxIdlePerRoute) {
                connections.addFirst(connection);
                return;
            }
        }
        connection.close();
    }

    OutboundStatistics statistics() {
        return new OutboundStatistics(handshakes.get(), transactions.get());
    }

    @Override
    public synchronized void close() {
        idle.values().forEach(connections -> connections.forEach(SmtpConnection::close));
        idle.clear();
    }
}
