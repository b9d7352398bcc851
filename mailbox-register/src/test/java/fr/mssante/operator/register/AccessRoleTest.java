package fr.mssante.operator.register;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import fr.mssante.operator.vocabulary.MailboxKind;

/** The rights of each standing towards a mailbox: the one table every caller (IMAP, submission, routes) relies on. */
class AccessRoleTest {

    @Test
    void theHolderReadsSendsAndIsNeverGranted() {
        assertThat(AccessRole.HOLDER.mayRead()).isTrue();
        assertThat(AccessRole.HOLDER.maySend()).isTrue();
        assertThat(AccessRole.HOLDER.mayModify()).isTrue();
        assertThat(AccessRole.HOLDER.granted()).isFalse();
        for (MailboxKind kind : MailboxKind.values()) {
            assertThat(AccessRole.HOLDER.grantableOn(kind)).as("holder on %s", kind).isFalse();
        }
    }

    @Test
    void aCoHolderReadsAndSendsOnSharedKindsOnly() {
        assertThat(AccessRole.CO_HOLDER.mayRead()).isTrue();
        assertThat(AccessRole.CO_HOLDER.maySend()).isTrue();
        assertThat(AccessRole.CO_HOLDER.mayModify()).isTrue();
        assertThat(AccessRole.CO_HOLDER.granted()).isTrue();
        assertThat(AccessRole.CO_HOLDER.grantableOn(MailboxKind.CAB)).isTrue();
        assertThat(AccessRole.CO_HOLDER.grantableOn(MailboxKind.ORG)).isTrue();
        assertThat(AccessRole.CO_HOLDER.grantableOn(MailboxKind.PER)).isFalse();
        assertThat(AccessRole.CO_HOLDER.grantableOn(MailboxKind.APP)).isFalse();
    }

    @Test
    void aSendingDelegateReadsAndSendsOnAnyKind() {
        assertThat(AccessRole.DELEGATE_SEND.mayRead()).isTrue();
        assertThat(AccessRole.DELEGATE_SEND.maySend()).isTrue();
        assertThat(AccessRole.DELEGATE_SEND.mayModify()).isTrue();
        for (MailboxKind kind : MailboxKind.values()) {
            assertThat(AccessRole.DELEGATE_SEND.grantableOn(kind)).as("sending delegate on %s", kind).isTrue();
        }
    }

    @Test
    void aReadingDelegateReadsButNeverSendsNorModifies() {
        assertThat(AccessRole.DELEGATE_READ.mayRead()).isTrue();
        assertThat(AccessRole.DELEGATE_READ.maySend()).isFalse();
        assertThat(AccessRole.DELEGATE_READ.mayModify()).isFalse();
        for (MailboxKind kind : MailboxKind.values()) {
            assertThat(AccessRole.DELEGATE_READ.grantableOn(kind)).as("reading delegate on %s", kind).isTrue();
        }
    }
}
