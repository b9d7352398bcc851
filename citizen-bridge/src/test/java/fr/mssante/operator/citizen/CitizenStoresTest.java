package fr.mssante.operator.citizen;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import fr.mssante.operator.database.DatabaseSettings;
import fr.mssante.operator.database.MssDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/** The citizen register, the login codes and the conversations on a real PostgreSQL with the real migrations. */
class CitizenStoresTest {
    private static final String DOMAIN = "patient.mss.test";
    private static final Instant START = Instant.parse("2026-12-07T09:00:00Z");

    private static EmbeddedPostgres postgres;
    private static MssDatabase database;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        database = MssDatabase.open(new DatabaseSettings(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "", true), 2);
    }

    @AfterAll
    static void stop() throws Exception {
        database.close();
        postgres.close();
    }

    @Test
    void aCitizenIsRegisteredOnceAndItsSpaceClosesOnce() throws Exception {
        CitizenRegister register = new CitizenRegister(database.dataSource(), Clock.fixed(START, ZoneOffset.UTC));
        Ins ins = Ins.parse("146026322000196").orElseThrow();

        assertThat(register.registerIfAbsent(ins, DOMAIN, "Jean Lefèvre", " Jean.Lefevre@Example.test ")).isTrue();
        assertThat(register.registerIfAbsent(ins, DOMAIN, "Another name", "other@example.test")).as("left as it is").isFalse();
        Citizen citizen = register.find(ins).orElseThrow();
        assertThat(citizen).isEqualTo(new Citizen(ins.value(), ins.address(DOMAIN), "Jean Lefèvre", "jean.lefevre@example.test",
            Citizen.State.OPEN));
        assertThat(register.findByAddress(ins.address(DOMAIN).toUpperCase())).contains(citizen);

        assertThat(register.close(ins, START.plusSeconds(60))).isTrue();
        assertThat(register.close(ins, START.plusSeconds(120))).as("already closed").isFalse();
        assertThat(register.find(ins).orElseThrow().state()).isEqualTo(Citizen.State.CLOSED);
        assertThat(register.registerIfAbsent(ins, DOMAIN, "Jean Lefèvre", "jean.lefevre@example.test"))
            .as("a closed space stays closed").isFalse();
        assertThat(register.all()).extracting(Citizen::ins).contains(ins.value());
    }

    @Test
    void aLoginCodeIsValidOnceWithinItsValidityAndFewAttempts() throws Exception {
        SettableClock clock = new SettableClock(START);
        Ins ins = Ins.parse("285057511223391").orElseThrow();
        new CitizenRegister(database.dataSource(), clock).registerIfAbsent(ins, DOMAIN, "Camille Dubois", "camille@example.test");
        LoginCodes codes = new LoginCodes(database.dataSource(), clock);

        String code = codes.issue(ins).orElseThrow();
        assertThat(code).matches("\\d{6}");
        assertThat(codes.issue(ins)).as("a new code at most every minute").isEmpty();
        assertThat(codes.verify(ins, wrong(code))).isEqualTo(new LoginCodes.Verdict.Invalid(LoginCodes.ATTEMPTS - 1));
        assertThat(codes.verify(ins, code)).isEqualTo(new LoginCodes.Verdict.Valid());
        assertThat(codes.verify(ins, code)).as("used").isEqualTo(new LoginCodes.Verdict.Invalid(0));

        clock.advance(LoginCodes.REISSUE_AFTER);
        String expiring = codes.issue(ins).orElseThrow();
        clock.advance(LoginCodes.VALIDITY.plusSeconds(1));
        assertThat(codes.verify(ins, expiring)).as("expired").isEqualTo(new LoginCodes.Verdict.Invalid(0));

        String guessed = codes.issue(ins).orElseThrow();
        for (int attempt = 1; attempt <= LoginCodes.ATTEMPTS; attempt++) {
            assertThat(codes.verify(ins, wrong(guessed))).isEqualTo(new LoginCodes.Verdict.Invalid(LoginCodes.ATTEMPTS - attempt));
        }
        assertThat(codes.verify(ins, guessed)).as("no attempt left").isEqualTo(new LoginCodes.Verdict.Locked());
    }

    @Test
    void conversationsFollowReferencesRepliesAndFin() {
        PostgresConversations conversations = new PostgresConversations(database.dataSource());
        String citizen = Ins.parse("291091305501271").orElseThrow().address(DOMAIN);
        String doctor = "dr.martin@op.test";

        conversations.recordSent(citizen, doctor, Optional.of("secretariat@op.test"), "<m1@op.test>", List.of(), false, START);
        conversations.recordReply(citizen, doctor, "<r1@citizen>", List.of("<m1@op.test>"), START.plusSeconds(60));
        conversations.recordSent(citizen, doctor, Optional.empty(), "<m2@op.test>", List.of("<r1@citizen>"), true, START.plusSeconds(120));

        List<ConversationStore.SentMessage> sent = conversations.sentTo(citizen, List.of("<m1@op.test>", "<m2@op.test>", "<other>"));
        assertThat(sent).extracting(ConversationStore.SentMessage::messageId).containsExactlyInAnyOrder("<m1@op.test>", "<m2@op.test>");
        assertThat(sent).extracting(ConversationStore.SentMessage::threadId).containsOnly("<m1@op.test>");
        assertThat(sent).allMatch(ConversationStore.SentMessage::ended);
        assertThat(sent).filteredOn(message -> message.messageId().equals("<m1@op.test>")).singleElement()
            .satisfies(message -> assertThat(message.answeredBy("SECRETARIAT@op.test")).isTrue());
        assertThat(conversations.lastMessage(doctor, citizen)).as("the citizen's reply does not count")
            .contains(START.plusSeconds(120));
        assertThat(conversations.lastMessage("nobody@op.test", citizen)).isEmpty();
        assertThat(conversations.sentTo(citizen, List.of())).isEmpty();
    }

    private static String wrong(String code) {
        return code.equals("000000") ? "000001" : "000000";
    }

    /** A clock the test moves forward. */
    private static final class SettableClock extends Clock {
        private Instant now;

        SettableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
