package fr.mssante.operator.extensions.imap;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.inject.Singleton;

/**
 * Cooperative cancellation of the requests of a mailbox session whose IMAP client has gone. Long operations (the
 * search) ask {@link #isCancelled} between messages and stop; nothing is ever interrupted or closed under them
 * (see {@link DetachedRequestProcessor}). Keys are the mailbox sessions themselves (identity).
 */
@Singleton
public class RequestCancellation {
    private final Set<Object> cancelled = ConcurrentHashMap.newKeySet();

    public void cancel(Object session) {
        if (session != null) {
            cancelled.add(new Identity(session));
        }
    }

    public boolean isCancelled(Object session) {
        return session != null && !cancelled.isEmpty() && cancelled.contains(new Identity(session));
    }

    /** Forgets a session once nothing of it runs any more. */
    public void forget(Object session) {
        if (session != null) {
            cancelled.remove(new Identity(session));
        }
    }

    private record Identity(Object session) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Identity identity && identity.session == session;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(session);
        }
    }
}
