package fr.mssante.operator.extensions.authentication;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import fr.mssante.operator.extensions.database.DatabaseSettings;
import fr.mssante.operator.extensions.database.MssDatabase;
import fr.mssante.operator.extensions.mailbox.AccessRole;
import fr.mssante.operator.extensions.mailbox.MailboxKind;
import fr.mssante.operator.extensions.mailbox.MailboxRecord;
import fr.mssante.operator.extensions.mailbox.MailboxRegistry;
import fr.mssante.operator.extensions.mailbox.MailboxState;
import fr.mssante.operator.smime.keystore.MasterKey;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

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
        registry = new MailboxRegistry(database.dataSource());
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
            .as("personal first, then the preferred rank").isEqualTo(new MailboxAccess.Decision.Allowed("dr.a.bis@op.test", "HOLDER"));
        assertThat(access.resolve("810000000002", Optional.of("CAB@op.test"), Purpose.SEND))
            .isEqualTo(new MailboxAccess.Decision.Allowed("cab@op.test", "CO_HOLDER"));
        assertThat(access.resolve("0750000003", Optional.of("dr.a@op.test"), Purpose.READ))
            .isEqualTo(new MailboxAccess.Decision.Allowed("dr.a@op.test", "DELEGATE_READ"));
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
    void theThrottleLocksAfterTheThresholdWithinTheWindowOnly() throws Exception {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-23T10:00:00Z"));
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        LoginThrottle throttle = new LoginThrottle(database.dataSource(), new LoginThrottle.Settings(3, Duration.ofMinutes(1),
            Duration.ofMinutes(15)), clock);
        assertThat(throttle.failed("u@op.test")).isFalse();
        assertThat(throttle.failed("U@op.test")).isFalse();
        now.set(now.get().plusSeconds(61));
        assertThat(throttle.failed("u@op.test")).as("the window restarted").isFalse();
        assertThat(throttle.failed("u@op.test")).isFalse();
        assertThat(throttle.failed("u@op.test")).as("third failure within a minute").isTrue();
        assertThat(throttle.lockedUntil("u@op.test")).contains(now.get().plus(Duration.ofMinutes(15)));
        now.set(now.get().plus(Duration.ofMinutes(15)).plusSeconds(1));
        assertThat(throttle.lockedUntil("u@op.test")).isEmpty();
        throttle.failed("v@op.test");
        throttle.succeeded("v@op.test");
        assertThat(throttle.failed("v@op.test")).isFalse();
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
