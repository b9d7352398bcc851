package fr.mssante.operator.documents.attribution;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import fr.mssante.operator.documents.feedback.IntegrationErrorCode;
import fr.mssante.operator.vocabulary.MailboxKind;

/**
 * On whose behalf a document sent by mail is filed into the DMP (the subject of the VIHF, the actor the DMP records).
 * The answer comes from how the submission was authenticated, never from the sender address alone nor from the
 * document (its declared author is content the client wrote):
 * <ul>
 *   <li>a person identified by an access token ({@link Submitter.Person}) acts for themselves: their national id. The
 *       register already allowed them to send from the sender mailbox (holder, co-holder, delegate) at MAIL FROM;</li>
 *   <li>the secret of a personal (PER) mailbox ({@link Submitter.MailboxSecret}: its password, with TOTP where
 *       required) is its holder's own secret: the holder;</li>
 *   <li>the secret of an applicative (APP) or organisational (ORG) mailbox (password or registered certificate) acts
 *       for the structure that holds it: the structure's id (a lab files its reports so);</li>
 *   <li>the password of a shared practice (CAB) mailbox is known to everyone who works there (co-holders, secretaries):
 *       it identifies no one, so nothing is filed on anyone's behalf — {@link Attribution.NotAttributable}, told to the
 *       sender as 906 (the volet's code for an error none of 900–905 describes);</li>
 *   <li>a secret of another mailbox than the sender's, a sender mailbox the register does not know, or a submission
 *       whose authentication is unknown: not attributable either (fail closed).</li>
 * </ul>
 * Pure and thread-safe.
 */
public final class FilingAttribution {
    /** The reason told to the sender of a shared mailbox (French, as the notice). */
    public static final String SHARED_PASSWORD = "auteur non identifiable : connexion par mot de passe de boîte partagée ; "
        + "connectez-vous avec votre carte ou e-CPS (Pro Santé Connect) pour que le document soit intégré en votre nom";

    private FilingAttribution() {
    }

    /** How the submission was authenticated (set by the submission server from its session, never by the client). */
    public sealed interface Submitter {
        /** A person (national id, IdNat_PS) identified by an access token. */
        record Person(String nationalId) implements Submitter {
            public Person {
                Objects.requireNonNull(nationalId, "nationalId");
                if (nationalId.isBlank()) {
                    throw new IllegalArgumentException("a person needs a national id");
                }
                nationalId = nationalId.trim();
            }
        }

        /** The secret of one mailbox (its password, password and TOTP, or the certificate registered for it). */
        record MailboxSecret(String mailbox) implements Submitter {
            public MailboxSecret {
                mailbox = normalise(Objects.requireNonNull(mailbox, "mailbox"));
            }
        }
    }

    /**
     * The sending mailbox as the register knows it.
     *
     * @param holderId its holder's national id (PER, CAB) or its structure's id (ORG, APP)
     */
    public record SenderMailbox(String address, MailboxKind kind, String holderId) {
        public SenderMailbox {
            address = normalise(Objects.requireNonNull(address, "address"));
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(holderId, "holderId");
        }
    }

    /** Why a filing is attributed to an identity. */
    public enum Basis {
        /** A person's access token. */
        PERSON,
        /** The personal secret of a PER mailbox: its holder. */
        PERSONAL_MAILBOX,
        /** The secret of an APP or ORG mailbox: its structure. */
        STRUCTURE_MAILBOX
    }

    /** The decision. */
    public sealed interface Attribution {
        /** File on behalf of {@code identity}. */
        record OnBehalfOf(String identity, Basis basis) implements Attribution {
            public OnBehalfOf {
                Objects.requireNonNull(identity, "identity");
                Objects.requireNonNull(basis, "basis");
            }
        }

        /**
         * File nothing; tell the sender.
         *
         * @param code   the integration error code of the notice
         * @param reason for the sender (French, the notice's "Précision")
         * @param audit  for the audit trail (a constant, no personal data)
         */
        record NotAttributable(IntegrationErrorCode code, String reason, String audit) implements Attribution {
            public NotAttributable {
                Objects.requireNonNull(code, "code");
                Objects.requireNonNull(reason, "reason");
                Objects.requireNonNull(audit, "audit");
            }
        }
    }

    /**
     * On whose behalf documents sent from {@code senderAddress} by {@code submitter} are filed.
     *
     * @param submitter     how the submission was authenticated; empty when unknown
     * @param senderAddress the envelope sender (MAIL FROM)
     * @param sender        the register's entry for the sender address, when there is one
     */
    public static Attribution of(Optional<Submitter> submitter, String senderAddress, Optional<SenderMailbox> sender) {
        if (submitter.isEmpty()) {
            return new Attribution.NotAttributable(IntegrationErrorCode.OTHER,
                "auteur non identifiable : la connexion qui a soumis le message n'est pas connue", "AUTHOR_UNKNOWN_SUBMITTER");
        }
        if (submitter.get() instanceof Submitter.Person person) {
            return new Attribution.OnBehalfOf(person.nationalId(), Basis.PERSON);
        }
        Submitter.MailboxSecret secret = (Submitter.MailboxSecret) submitter.get();
        String address = normalise(senderAddress);
        if (!secret.mailbox().equals(address)) {
            return new Attribution.NotAttributable(IntegrationErrorCode.OTHER,
                "auteur non identifiable : la connexion ne prouve que le secret d'une autre boîte", "AUTHOR_OTHER_MAILBOX_SECRET");
        }
        if (sender.isEmpty() || !sender.get().address().equals(address)) {
            return new Attribution.NotAttributable(IntegrationErrorCode.OTHER,
                "auteur non identifiable : la boîte émettrice est inconnue du registre", "AUTHOR_UNREGISTERED_MAILBOX");
        }
        MailboxKind kind = sender.get().kind();
        if (kind.secretShared()) {
            return new Attribution.NotAttributable(IntegrationErrorCode.OTHER, SHARED_PASSWORD, "AUTHOR_SHARED_MAILBOX_PASSWORD");
        }
        return new Attribution.OnBehalfOf(sender.get().holderId(),
            kind.heldByPerson() ? Basis.PERSONAL_MAILBOX : Basis.STRUCTURE_MAILBOX);
    }

    private static String normalise(String address) {
        return address.trim().toLowerCase(Locale.ROOT);
    }
}
