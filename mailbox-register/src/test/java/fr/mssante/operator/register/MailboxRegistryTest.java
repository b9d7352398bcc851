package fr.mssante.operator.register;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import fr.mssante.operator.database.DatabaseSettings;
import fr.mssante.operator.database.MssDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import fr.mssante.operator.vocabulary.MailboxKind;
import fr.mssante.operator.vocabulary.MailboxState;

/** The mailbox register on a real PostgreSQL with the real migrations. */
class MailboxRegistryTest {
    private static EmbeddedPostgres postgres;
    private static MssDatabase database;
    private static MailboxRegistry registry;
    private static final Instant NOW = Instant.parse("2026-03-04T05:06:07Z");

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        database = MssDatabase.open(new DatabaseSettings(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "", true), 2);
        registry = new MailboxRegistry(database.dataSource(), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterAll
    static void stop() throws Exception {
        database.close();
        postgres.close();
    }

    private static MailboxRecord mailbox(String address, MailboxKind kind, String holder) {
        return new MailboxRecord(address, kind, holder, Optional.of("Cabinet"), Optional.empty(), false, Optional.empty(),
            MailboxState.ACTIVE, Instant.now(), Optional.empty());
    }

    @Test
    void aPersonalMailboxNeedsANationalIdOfAPerson() {
        assertThatThrownBy(() -> mailbox("dr.a@demo.mss.test", MailboxKind.PER, "12345"))
            .hasMessageContaining("8+RPPS");
        assertThat(mailbox("Dr.A@Demo.MSS.test", MailboxKind.PER, "810000000001").address()).isEqualTo("dr.a@demo.mss.test");
        assertThat(mailbox("labo@demo.mss.test", MailboxKind.APP, "130000000").holderId()).isEqualTo("130000000");
    }

    @Test
    void everyChangeIsAuditedWithItsActor() throws Exception {
        registry.create(mailbox("cabinet.pasteur@demo.mss.test", MailboxKind.CAB, "810000000002"), "admin@ops");
        registry.grant("cabinet.pasteur@demo.mss.test", "810000000003", AccessRole.CO_HOLDER, "admin@ops");
        registry.grant("cabinet.pasteur@demo.mss.test", "0750000001", AccessRole.DELEGATE_SEND, "810000000002");
        registry.update("cabinet.pasteur@demo.mss.test", Optional.of("Cabinet Pasteur"), Optional.empty(), true,
            Optional.of(1), "admin@ops");
        registry.revoke("cabinet.pasteur@demo.mss.test", "0750000001", AccessRole.DELEGATE_SEND, "810000000002");

        assertThat(registry.history("cabinet.pasteur@demo.mss.test")).containsExactly(
            "CREATED: CAB held by 810000000002 (admin@ops)",
            "GRANTED: CO_HOLDER to 810000000003 (admin@ops)",
            "GRANTED: DELEGATE_SEND to 0750000001 (810000000002)",
            "UPDATED: listeRouge=true (admin@ops)",
            "REVOKED: DELEGATE_SEND from 0750000001 (810000000002)");
        assertThat(registry.find("cabinet.pasteur@demo.mss.test").orElseThrow().listeRouge()).isTrue();
    }

    @Test
    void anIdentitySeesWhatItHoldsCoHoldsAndIsDelegated() throws Exception {
        registry.create(mailbox("dr.b@demo.mss.test", MailboxKind.PER, "810000000010"), "admin");
        registry.create(mailbox("cabinet.b@demo.mss.test", MailboxKind.CAB, "810000000011"), "admin");
        registry.grant("cabinet.b@demo.mss.test", "810000000010", AccessRole.CO_HOLDER, "admin");
        registry.create(mailbox("dr.c@demo.mss.test", MailboxKind.PER, "810000000012"), "admin");
        registry.grant("dr.c@demo.mss.test", "810000000010", AccessRole.DELEGATE_READ, "admin");

        assertThat(registry.accessOf("810000000010")).containsExactly(
            new MailboxRegistry.Access("cabinet.b@demo.mss.test", AccessRole.CO_HOLDER),
            new MailboxRegistry.Access("dr.b@demo.mss.test", AccessRole.HOLDER),
            new MailboxRegistry.Access("dr.c@demo.mss.test", AccessRole.DELEGATE_READ));

        registry.changeState("dr.c@demo.mss.test", MailboxState.CLOSED, "admin");
        assertThat(registry.accessOf("810000000010")).extracting(MailboxRegistry.Access::address)
            .doesNotContain("dr.c@demo.mss.test");
        assertThatThrownBy(() -> registry.grant("dr.c@demo.mss.test", "810000000099", AccessRole.DELEGATE_READ, "admin"))
            .hasMessageContaining("closed");
    }

    @Test
    void personalMailboxesHaveNoCoHoldersAndAddressesAreUnique() throws Exception {
        registry.create(mailbox("dr.d@demo.mss.test", MailboxKind.PER, "810000000020"), "admin");
        assertThatThrownBy(() -> registry.grant("dr.d@demo.mss.test", "810000000021", AccessRole.CO_HOLDER, "admin"))
            .hasMessageContaining("no co-holders");
        assertThatThrownBy(() -> registry.create(mailbox("DR.D@demo.mss.test", MailboxKind.ORG, "130000001"), "admin"))
            .isInstanceOf(java.sql.SQLException.class);
        assertThat(registry.history("dr.d@demo.mss.test")).hasSize(1);
    }

    @Test
    void theHolderIsNeverGranted() throws Exception {
        registry.create(mailbox("dr.e@demo.mss.test", MailboxKind.PER, "810000000030"), "admin");
        assertThatThrownBy(() -> registry.grant("dr.e@demo.mss.test", "810000000031", AccessRole.HOLDER, "admin"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("holder");
        assertThat(registry.grantsOf("dr.e@demo.mss.test")).isEmpty();
    }

    @Test
    void creationDepublicationAndChangesAreDatedByTheInjectedClock() throws Exception {
        registry.create(mailbox("dr.f@demo.mss.test", MailboxKind.PER, "810000000040"), "admin");
        assertThat(registry.find("dr.f@demo.mss.test").orElseThrow().createdAt()).isEqualTo(NOW);
        assertThat(registry.unpublish("dr.f@demo.mss.test", "unused for 12 months", "admin")).isTrue();
        assertThat(registry.unpublish("dr.f@demo.mss.test", "again", "admin")).as("already unpublished").isFalse();
        try (Connection connection = database.dataSource().getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT m.unpublished_at, min(c.at), max(c.at) FROM mss.mailbox m "
                 + "JOIN mss.mailbox_change c ON c.address = m.address WHERE m.address = 'dr.f@demo.mss.test' GROUP BY 1")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getTimestamp(1).toInstant()).isEqualTo(NOW);
            assertThat(rows.getTimestamp(2).toInstant()).isEqualTo(NOW);
            assertThat(rows.getTimestamp(3).toInstant()).isEqualTo(NOW);
        }
        assertThat(registry.republish("dr.f@demo.mss.test", "admin")).isTrue();
        assertThat(registry.history("dr.f@demo.mss.test")).containsExactly("CREATED: PER held by 810000000040 (admin)",
            "UNPUBLISHED: unused for 12 months (admin)", "REPUBLISHED:  (admin)");
    }

    @Test
    void suspendingKeepsTheMailboxChangeableButClosingIsFinal() throws Exception {
        registry.create(mailbox("dr.g@demo.mss.test", MailboxKind.PER, "810000000050"), "admin");
        registry.changeState("dr.g@demo.mss.test", MailboxState.SUSPENDED, "admin");
        registry.changeState("dr.g@demo.mss.test", MailboxState.ACTIVE, "admin");
        registry.changeState("dr.g@demo.mss.test", MailboxState.CLOSED, "admin");
        assertThatThrownBy(() -> registry.changeState("dr.g@demo.mss.test", MailboxState.ACTIVE, "admin"))
            .hasMessageContaining("closed");
        assertThatThrownBy(() -> registry.update("dr.g@demo.mss.test", Optional.empty(), Optional.empty(), false,
            Optional.empty(), "admin")).hasMessageContaining("closed");
        assertThat(registry.history("dr.g@demo.mss.test")).containsExactly("CREATED: PER held by 810000000050 (admin)",
            "STATE: ACTIVE -> SUSPENDED (admin)", "STATE: SUSPENDED -> ACTIVE (admin)", "STATE: ACTIVE -> CLOSED (admin)");
    }
}
