package fr.mssante.operator.authentication;

import java.util.Optional;

/**
 * What authentication needs to know of citizen mailboxes ({@code <INS>@<patient domain>}): only the health space,
 * proven by its TLS client certificate ({@link #gatewaySubject()}, MSS_HEALTH_SPACE_CERT_DN), opens them — one at a
 * time, named as the SASL authorisation identity — and nothing else does (no password, no token, no other certificate).
 */
public interface CitizenMailboxes {
    /** No citizen mailboxes here: nothing is a citizen address, no gateway. */
    CitizenMailboxes NONE = new CitizenMailboxes() {
        @Override
        public Optional<String> gatewaySubject() {
            return Optional.empty();
        }

        @Override
        public boolean isCitizenAddress(String address) {
            return false;
        }

        @Override
        public Optional<String> refusal(String address) {
            return Optional.of("no citizen mailboxes on this server");
        }
    };

    /** The certificate subject (RFC 2253) of the health space; empty when none is configured. */
    Optional<String> gatewaySubject();

    /** Is the address in a patient domain (a citizen's, whatever its local part)? */
    boolean isCitizenAddress(String address);

    /** Why the health space may not open this citizen mailbox (not a served citizen, space closed); empty when it may. */
    Optional<String> refusal(String address);
}
