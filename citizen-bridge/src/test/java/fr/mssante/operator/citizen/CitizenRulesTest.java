package fr.mssante.operator.citizen;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import fr.mssante.operator.citizen.CitizenRules.SpaceState;

import fr.mssante.operator.testsupport.MutableClock;
import fr.mssante.operator.vocabulary.MailboxKind;

class CitizenRulesTest {
    static final String CITIZEN = "146026322000196@patient.mss.test";
    static final String DOCTOR = "alice.martin@demo.mss.test";
    static final String PHARMACY = "pharmacie.centrale@demo.mss.test";

    MutableClock clock;
    CitizenRules rules;

    @BeforeEach
    void rules() {
        clock = new MutableClock(Instant.parse("2026-12-07T08:00:00Z"));
        rules = new CitizenRules(new CitizenRules.Settings(Set.of(PHARMACY), Duration.ofDays(30), CitizenRules.MAX_SIZE),
            new InMemoryConversations(), clock);
    }

    @Test
    void onlyProfessionalMailboxesStartAConversation() {
        for (MailboxKind kind : MailboxKind.values()) {
            assertThat(rules.toCitizen(SpaceState.OPEN, Optional.of(kind), 1000).reason()).isEqualTo(Reason.OK);
        }
        assertThat(rules.toCitizen(SpaceState.OPEN, Optional.empty(), 1000).reason()).isEqualTo(Reason.NOT_A_PROFESSIONAL);
        assertThat(rules.toCitizen(SpaceState.NOT_SERVED_HERE, Optional.of(MailboxKind.PER), 1000).allowed()).isTrue();
    }

    @Test
    void closedOrUnknownSpacesAndSizeAreRefused() {
        assertThat(rules.toCitizen(SpaceState.CLOSED, Optional.of(MailboxKind.PER), 1).reason()).isEqualTo(Reason.SPACE_CLOSED);
        assertThat(rules.toCitizen(SpaceState.UNKNOWN, Optional.of(MailboxKind.PER), 1).reason()).isEqualTo(Reason.UNKNOWN_CITIZEN);
        assertThat(rules.toCitizen(SpaceState.OPEN, Optional.of(MailboxKind.PER), CitizenRules.MAX_SIZE).allowed()).isTrue();
        assertThat(rules.toCitizen(SpaceState.OPEN, Optional.of(MailboxKind.PER), CitizenRules.MAX_SIZE + 1).reason())
            .isEqualTo(Reason.TOO_LARGE);
        assertThat(rules.fromCitizen(CITIZEN, SpaceState.OPEN, DOCTOR, List.of(), CitizenRules.MAX_SIZE + 1).reason())
            .isEqualTo(Reason.TOO_LARGE);
        assertThat(rules.fromCitizen(CITIZEN, SpaceState.CLOSED, DOCTOR, List.of(), 1).reason()).isEqualTo(Reason.SPACE_CLOSED);
    }

    @Test
    void aCitizenRepliesOnlyInsideAConversationOfThatProfessional() {
        assertThat(rules.fromCitizen(CITIZEN, SpaceState.OPEN, DOCTOR, List.of(), 10).reason()).isEqualTo(Reason.NO_CONVERSATION);
        rules.recordSent(CITIZEN, DOCTOR, Optional.empty(), "<m1@demo.mss.test>", List.of(), false);
        assertThat(rules.fromCitizen(CITIZEN, SpaceState.OPEN, DOCTOR, List.of("m1@demo.mss.test"), 10).reason()).isEqualTo(Reason.OK);
        // another professional, another citizen, an unknown id: no conversation
        assertThat(rules.fromCitizen(CITIZEN, SpaceState.OPEN, "bruno.durand@demo.mss.test", List.of("m1@demo.mss.test"), 10).reason())
            .isEqualTo(Reason.NO_CONVERSATION);
        assertThat(rules.fromCitizen("285057511223391@patient.mss.test", SpaceState.OPEN, DOCTOR, List.of("m1@demo.mss.test"), 10)
            .reason()).isEqualTo(Reason.NO_CONVERSATION);
        assertThat(rules.fromCitizen(CITIZEN, SpaceState.OPEN, DOCTOR, List.of("other@demo.mss.test"), 10).reason())
            .isEqualTo(Reason.NO_CONVERSATION);
    }

