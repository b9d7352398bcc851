package fr.mssante.operator.extensions.authentication;

import java.util.Optional;

import org.apache.james.protocols.api.ProtocolSession;

import fr.mssante.operator.authentication.AuthenticatedPrincipal;

/** Who is behind an SMTP session and how it was proven ({@link AuthenticatedPrincipal}), set at AUTH. */
final class SessionActor {
    static final ProtocolSession.AttachmentKey<AuthenticatedPrincipal> KEY =
        ProtocolSession.AttachmentKey.of("mss.principal", AuthenticatedPrincipal.class);

    private SessionActor() {
    }

    static void set(ProtocolSession session, AuthenticatedPrincipal principal) {
        session.setAttachment(KEY, principal, ProtocolSession.State.Connection);
    }

    static Optional<AuthenticatedPrincipal> of(ProtocolSession session) {
        return session.getAttachment(KEY, ProtocolSession.State.Connection);
    }
}
