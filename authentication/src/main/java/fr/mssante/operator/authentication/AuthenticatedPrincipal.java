package fr.mssante.operator.authentication;

import java.util.Locale;
import java.util.Objects;

/**
 * Who an authenticated session is, and how that was proven; every authorisation decision (which mailbox a session may
 * open, which addresses it may send as) derives from it, never from a login name alone.
 * <ul>
 *   <li>{@link MailboxCredential}: knowledge of one mailbox's own secret (its password, with TOTP where required) or
 *       the certificate registered for that (applicative) mailbox. It proves nothing about a person: it opens that
 *       mailbox and sends from it, nothing else — whoever holds, co-holds or is delegated for it.</li>
 *   <li>{@link Person}: a person (national id) identified by an access token of the identity provider. Their rights
 *       (holder, co-holder, delegate) come from the register.</li>
 *   <li>{@link CitizenGateway}: the health space (its TLS client certificate) acting for one citizen, named as the
 *       authorisation identity; it opens that citizen's mailbox and sends as that citizen, nothing else.</li>
 * </ul>
 */
public sealed interface AuthenticatedPrincipal {
    /** How a principal was proven. */
    enum Proof {
        /** The mailbox's password. */
        PASSWORD,
        /** The mailbox's password followed by its TOTP code. */
        PASSWORD_TOTP,
        /** A client certificate registered for the (applicative) mailbox. */
        MAILBOX_CERTIFICATE,
        /** An access token naming a person. */
        ACCESS_TOKEN,
        /** The health space's client certificate, for the citizen named as authorisation identity. */
        GATEWAY_CERTIFICATE
    }

    Proof proof();

    /** What the audit trail shows as "how". */
    default String describe() {
        return proof().name().toLowerCase(Locale.ROOT);
    }

    /** The secret of one mailbox: that mailbox, nothing else. */
    record MailboxCredential(String mailbox, Proof proof) implements AuthenticatedPrincipal {
        public MailboxCredential {
            Objects.requireNonNull(mailbox, "mailbox");
            mailbox = mailbox.trim().toLowerCase(Locale.ROOT);
            if (proof == Proof.ACCESS_TOKEN || proof == Proof.GATEWAY_CERTIFICATE) {
                throw new IllegalArgumentException(proof + " is not a mailbox secret");
            }
        }

        /** Only the mailbox whose secret was shown. */
        public boolean covers(String address) {
            return mailbox.equals(address.trim().toLowerCase(Locale.ROOT));
        }
    }

    /** A person (national id) identified by an access token; rights from the register. */
    record Person(String identity, Proof proof) implements AuthenticatedPrincipal {
        public Person {
            Objects.requireNonNull(identity, "identity");
            identity = identity.trim();
            if (proof != Proof.ACCESS_TOKEN) {
                throw new IllegalArgumentException("a mailbox secret (" + proof + ") does not identify a person");
            }
        }
    }

    /** The health space (certificate subject {@code gateway}) acting for one citizen mailbox: that mailbox only. */
    record CitizenGateway(String citizen, String gateway) implements AuthenticatedPrincipal {
        public CitizenGateway {
            citizen = Objects.requireNonNull(citizen, "citizen").trim().toLowerCase(Locale.ROOT);
            Objects.requireNonNull(gateway, "gateway");
        }

        @Override
        public Proof proof() {
            return Proof.GATEWAY_CERTIFICATE;
        }

        public boolean covers(String address) {
            return citizen.equals(address.trim().toLowerCase(Locale.ROOT));
        }
    }
}
