package fr.mssante.operator.documents.filing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The DMP filing policy's precedence, one test per case: the levels are {@link FilingScope#PRECEDENCE} (mailbox, then
 * domain, then nothing is filed), decided in Java, whatever order the database returns the rows in.
 */
class DmpFilingPolicyTest {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static EmbeddedPostgres postgres;
    private DmpFilingPolicy policy;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    @BeforeEach
    void database() throws Exception {
        String name = "filing_" + COUNTER.incrementAndGet();
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
        DataSource dataSource = postgres.getDatabase("postgres", name);
        // only this module's migration: the policy table is the documents library's
        Flyway.configure().dataSource(dataSource).schemas("mss").createSchemas(true).locations("classpath:db/migration/mss")
            .load().migrate();
        policy = new DmpFilingPolicy(dataSource);
    }

    @Test
    void noRuleAtAnyLevelFilesNothing() throws Exception {
        assertThat(policy.ruleFor("labo@bio.example")).isEqualTo(FilingRule.NONE);
    }

    @Test
    void theDomainRuleAppliesToAMailboxWithoutItsOwn() throws Exception {
        policy.set("DOMAIN", "bio.example", FilingRule.CR_BIO);

        assertThat(policy.ruleFor("labo@bio.example")).isEqualTo(FilingRule.CR_BIO);
        assertThat(policy.ruleFor("labo@other.example")).isEqualTo(FilingRule.NONE);
    }

    @Test
    void theMailboxRuleAppliesAlone() throws Exception {
        policy.set("MAILBOX", "labo@bio.example", FilingRule.ALL_CDA);

        assertThat(policy.ruleFor("labo@bio.example")).isEqualTo(FilingRule.ALL_CDA);
        assertThat(policy.ruleFor("other@bio.example")).isEqualTo(FilingRule.NONE);
    }

    @Test
    void theMailboxRuleOverridesItsDomainsRule() throws Exception {
        policy.set("DOMAIN", "bio.example", FilingRule.ALL_CDA);
        policy.set("MAILBOX", "labo@bio.example", FilingRule.CR_BIO);

        assertThat(policy.ruleFor("labo@bio.example")).isEqualTo(FilingRule.CR_BIO);
        assertThat(policy.ruleFor("other@bio.example")).isEqualTo(FilingRule.ALL_CDA);
    }

    @Test
    void aMailboxRuleOfNoneOverridesAFilingDomain() throws Exception {
        policy.set("DOMAIN", "bio.example", FilingRule.ALL_CDA);
        policy.set("MAILBOX", "labo@bio.example", FilingRule.NONE);

        assertThat(policy.ruleFor("labo@bio.example")).isEqualTo(FilingRule.NONE);
    }

    @Test
    void removingTheMailboxRuleFallsBackToTheDomain() throws Exception {
        policy.set("DOMAIN", "bio.example", FilingRule.CR_BIO);
        policy.set("MAILBOX", "labo@bio.example", FilingRule.ALL_CDA);

        assertThat(policy.remove("mailbox", "Labo@Bio.example")).isTrue();
        assertThat(policy.ruleFor("labo@bio.example")).isEqualTo(FilingRule.CR_BIO);
    }

    @Test
    void addressesAndScopesAreCaseInsensitive() throws Exception {
        policy.set("mailbox", " Labo@BIO.example ", FilingRule.CR_BIO);

        assertThat(policy.ruleFor("LABO@bio.EXAMPLE")).isEqualTo(FilingRule.CR_BIO);
        assertThat(policy.all()).containsExactly(Map.entry("MAILBOX labo@bio.example", FilingRule.CR_BIO));
    }

    @Test
    void anUnknownScopeIsRefused() {
        assertThatThrownBy(() -> policy.set("OPERATOR", "", FilingRule.ALL_CDA)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("MAILBOX or DOMAIN");
    }

    @Test
    void theLevelsAreExplicitNotAlphabetical() {
        // whatever order the rows come in, the mailbox level decides first
        assertThat(FilingScope.PRECEDENCE).containsExactly(FilingScope.MAILBOX, FilingScope.DOMAIN);
        assertThat(DmpFilingPolicy.decide(Map.of(FilingScope.DOMAIN, FilingRule.ALL_CDA, FilingScope.MAILBOX, FilingRule.NONE)))
            .isEqualTo(FilingRule.NONE);
        assertThat(DmpFilingPolicy.decide(Map.of(FilingScope.DOMAIN, FilingRule.CR_BIO))).isEqualTo(FilingRule.CR_BIO);
        assertThat(DmpFilingPolicy.decide(Map.of())).isEqualTo(FilingRule.NONE);
    }
}
