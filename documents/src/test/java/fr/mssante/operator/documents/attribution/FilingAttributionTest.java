package fr.mssante.operator.documents.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import fr.mssante.operator.documents.attribution.FilingAttribution.Attribution;
import fr.mssante.operator.documents.attribution.FilingAttribution.Basis;
import fr.mssante.operator.vocabulary.MailboxKind;
import fr.mssante.operator.documents.attribution.FilingAttribution.SenderMailbox;
import fr.mssante.operator.documents.attribution.FilingAttribution.Submitter;
import fr.mssante.operator.documents.feedback.IntegrationErrorCode;

/** Issue 12 #2 in the DMP filing path: who a filed document is attributed to follows how the submission was proven. */
class FilingAttributionTest {
    static final String DOCTOR = "810000000001";
    static final String CO_HOLDER = "810000000002";
    static final String LAB_STRUCTURE = "3750000001";
    static final SenderMailbox PRACTICE = new SenderMailbox("cabinet@demo.test", MailboxKind.CAB, DOCTOR);
    static final SenderMailbox PERSONAL = new SenderMailbox("dr.alice@demo.test", MailboxKind.PER, DOCTOR);
    static final SenderMailbox LAB = new SenderMailbox("labo@demo.test", MailboxKind.APP, LAB_STRUCTURE);
    static final SenderMailbox SERVICE = new SenderMailbox("cardio@demo.test", MailboxKind.ORG, LAB_STRUCTURE);

    static Attribution secretOf(SenderMailbox mailbox) {
        return FilingAttribution.of(Optional.of(new Submitter.MailboxSecret(mailbox.address())), mailbox.address(), Optional.of(mailbox));
    }

    @Test
    void aSharedPracticePasswordIsAttributableToNoOneNotItsHolder() {
        Attribution attribution = secretOf(PRACTICE);
        assertThat(attribution).isInstanceOfSatisfying(Attribution.NotAttributable.class, refused -> {
            assertThat(refused.code()).isEqualTo(IntegrationErrorCode.OTHER);
            assertThat(refused.code().code()).isEqualTo(906);
            assertThat(refused.reason()).contains("auteur non identifiable").contains("mot de passe de boîte partagée");
            assertThat(refused.audit()).isEqualTo("AUTHOR_SHARED_MAILBOX_PASSWORD");
        });
    }

    @Test
    void aPersonsTokenFilesAsThatPersonWhicheverMailboxTheySendFrom() {
        assertThat(FilingAttribution.of(Optional.of(new Submitter.Person(DOCTOR)), PRACTICE.address(), Optional.of(PRACTICE)))
            .isEqualTo(new Attribution.OnBehalfOf(DOCTOR, Basis.PERSON));
        assertThat(FilingAttribution.of(Optional.of(new Submitter.Person(CO_HOLDER)), PRACTICE.address(), Optional.of(PRACTICE)))
            .as("a co-holder of the practice files as themselves, not as its holder")
            .isEqualTo(new Attribution.OnBehalfOf(CO_HOLDER, Basis.PERSON));
        assertThat(FilingAttribution.of(Optional.of(new Submitter.Person(" " + CO_HOLDER + " ")), PERSONAL.address(), Optional.of(PERSONAL)))
            .as("a delegate of a personal mailbox files as themselves")
            .isEqualTo(new Attribution.OnBehalfOf(CO_HOLDER, Basis.PERSON));
    }

    @Test
    void aPersonalMailboxsOwnSecretIsItsHolders() {
        assertThat(secretOf(PERSONAL)).isEqualTo(new Attribution.OnBehalfOf(DOCTOR, Basis.PERSONAL_MAILBOX));
    }

    @Test
    void anApplicativeOrOrganisationalMailboxFilesAsItsStructure() {
        assertThat(secretOf(LAB)).isEqualTo(new Attribution.OnBehalfOf(LAB_STRUCTURE, Basis.STRUCTURE_MAILBOX));
        assertThat(secretOf(SERVICE)).isEqualTo(new Attribution.OnBehalfOf(LAB_STRUCTURE, Basis.STRUCTURE_MAILBOX));
    }

    @Test
    void addressesCompareWithoutCase() {
        assertThat(FilingAttribution.of(Optional.of(new Submitter.MailboxSecret("Dr.Alice@Demo.Test")), "DR.ALICE@demo.test",
            Optional.of(PERSONAL))).isEqualTo(new Attribution.OnBehalfOf(DOCTOR, Basis.PERSONAL_MAILBOX));
    }

    @Test
    void whatCannotBeProvenFailsClosed() {
        assertThat(FilingAttribution.of(Optional.empty(), PERSONAL.address(), Optional.of(PERSONAL)))
            .as("no principal on the mail").isInstanceOfSatisfying(Attribution.NotAttributable.class,
                refused -> assertThat(refused.audit()).isEqualTo("AUTHOR_UNKNOWN_SUBMITTER"));
        assertThat(FilingAttribution.of(Optional.of(new Submitter.MailboxSecret(PRACTICE.address())), PERSONAL.address(), Optional.of(PERSONAL)))
            .as("the secret of another mailbox").isInstanceOfSatisfying(Attribution.NotAttributable.class,
                refused -> assertThat(refused.audit()).isEqualTo("AUTHOR_OTHER_MAILBOX_SECRET"));
        assertThat(FilingAttribution.of(Optional.of(new Submitter.MailboxSecret(PERSONAL.address())), PERSONAL.address(), Optional.empty()))
            .as("a mailbox the register does not know").isInstanceOfSatisfying(Attribution.NotAttributable.class,
                refused -> assertThat(refused.audit()).isEqualTo("AUTHOR_UNREGISTERED_MAILBOX"));
        assertThat(FilingAttribution.of(Optional.of(new Submitter.MailboxSecret(PERSONAL.address())), PERSONAL.address(), Optional.of(LAB)))
            .as("a register entry of another address").isInstanceOf(Attribution.NotAttributable.class);
        assertThat(FilingAttribution.of(Optional.empty(), PERSONAL.address(), Optional.of(PERSONAL)))
            .extracting(a -> ((Attribution.NotAttributable) a).code()).isEqualTo(IntegrationErrorCode.OTHER);
    }

    @Test
    void aPersonNeedsANationalId() {
        assertThatThrownBy(() -> new Submitter.Person(" ")).isInstanceOf(IllegalArgumentException.class);
    }
}