    @Test
    void theReplyToAddressMayBeAnswered() {
        rules.recordSent(CITIZEN, DOCTOR, Optional.of("secretariat.cabinet-sante@demo.mss.test"), "m1@x", List.of(), false);
        assertThat(rules.replyPermission(CITIZEN, "secretariat.cabinet-sante@demo.mss.test", List.of("m1@x")).allowed()).isTrue();
    }

    @Test
    void finEndsTheWholeConversationHeaderOrSubject() {
        rules.recordSent(CITIZEN, DOCTOR, Optional.empty(), "m1@x", List.of(), false);
        rules.recordSent(CITIZEN, DOCTOR, Optional.empty(), "m2@x", List.of("m1@x"),
            CitizenRules.ends(Optional.of(" fin "), Optional.of("Résultats")));
        assertThat(rules.replyPermission(CITIZEN, DOCTOR, List.of("m1@x")).reason()).isEqualTo(Reason.CONVERSATION_ENDED);
        assertThat(rules.replyPermission(CITIZEN, DOCTOR, List.of("m2@x")).reason()).isEqualTo(Reason.CONVERSATION_ENDED);

        assertThat(CitizenRules.ends(Optional.empty(), Optional.of("[FIN] Résultats"))).isTrue();
        assertThat(CitizenRules.ends(Optional.empty(), Optional.of("  [fin] ok"))).isTrue();
        assertThat(CitizenRules.ends(Optional.empty(), Optional.of("Re: [FIN] Résultats"))).isFalse();
        assertThat(CitizenRules.ends(Optional.of("SUITE"), Optional.of("Fin du traitement"))).isFalse();
    }

    @Test
    void anAnswerNamingOnlyTheCitizensReplyStaysInTheConversationAndItsFinEndsIt() {
        rules.recordSent(CITIZEN, DOCTOR, Optional.empty(), "m1@x", List.of(), false);
        rules.recordReply(CITIZEN, DOCTOR, "<r1@patient>", List.of("m1@x"));
        rules.recordSent(CITIZEN, DOCTOR, Optional.empty(), "m2@x", List.of("r1@patient"), true);
        assertThat(rules.replyPermission(CITIZEN, DOCTOR, List.of("m1@x")).reason()).isEqualTo(Reason.CONVERSATION_ENDED);
        assertThat(rules.replyPermission(CITIZEN, DOCTOR, List.of("m2@x")).reason()).isEqualTo(Reason.CONVERSATION_ENDED);
        // a reply naming no conversation of that professional is not recorded
        rules.recordReply(CITIZEN, "bruno.durand@demo.mss.test", "r2@patient", List.of("m1@x"));
        assertThat(rules.replyPermission(CITIZEN, "bruno.durand@demo.mss.test", List.of("r2@patient")).reason())
            .isEqualTo(Reason.NO_CONVERSATION);
    }

    @Test
    void theCitizensOwnRepliesDoNotOpenThePharmacyWindow() {
        rules.recordSent(CITIZEN, PHARMACY, Optional.empty(), "p1@x", List.of(), false);
        clock.advance(Duration.ofDays(29));
        rules.recordReply(CITIZEN, PHARMACY, "r1@patient", List.of("p1@x"));
        clock.advance(Duration.ofDays(2));
        assertThat(rules.replyPermission(CITIZEN, PHARMACY, List.of()).reason()).isEqualTo(Reason.NO_CONVERSATION);
    }

    @Test
    void aNewConversationAfterFinIsOpen() {
        rules.recordSent(CITIZEN, DOCTOR, Optional.empty(), "m1@x", List.of(), true);
        rules.recordSent(CITIZEN, DOCTOR, Optional.empty(), "m3@x", List.of(), false);
        assertThat(rules.replyPermission(CITIZEN, DOCTOR, List.of("m3@x")).allowed()).isTrue();
        assertThat(rules.replyPermission(CITIZEN, DOCTOR, List.of("m1@x")).allowed()).isFalse();
    }

