package fr.mssante.operator.authentication;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import fr.mssante.operator.audit.AuditJournal;
import fr.mssante.operator.audit.PatientAddresses;
import fr.mssante.operator.database.DatabaseSettings;
import fr.mssante.operator.database.MssDatabase;
import fr.mssante.operator.register.AccessRole;
import fr.mssante.operator.vocabulary.MailboxKind;
import fr.mssante.operator.register.MailboxRecord;
import fr.mssante.operator.register.MailboxRegistry;
import fr.mssante.operator.vocabulary.MailboxState;
import fr.mssante.operator.smime.keystore.MasterKey;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import fr.mssante.operator.testsupport.MutableClock;

/** Access decisions, the brute-force throttle, TOTP storage and dépublication on a real PostgreSQL. */
class RegisterDecisionsTest {
    private static EmbeddedPostgres postgres;
    private static MssDatabase database;
    private static MailboxRegistry registry;
    private static MailboxAccess access;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        database = MssDatabase.open(new DatabaseSettings(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "", true), 2);
        registry = new MailboxRegistry(database.dataSource(), java.time.Clock.systemUTC());
        access = new MailboxAccess(database.dataSource(), Clock.systemUTC());
        create("dr.a@op.test", MailboxKind.PER, "810000000001", Optional.of(2));
        create("dr.a.bis@op.test", MailboxKind.PER, "810000000001", Optional.of(1));
        create("cab@op.test", MailboxKind.CAB, "810000000001", Optional.empty());
        create("dr.b@op.test", MailboxKind.PER, "810000000002", Optional.empty());
        registry.grant("cab@op.test", "810000000002", AccessRole.CO_HOLDER, "test");
        registry.grant("dr.a@op.test", "0750000003", AccessRole.DELEGATE_READ, "test");
    }

    private static void create(String address, MailboxKind kind, String holder, Optional<Integer> rank) throws Exception {
        registry.create(new MailboxRecord(address, kind, holder, Optional.empty(), Optional.empty(), false, rank,
            MailboxState.ACTIVE, Instant.now(), Optional.empty()), "test");
    }

    @AfterAll
    static void stop() throws Exception {
        database.close();
        postgres.close();
    }

    @Test
    void decisionsFollowTheRegister() throws Exception {
        assertThat(access.resolve("810000000001", Optional.empty(), Purpose.SEND))
            .as("personal first, then the preferred rank").isEqualTo(new MailboxAccess.Decision.Allowed("dr.a.bis@op.test", AccessRole.HOLDER));
        assertThat(access.resolve("810000000002", Optional.of("CAB@op.test"), Purpose.SEND))
            .isEqualTo(new MailboxAccess.Decision.Allowed("cab@op.test", AccessRole.CO_HOLDER));
        assertThat(access.resolve("0750000003", Optional.of("dr.a@op.test"), Purpose.READ))
            .isEqualTo(new MailboxAccess.Decision.Allowed("dr.a@op.test", AccessRole.DELEGATE_READ));
        assertThat(access.resolve("0750000003", Optional.of("dr.a@op.test"), Purpose.SEND))
            .isInstanceOf(MailboxAccess.Decision.Refused.class);
        assertThat(access.resolve("810000000002", Optional.of("dr.a@op.test"), Purpose.READ))
            .isInstanceOf(MailboxAccess.Decision.Refused.class);
        assertThat(access.resolve("0750000003", Optional.empty(), Purpose.READ)).isInstanceOf(MailboxAccess.Decision.Refused.class);

        registry.changeState("dr.b@op.test", MailboxState.SUSPENDED, "test");
        assertThat(access.resolve("810000000002", Optional.of("dr.b@op.test"), Purpose.READ))
            .isEqualTo(new MailboxAccess.Decision.Refused("mailbox dr.b@op.test is suspended"));
    }

    @Test
    void everyStandingGetsExactlyTheRightsItsRoleGives() throws Exception {
        create("share@op.test", MailboxKind.ORG, "130000077", Optional.empty());
        registry.grant("share@op.test", "810000000070", AccessRole.CO_HOLDER, "test");
        registry.grant("share@op.test", "810000000071", AccessRole.DELEGATE_SEND, "test");
        registry.grant("share@op.test", "810000000072", AccessRole.DELEGATE_READ, "test");
        Map<String, AccessRole> standings = Map.of("130000077", AccessRole.HOLDER, "810000000070", AccessRole.CO_HOLDER,
            "810000000071", AccessRole.DELEGATE_SEND, "810000000072", AccessRole.DELEGATE_READ);
        for (Map.Entry<String, AccessRole> standing : standings.entrySet()) {
            for (Purpose purpose : Purpose.values()) {
                boolean granted = purpose == Purpose.READ ? standing.getValue().mayRead() : standing.getValue().maySend();
                assertThat(access.decide(standing.getKey(), "share@op.test", purpose))
                    .as("%s for %s", standing.getValue(), purpose)
                    .isEqualTo(granted ? new MailboxAccess.Decision.Allowed("share@op.test", standing.getValue())
                        : new MailboxAccess.Decision.Refused("as " + standing.getValue() + " of share@op.test, may not send from it"));
            }
        }
        assertThat(access.decide("810000000072", "share@op.test", Purpose.SEND))
            .as("the one refusal of the table").isInstanceOf(MailboxAccess.Decision.Refused.class);
        assertThat(access.decide("810000000079", "share@op.test", Purpose.READ))
            .isEqualTo(new MailboxAccess.Decision.Refused("neither holder, co-holder nor delegate of share@op.test"));

        registry.grant("share@op.test", "130000077", AccessRole.DELEGATE_READ, "test");
        assertThat(access.decide("130000077", "share@op.test", Purpose.SEND))
            .as("a holder also granted a weaker role still acts as the holder")
            .isEqualTo(new MailboxAccess.Decision.Allowed("share@op.test", AccessRole.HOLDER));

        registry.changeState("share@op.test", MailboxState.CLOSED, "test");
        for (String identity : standings.keySet()) {
            assertThat(access.decide(identity, "share@op.test", Purpose.READ))
                .isEqualTo(new MailboxAccess.Decision.Refused("mailbox share@op.test is closed"));
        }
    }

    @Test
    void aSessionOpenedByAReadingDelegateMayNotModifyTheMailbox() {
        Authentication authentication = authentication(new CountingPasswords(Map.of()));
        AuthenticatedPrincipal delegate = new AuthenticatedPrincipal.Person("0750000003", AuthenticatedPrincipal.Proof.ACCESS_TOKEN);
        Authentication.Outcome reading = authentication.loginAs("IMAP", "XOAUTH2", delegate, "dr.a@op.test", Purpose.READ, "192.0.2.9");
        assertThat(reading.success()).isTrue();
        assertThat(reading.role()).contains(AccessRole.DELEGATE_READ);
        assertThat(reading.reason()).as("the audit label").isEqualTo("delegate_read");
        assertThat(reading.mayModify()).isFalse();

        AuthenticatedPrincipal coHolder = new AuthenticatedPrincipal.Person("810000000002", AuthenticatedPrincipal.Proof.ACCESS_TOKEN);
        Authentication.Outcome sharing = authentication.loginAs("IMAP", "XOAUTH2", coHolder, "cab@op.test", Purpose.READ, "192.0.2.9");
        assertThat(sharing.role()).contains(AccessRole.CO_HOLDER);
        assertThat(sharing.mayModify()).isTrue();

        Authentication.Outcome sending = authentication.loginAs("SMTP", "XOAUTH2", delegate, "dr.a@op.test", Purpose.SEND, "192.0.2.9");
        assertThat(sending.success()).isFalse();
        assertThat(sending.reason()).isEqualTo("as DELEGATE_READ of dr.a@op.test, may not send from it");
    }

    @Test
    void theThrottleCountersAreSharedThroughPostgresql() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-07T10:00:00Z"));
        LoginThrottle throttle = new LoginThrottle(new PostgresThrottleStore(database.dataSource()), new LoginThrottle.Settings(
            new LoginThrottle.Backoff(2, Duration.ofSeconds(10), Duration.ofMinutes(15)),
            new LoginThrottle.Backoff(3, Duration.ofSeconds(10), Duration.ofMinutes(15)), Duration.ofHours(1)), clock);
        assertThat(throttle.failed("192.0.2.7", "u@op.test")).isEmpty();
        assertThat(throttle.failed("192.0.2.7", "U@op.test")).isEmpty();
        assertThat(throttle.failed("192.0.2.7", "u@op.test")).isPresent().get()
            .extracting(LoginThrottle.Block::until).isEqualTo(clock.instant().plusSeconds(10));
        assertThat(throttle.blocked("192.0.2.7", "u@op.test")).isPresent();
        assertThat(throttle.blocked("192.0.2.8", "u@op.test")).as("another client address").isEmpty();
        assertThat(throttle.failed("192.0.2.7", "v@op.test")).as("fourth failure from this address").isPresent();
        assertThat(throttle.blocked("192.0.2.7", "w@op.test")).isPresent();
        throttle.unlockSource("192.0.2.7");
        assertThat(throttle.blocked("192.0.2.7", "w@op.test")).isEmpty();
        assertThat(throttle.blocked("192.0.2.7", "u@op.test")).isEmpty();
        throttle.failed("192.0.2.9", "u@op.test");
        throttle.failed("192.0.2.9", "u@op.test");
        throttle.failed("192.0.2.9", "u@op.test");
        throttle.unlock("u@op.test");
        assertThat(throttle.blocked("192.0.2.9", "u@op.test")).isEmpty();
        clock.advance(Duration.ofHours(2));
        assertThat(throttle.failed("192.0.2.9", "x@op.test")).isEmpty();
    }

    @Test
    void aMailboxPasswordOpensAndSendsFromThatMailboxOnlyAndATokenCarriesThePersonsRights() throws Exception {
        CountingPasswords passwords = new CountingPasswords(java.util.Map.of("cab@op.test", "cab-secret", "dr.a@op.test", "a-secret"));
        Authentication authentication = authentication(passwords);

        Authentication.Outcome cab = authentication.password("IMAP", "PASSWORD", "cab@op.test", "cab-secret", "192.0.2.1");
        assertThat(cab.success()).isTrue();
        AuthenticatedPrincipal practicePassword = cab.principal().orElseThrow();
        assertThat(practicePassword).isEqualTo(new AuthenticatedPrincipal.MailboxCredential("cab@op.test",
            AuthenticatedPrincipal.Proof.PASSWORD));
        assertThat(authentication.loginAs("IMAP", "PLAIN-AUTHZID", practicePassword, "dr.a@op.test", Purpose.READ, "192.0.2.1").success())
            .as("the practice password does not open its holder's personal mailbox").isFalse();
        assertThat(authentication.loginAs("IMAP", "PLAIN-AUTHZID", practicePassword, "dr.a.bis@op.test", Purpose.READ, null).success())
            .isFalse();
        assertThat(authentication.loginAs("IMAP", "PLAIN-AUTHZID", practicePassword, "CAB@op.test", Purpose.READ, null).success())
            .isTrue();
        assertThat(authentication.sendRefusal(practicePassword, "cab@op.test", "dr.a@op.test")).isPresent().get().asString()
            .contains("opens that mailbox only");
        assertThat(authentication.sendRefusal(practicePassword, "cab@op.test", "cab@op.test")).isEmpty();

        AuthenticatedPrincipal holder = new AuthenticatedPrincipal.Person("810000000001", AuthenticatedPrincipal.Proof.ACCESS_TOKEN);
        assertThat(authentication.sendRefusal(holder, "dr.a@op.test", "cab@op.test")).as("the holder, by token").isEmpty();
        assertThat(authentication.loginAs("IMAP", "XOAUTH2", holder, "dr.a.bis@op.test", Purpose.READ, null).success()).isTrue();
        AuthenticatedPrincipal coHolder = new AuthenticatedPrincipal.Person("810000000002", AuthenticatedPrincipal.Proof.ACCESS_TOKEN);
        assertThat(authentication.sendRefusal(coHolder, "dr.b@op.test", "cab@op.test")).isEmpty();
        assertThat(authentication.sendRefusal(coHolder, "dr.b@op.test", "dr.a@op.test")).isPresent();
    }

    @Test
    void everyPasswordAttemptDoesTheSameHashWorkKnownOrNot() throws Exception {
        create("gone@op.test", MailboxKind.PER, "810000000009", Optional.empty());
        registry.changeState("gone@op.test", MailboxState.SUSPENDED, "test");
        create("nopassword@op.test", MailboxKind.PER, "810000000010", Optional.empty());
        access.setPasswordPolicy("nopassword@op.test", Optional.of(PasswordPolicy.DISABLED));
        CountingPasswords passwords = new CountingPasswords(java.util.Map.of("dr.a@op.test", "a-secret", "gone@op.test", "g-secret",
            "nopassword@op.test", "n-secret"));
        Authentication authentication = authentication(passwords);
        String[][] attempts = {
            {"dr.a@op.test", "a-secret"}, {"dr.a@op.test", "wrong"}, {"nobody@op.test", "whatever"}, {"gone@op.test", "g-secret"},
            {"nopassword@op.test", "n-secret"}, {"", ""}};
        for (String[] attempt : attempts) {
            int before = passwords.hashes;
            authentication.password("SMTP", "PLAIN", attempt[0], attempt[1], "192.0.2.44");
            assertThat(passwords.hashes - before).as("hash computations for login '%s'", attempt[0]).isEqualTo(1);
        }
        assertThat(passwords.dummyHashes).as("the unknown and the empty login were checked against the dummy hash").isEqualTo(2);
    }

    private static Authentication authentication(Authentication.PasswordChecker passwords) {
        return new Authentication(access, new AuthenticationLog(database.dataSource(), testJournal()),
            new LoginThrottle(new InMemoryThrottleStore(), LoginThrottle.Settings.DEFAULT, Clock.systemUTC()), Optional.empty(),
            Optional.empty(), passwords, chain -> Optional.empty(), PasswordPolicy.PASSWORD, Clock.systemUTC());
    }

    private static AuditJournal testJournal() {
        return new AuditJournal(database.dataSource(),
            PatientAddresses.withKey("test-only-audit-key-32-bytes-long!".getBytes(StandardCharsets.US_ASCII)), Clock.systemUTC());
    }

    /** A user store whose "hashing" is counted (no timing: the same work is asserted by counting it). */
    static final class CountingPasswords implements Authentication.PasswordChecker {
        private final java.util.Map<String, String> passwords;
        int hashes;
        int dummyHashes;

        CountingPasswords(java.util.Map<String, String> passwords) {
            this.passwords = passwords;
        }

        @Override
        public Optional<Authentication.StoredPassword> find(String login) {
            return Optional.ofNullable(passwords.get(login)).map(stored -> candidate -> {
                hashes++;
                return stored.equals(candidate);
            });
        }

        @Override
        public Authentication.StoredPassword dummy() {
            return candidate -> {
                hashes++;
                dummyHashes++;
                return false;
            };
        }
    }

    @Test
    void totpSecretsAreSealedAndCodesUsedOnce() throws Exception {
        TotpStore store = new TotpStore(database.dataSource(), MasterKey.random());
        store.enrol("dr.a@op.test");
        byte[] secret = store.secret("dr.a@op.test");
        Instant now = Instant.now();
        String code = Totp.codeAt(secret, now);
        assertThat(store.verify("dr.a@op.test", code, now)).isTrue();
        assertThat(store.verify("dr.a@op.test", code, now)).isFalse();
        assertThat(store.verify("dr.b@op.test", code, now)).isFalse();
    }

    @Test
    void depublicationIsAuditedAndIdempotent() throws Exception {
        assertThat(registry.unpublish("dr.b@op.test", "no activity for 12 months", "depublication")).isTrue();
        assertThat(registry.unpublish("dr.b@op.test", "no activity for 12 months", "depublication")).isFalse();
        assertThat(registry.history("dr.b@op.test")).contains("UNPUBLISHED: no activity for 12 months (depublication)");
        assertThat(registry.republish("dr.b@op.test", "ops")).isTrue();
        assertThat(registry.history("dr.b@op.test")).contains("REPUBLISHED:  (ops)");
    }
}
