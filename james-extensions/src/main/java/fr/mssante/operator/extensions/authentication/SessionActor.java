package fr.mssante.operator.extensions.authentication;

import org.apache.james.protocols.api.ProtocolSession;

/** The person or application behind an SMTP session (national id or certificate subject), set at AUTH. */
final class SessionActor {
    static final ProtocolSession.AttachmentKey<String> KEY = ProtocolSession.AttachmentKey.of("mss.actor", String.class);

    private SessionActor() {
    }
}
