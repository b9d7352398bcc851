package fr.mssante.operator.directory.publication;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Clock;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.mssante.operator.vocabulary.MailboxKind;
import fr.mssante.operator.vocabulary.MailboxState;

class DepublicationTest {

    /** 11:00 in Paris. */
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private final Depublication depublication = new Depublication(UnusedMailboxPolicy.defaults(),
        Clock.fixed(NOW, ZoneOffset.UTC));

    private static PublishedMailbox mailbox(String address, Instant created, Instant lastActivity, MailboxState state,
                                            boolean depublished) {
        return new PublishedMailbox(address, MailboxKind.PER, "810001234567", null, null, null, null, false, 1, state,
            depublished, created, lastActivity);
    }

    private static PublishedMailbox used(String address, String lastActivity) {
        return mailbox(address, Instant.parse("2020-01-01T00:00:00Z"), Instant.parse(lastActivity),
            MailboxState.ACTIVE, false);
    }

    @ParameterizedTest(name = "last activity {0}: unpublished {1}")
    @CsvSource({
        "2025-11-23T10:00:00Z, true",   // exactly 12 months
        "2025-11-23T10:00:01Z, false",  // one second short
        "2025-11-24T10:00:00Z, false",  // one day short
        "2025-11-22T10:00:00Z, true",   // one day more
        "2026-11-22T10:00:00Z, false",  // yesterday
        "2027-01-01T00:00:00Z, false"}) // in the future (clock skew): recent
    void aMailboxIsUnusedTwelveCalendarMonthsAfterItsLastActivity(String lastActivity, boolean unpublished) {
        List<DepublicationDecision> decisions = depublication.decide(List.of(used("x@medecin.mssante.fr", lastActivity)));

        assertThat(decisions).hasSize(unpublished ? 1 : 0);
        if (unpublished) {
            assertThat(decisions.get(0)).isEqualTo(new DepublicationDecision("x@medecin.mssante.fr",
                DepublicationDecision.Reason.UNUSED, Instant.parse(lastActivity), Instant.parse(lastActivity)));
        }
    }

    @Test
    void aNeverUsedMailboxCountsFromItsCreation() {
        Instant twelveMonths = Instant.parse("2025-11-23T10:00:00Z");
        List<DepublicationDecision> decisions = depublication.decide(List.of(
            mailbox("never@medecin.mssante.fr", twelveMonths, null, MailboxState.ACTIVE, false),
            mailbox("new@medecin.mssante.fr", Instant.parse("2025-11-24T10:00:00Z"), null, MailboxState.ACTIVE, false)));

        assertThat(decisions).containsExactly(new DepublicationDecision("never@medecin.mssante.fr",
            DepublicationDecision.Reason.NEVER_USED, null, twelveMonths));
    }

    @Test
    void onlyPublishedMailboxesAreConsideredAndTheOldestComeFirst() {
        Instant old = Instant.parse("2020-01-01T00:00:00Z");
        List<DepublicationDecision> decisions = depublication.decide(List.of(
            used("b@medecin.mssante.fr", "2024-05-01T00:00:00Z"),
            used("a@medecin.mssante.fr", "2023-05-01T00:00:00Z"),
            mailbox("closed@medecin.mssante.fr", old, old, MailboxState.CLOSED, false),
            mailbox("suspended@medecin.mssante.fr", old, old, MailboxState.SUSPENDED, false),
            mailbox("done@medecin.mssante.fr", old, old, MailboxState.ACTIVE, true)));

        assertThat(decisions).extracting(DepublicationDecision::address)
            .containsExactly("a@medecin.mssante.fr", "b@medecin.mssante.fr");
    }

    @Test
    void thePeriodComesFromTheEnvironmentAndMonthsAreCalendarMonthsInParis() throws Exception {
        UnusedMailboxPolicy sixMonths = UnusedMailboxPolicy.fromEnvironment(Map.of(UnusedMailboxPolicy.SETTING, "P6M"));
        assertThat(sixMonths.unusedFor()).isEqualTo(Period.ofMonths(6));
        assertThat(UnusedMailboxPolicy.fromEnvironment(Map.of())).isEqualTo(UnusedMailboxPolicy.defaults());
        assertThatThrownBy(() -> UnusedMailboxPolicy.fromEnvironment(Map.of(UnusedMailboxPolicy.SETTING, "12 months")))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("P12M");
        assertThatThrownBy(() -> new UnusedMailboxPolicy(Period.ZERO, UnusedMailboxPolicy.PARIS))
            .isInstanceOf(IllegalArgumentException.class);

        // 31 May + 6 months = 30 November (end of month clamps), 00:30 Paris = 23:30 UTC the day before
        Depublication d = new Depublication(sixMonths, Clock.fixed(Instant.parse("2026-11-29T23:30:00Z"), ZoneOffset.UTC));
        assertThat(d.decide(List.of(used("m@medecin.mssante.fr", "2026-05-30T22:30:00Z")))).hasSize(1);
        assertThat(d.decide(List.of(used("m@medecin.mssante.fr", "2026-05-30T22:30:01Z")))).isEmpty();
        assertThat(d.decide(() -> List.of(used("m@medecin.mssante.fr", "2026-01-01T00:00:00Z")))).hasSize(1);
    }
}
