package fr.mssante.operator.extensions.authentication;

import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Optional;
import java.util.function.Supplier;

import io.netty.channel.Channel;
import org.apache.james.imap.api.process.ImapSession;

/**
 * The client address of an IMAP session, for the login throttle and the audit trail. James 3.8.1's {@link ImapSession}
 * does not expose it; its Netty session keeps the channel in a private field, read here once per login. James's
 * {@code Authenticator} and {@code Authorizator} get no session at all: the IMAP login processors
 * ({@link AuthenticateImapSession}, {@link LoginImapSession}) pass the address to them through {@link #during}, on the
 * thread that runs the (synchronous) password check.
 */
final class ImapClientAddress {
    static final String ATTRIBUTE = "mss.remoteAddress";
    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

    private ImapClientAddress() {
    }

    /** The address of the client, or empty when it cannot be known. */
    static Optional<String> of(ImapSession session) {
        Object cached = session.getAttribute(ATTRIBUTE);
        if (cached instanceof String address) {
            return Optional.of(address);
        }
        Optional<String> address = channel(session).map(Channel::remoteAddress).flatMap(ImapClientAddress::host);
        address.ifPresent(value -> session.setAttribute(ATTRIBUTE, value));
        return address;
    }

    /** Runs {@code action} with the session's client address visible to {@link #current()}. */
    static <T> T during(ImapSession session, Supplier<T> action) {
        String previous = CURRENT.get();
        CURRENT.set(of(session).orElse(null));
        try {
            return action.get();
        } finally {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }

    static void during(ImapSession session, Runnable action) {
        during(session, () -> {
            action.run();
            return null;
        });
    }

    /** The client address of the IMAP login being checked on this thread (null when unknown). */
    static String current() {
        return CURRENT.get();
    }

    private static Optional<Channel> channel(ImapSession session) {
        for (Class<?> type = session.getClass(); type != null; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (Channel.class.isAssignableFrom(field.getType())) {
                    try {
                        field.setAccessible(true);
                        return Optional.ofNullable((Channel) field.get(session));
                    } catch (ReflectiveOperationException | RuntimeException e) {
                        return Optional.empty();
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> host(SocketAddress address) {
        return address instanceof InetSocketAddress inet && inet.getAddress() != null
            ? Optional.of(inet.getAddress().getHostAddress()) : Optional.empty();
    }
}