    @Test
    void aListedPharmacyMayBeWrittenToWithinItsWindow() {
        assertThat(rules.replyPermission(CITIZEN, PHARMACY, List.of()).reason()).isEqualTo(Reason.NO_CONVERSATION);
        rules.recordSent(CITIZEN, PHARMACY, Optional.empty(), "p1@x", List.of(), true);
        clock.advance(Duration.ofDays(30));
        assertThat(rules.replyPermission(CITIZEN, PHARMACY, List.of()).reason()).isEqualTo(Reason.PHARMACY_WINDOW);
        clock.advance(Duration.ofSeconds(1));
        assertThat(rules.replyPermission(CITIZEN, PHARMACY, List.of()).reason()).isEqualTo(Reason.NO_CONVERSATION);
        assertThat(rules.replyPermission(CITIZEN, PHARMACY, List.of("p1@x")).reason()).isEqualTo(Reason.CONVERSATION_ENDED);
        // a professional not listed as a pharmacy gets no window
        rules.recordSent(CITIZEN, DOCTOR, Optional.empty(), "d1@x", List.of(), true);
        assertThat(rules.replyPermission(CITIZEN, DOCTOR, List.of()).reason()).isEqualTo(Reason.NO_CONVERSATION);
    }

    @Test
    void theReplyButtonFollowsTheConversationItNames() {
        assertThat(rules.replyPermission(CITIZEN, SpaceState.OPEN, List.of("m1@x")).reason()).isEqualTo(Reason.NO_CONVERSATION);
        rules.recordSent(CITIZEN, DOCTOR, Optional.empty(), "m1@x", List.of(), false);
        assertThat(rules.replyPermission(CITIZEN, SpaceState.OPEN, List.of("m1@x")).reason()).isEqualTo(Reason.OK);
        assertThat(rules.replyPermission(CITIZEN, SpaceState.CLOSED, List.of("m1@x")).reason()).isEqualTo(Reason.SPACE_CLOSED);
        rules.recordSent(CITIZEN, DOCTOR, Optional.empty(), "m2@x", List.of("m1@x"), true);
        assertThat(rules.replyPermission(CITIZEN, SpaceState.OPEN, List.of("m1@x")).reason()).isEqualTo(Reason.CONVERSATION_ENDED);
        rules.recordSent(CITIZEN, PHARMACY, Optional.empty(), "p1@x", List.of(), true);
        assertThat(rules.replyPermission(CITIZEN, SpaceState.OPEN, List.of("p1@x")).reason()).isEqualTo(Reason.PHARMACY_WINDOW);
    }

    @Test
    void reasonsHaveStableCodesFrenchTextAndAsciiSmtpText() {
        for (Reason reason : Reason.values()) {
            assertThat(reason.smtpText()).matches("[245]\\.\\d\\.\\d \\[" + reason.name() + "\\] [\\x20-\\x7E]+");
            if (!reason.allows()) {
                assertThat(reason.french()).startsWith("message non distribué : ");
            }
        }
        assertThat(Reason.CONVERSATION_ENDED.smtpText())
            .isEqualTo("5.7.1 [CONVERSATION_ENDED] message non distribue : le professionnel de sante a clos cette conversation");
    }

    @Test
    void messageIdsAreReadFromInReplyToAndReferences() {
        assertThat(MessageIds.in("<a@x>", "<b@y>\r\n <a@x> <c@z>")).containsExactly("a@x", "b@y", "c@z");
        assertThat(MessageIds.bare("<a@x>")).isEqualTo("a@x");
    }

    @Test
    void citizenMailsCarryOnlyTheLink() {
        assertThat(CitizenMails.notification("http://127.0.0.1:18081/")).contains("http://127.0.0.1:18081/")
            .contains("Un professionnel de santé");
        assertThat(CitizenMails.loginCode("123456", 10, "http://h/")).contains("123456").contains("10 minutes");
    }
}
