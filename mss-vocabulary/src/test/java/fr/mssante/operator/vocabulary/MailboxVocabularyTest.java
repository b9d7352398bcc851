package fr.mssante.operator.vocabulary;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** The one mailbox kind and the one mailbox state, with every rule about them. */
class MailboxVocabularyTest {

    @Test
    void theWireValuesAreTheTypeBalCodesAndTheStoredStates() {
        assertThat(Arrays.stream(MailboxKind.values()).map(Enum::name)).containsExactly("PER", "ORG", "APP", "CAB");
        assertThat(Arrays.stream(MailboxState.values()).map(Enum::name)).containsExactly("ACTIVE", "SUSPENDED", "CLOSED");
    }

    @Test
    void personalAndSharedPracticeMailboxesAreHeldByAPerson() {
        assertThat(MailboxKind.PER.heldByPerson()).isTrue();
        assertThat(MailboxKind.CAB.heldByPerson()).isTrue();
        assertThat(MailboxKind.ORG.heldByPerson()).isFalse();
        assertThat(MailboxKind.APP.heldByPerson()).isFalse();
    }

    @Test
    void onlySharedKindsHaveCoHoldersOnlyTheCabinetSharesItsSecretOnlyAppLogsInByCertificate() {
        assertThat(Arrays.stream(MailboxKind.values()).filter(MailboxKind::allowsCoHolders))
            .containsExactly(MailboxKind.ORG, MailboxKind.CAB);
        assertThat(Arrays.stream(MailboxKind.values()).filter(MailboxKind::secretShared)).containsExactly(MailboxKind.CAB);
        assertThat(Arrays.stream(MailboxKind.values()).filter(MailboxKind::certificateLogin)).containsExactly(MailboxKind.APP);
    }

    @Test
    void aKindIsParsedIgnoringCaseAndBlanksAndNothingElseIsAKind() {
        assertThat(MailboxKind.parse(" cab ")).contains(MailboxKind.CAB);
        assertThat(MailboxKind.parse("PER")).contains(MailboxKind.PER);
        assertThat(MailboxKind.parse("PERSON")).isEmpty();
        assertThat(MailboxKind.parse("")).isEmpty();
        assertThat(MailboxKind.parse(null)).isEmpty();
    }

    @Test
    void onlyAnActiveMailboxIsUsableAndOnlyAClosedOneIsFinal() {
        assertThat(MailboxState.ACTIVE.usable()).isTrue();
        assertThat(MailboxState.SUSPENDED.usable()).isFalse();
        assertThat(MailboxState.CLOSED.usable()).isFalse();
        assertThat(MailboxState.ACTIVE.changeable()).isTrue();
        assertThat(MailboxState.SUSPENDED.changeable()).isTrue();
        assertThat(MailboxState.CLOSED.changeable()).isFalse();
    }
}
