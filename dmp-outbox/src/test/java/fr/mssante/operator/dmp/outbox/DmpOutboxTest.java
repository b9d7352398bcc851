package fr.mssante.operator.dmp.outbox;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

import fr.mssante.operator.testsupport.MutableClock;

class DmpOutboxTest {
    private static final Instant T0 = Instant.parse("2026-11-23T08:00:00Z");
    private static final Duration LEASE = Duration.ofMinutes(5);
    private static OutboxDatabase database;

    private MutableClock clock;
    private DataSource dataSource;
    private DmpOutbox outbox;

    @BeforeAll
    static void startDatabase() throws Exception {
        database = OutboxDatabase.start();
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        database.close();
    }

    @BeforeEach
    void newOutbox() throws Exception {
        clock = new MutableClock(T0);
        dataSource = database.newDatabase();
        outbox = new DmpOutbox(dataSource, clock, RetryPolicy.DEFAULT);
    }

    @Test
    void enqueueIsIdempotentOnMessageAndDocument() {
        EnqueueResult first = outbox.enqueue(SampleSubmissions.of("<m1@test>", "1.2.3.4.1"));
        EnqueueResult again = outbox.enqueue(SampleSubmissions.of("<m1@test>", "1.2.3.4.1"));
        EnqueueResult otherDocument = outbox.enqueue(SampleSubmissions.of("<m1@test>", "1.2.3.4.2"));
        EnqueueResult otherMessage = outbox.enqueue(SampleSubmissions.of("<m2@test>", "1.2.3.4.1"));

        assertThat(first.created()).isTrue();
        assertThat(again).isEqualTo(new EnqueueResult(first.id(), false));
        assertThat(otherDocument.created()).isTrue();
        assertThat(otherMessage.created()).isTrue();
        assertThat(outbox.countsByState()).containsEntry(OutboxState.QUEUED, 3L);
    }

    @Test
    void storedSubmissionRoundTripsWithItsMetadata() {
        Submission original = SampleSubmissions.of("<m1@test>", "1.2.3.4.1");
        long id = outbox.enqueue(original).id();

        Submission stored = outbox.submission(id).orElseThrow();
        assertThat(stored.metadata()).isEqualTo(original.metadata());
        assertThat(stored.document()).isEqualTo(original.document());
        assertThat(stored.mailbox()).isEqualTo(original.mailbox());

        OutboxEntry entry = outbox.find(id).orElseThrow();
        assertThat(entry.state()).isEqualTo(OutboxState.QUEUED);
        assertThat(entry.typeCode()).isEqualTo("11502-2");
        assertThat(entry.formatCode()).isEqualTo("urn:ihe:lab:xd-lab:2008");
        assertThat(entry.documentSize()).isEqualTo(original.document().length);
        assertThat(entry.nextAttemptAt()).isEqualTo(T0);
    }

    @Test
    void concurrentClaimersNeverGetTheSameRow() throws Exception {
        int rows = 300;
        for (int i = 0; i < rows; i++) {
            outbox.enqueue(SampleSubmissions.of("<m" + i + "@test>", "1.2.3.4." + i));
        }
        int claimers = 4;
        CyclicBarrier start = new CyclicBarrier(claimers);
        ExecutorService pool = Executors.newFixedThreadPool(claimers);
        try {
            List<Future<List<Long>>> results = new ArrayList<>();
            for (int t = 0; t < claimers; t++) {
                DmpOutbox own = new DmpOutbox(dataSource, clock, RetryPolicy.DEFAULT);
                Callable<List<Long>> claimer = () -> {
                    start.await();
                    List<Long> mine = new ArrayList<>();
                    List<ClaimedSubmission> batch;
                    while (!(batch = own.claimDue(7, LEASE)).isEmpty()) {
                        batch.forEach(c -> mine.add(c.id()));
                    }
                    return mine;
                };
                results.add(pool.submit(claimer));
            }
            List<Long> all = new ArrayList<>();
            Set<Long> distinct = new HashSet<>();
            int claimersThatGotRows = 0;
            for (Future<List<Long>> f : results) {
                List<Long> mine = f.get(60, TimeUnit.SECONDS);
                all.addAll(mine);
                distinct.addAll(mine);
                claimersThatGotRows += mine.isEmpty() ? 0 : 1;
            }
            assertThat(all).hasSize(rows);
            assertThat(distinct).hasSize(rows);
            assertThat(claimersThatGotRows).isGreaterThan(1);
            assertThat(outbox.countsByState()).containsEntry(OutboxState.SENDING, (long) rows);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void transportFailuresBackOffExponentiallyUpToTheCap() {
        long id = outbox.enqueue(SampleSubmissions.of("<m1@test>", "1.2.3.4.1")).id();
        List<Duration> delays = new ArrayList<>();
        for (int attempt = 1; attempt <= 9; attempt++) {
            List<ClaimedSubmission> claimed = outbox.claimDue(10, LEASE);
            assertThat(claimed).singleElement().satisfies(c -> assertThat(c.id()).isEqualTo(id));
            assertThat(claimed.get(0).attempts()).isEqualTo(attempt);
            assertThat(outbox.markFailedRetryable(claimed.get(0).claim(), "connection refused"))
                .contains(OutboxState.QUEUED);

            Instant next = outbox.find(id).orElseThrow().nextAttemptAt();
            delays.add(Duration.between(clock.instant(), next));
            clock.advance(Duration.between(clock.instant(), next).minusSeconds(1));
            assertThat(outbox.claimDue(10, LEASE)).as("not due one second early").isEmpty();
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(delays).extracting(Duration::toSeconds)
            .containsExactly(30L, 60L, 120L, 240L, 480L, 960L, 1920L, 3600L, 3600L);
        OutboxEntry entry = outbox.find(id).orElseThrow();
        assertThat(entry.state()).isEqualTo(OutboxState.QUEUED);
        assertThat(entry.attempts()).isEqualTo(9);
        assertThat(entry.lastError()).isEqualTo("connection refused");
    }

    @Test
    void givesUpAfterTheMaximumAgeWithALastAttemptAtTheDeadline() {
        outbox = new DmpOutbox(dataSource, clock,
            new RetryPolicy(Duration.ofSeconds(30), Duration.ofHours(1), Duration.ofHours(3)));
        long id = outbox.enqueue(SampleSubmissions.of("<m1@test>", "1.2.3.4.1")).id();
        Instant deadline = T0.plus(Duration.ofHours(3));
        int attempts = 0;
        OutboxState state = OutboxState.QUEUED;
        while (state == OutboxState.QUEUED) {
            ClaimedSubmission c = outbox.claimDue(1, LEASE).get(0);
            attempts++;
            state = outbox.markFailedRetryable(c.claim(), "timeout " + attempts).orElseThrow();
            if (state == OutboxState.QUEUED) {
                Instant next = outbox.find(id).orElseThrow().nextAttemptAt();
                assertThat(next).isBeforeOrEqualTo(deadline);
                clock.advance(Duration.between(clock.instant(), next));
            }
        }
        assertThat(state).isEqualTo(OutboxState.FAILED);
        assertThat(clock.instant()).isEqualTo(deadline);
        // 30 s, 1, 2, 4, 8, 16, 32 min, then 1 h caps: 7 retries reach 1:03:30, then 2:03:30, then the deadline
        assertThat(attempts).isEqualTo(10);
        assertThat(outbox.claimDue(10, LEASE)).isEmpty();

        List<OutcomeNotice> notices = outbox.pollOutcomes(10);
        assertThat(notices).singleElement().satisfies(n -> {
            assertThat(n.id()).isEqualTo(id);
            assertThat(n.state()).isEqualTo(OutboxState.FAILED);
            assertThat(n.error()).isEqualTo("timeout 10");
            assertThat(n.attempts()).isEqualTo(10);
            assertThat(n.finishedAt()).isEqualTo(deadline);
        });
    }

    @Test
    void anExpiredLeaseIsClaimedAgainAndTheOldLeaseCanNoLongerRecord() {
        long id = outbox.enqueue(SampleSubmissions.of("<m1@test>", "1.2.3.4.1")).id();
        ClaimedSubmission crashed = outbox.claimDue(10, LEASE).get(0);
        // the connector "dies" here: no outcome is recorded
        clock.advance(LEASE.minusSeconds(1));
        assertThat(outbox.claimDue(10, LEASE)).as("lease still running").isEmpty();

        clock.advance(Duration.ofSeconds(1));
        List<ClaimedSubmission> again = outbox.claimDue(10, LEASE);
        assertThat(again).singleElement().satisfies(c -> {
            assertThat(c.id()).isEqualTo(id);
            assertThat(c.attempts()).isEqualTo(2);
            assertThat(c.claim().token()).isNotEqualTo(crashed.claim().token());
        });

        assertThat(outbox.markAccepted(crashed.claim())).as("stale lease").isFalse();
        assertThat(outbox.markFailedRetryable(crashed.claim(), "late")).isEmpty();
        assertThat(outbox.markAccepted(again.get(0).claim())).isTrue();
        assertThat(outbox.find(id).orElseThrow().state()).isEqualTo(OutboxState.ACCEPTED);
        assertThat(outbox.claimDue(10, LEASE)).isEmpty();
    }

    @Test
    void anExpiredLeasePastTheMaximumAgeIsGivenUp() {
        long id = outbox.enqueue(SampleSubmissions.of("<m1@test>", "1.2.3.4.1")).id();
        outbox.claimDue(10, LEASE);
        clock.advance(Duration.ofHours(73));

        assertThat(outbox.claimDue(10, LEASE)).isEmpty();
        OutboxEntry entry = outbox.find(id).orElseThrow();
        assertThat(entry.state()).isEqualTo(OutboxState.FAILED);
        assertThat(entry.lastError()).contains("lease expired after the maximum age");
    }

    @Test
    void rejectionsAreReportedToTheSenderOnce() {
        long rejected = outbox.enqueue(SampleSubmissions.of("<m1@test>", "1.2.3.4.1")).id();
        long accepted = outbox.enqueue(SampleSubmissions.of("<m2@test>", "1.2.3.4.2")).id();
        for (ClaimedSubmission c : outbox.claimDue(10, LEASE)) {
            if (c.id() == rejected) {
                assertThat(outbox.markRejected(c.claim(), "XDSUnknownPatientId: unknown patient")).isTrue();
            } else {
                assertThat(outbox.markAccepted(c.claim())).isTrue();
            }
        }

        assertThat(outbox.pollOutcomes(10)).singleElement().satisfies(n -> {
            assertThat(n.id()).isEqualTo(rejected);
            assertThat(n.state()).isEqualTo(OutboxState.REJECTED);
            assertThat(n.error()).isEqualTo("XDSUnknownPatientId: unknown patient");
            assertThat(n.messageId()).isEqualTo("<m1@test>");
            assertThat(n.mailbox()).isEqualTo("labo@lab.mssante.test");
        });
        assertThat(outbox.markNotified(rejected)).isTrue();
        assertThat(outbox.markNotified(rejected)).as("only once").isFalse();
        assertThat(outbox.markNotified(accepted)).as("not a failure").isFalse();
        assertThat(outbox.pollOutcomes(10)).isEmpty();
        assertThat(outbox.find(rejected).orElseThrow().notifiedAt()).isEqualTo(T0);
    }

    @Test
    void releaseGivesTheRowBackWithoutCountingTheAttempt() {
        long id = outbox.enqueue(SampleSubmissions.of("<m1@test>", "1.2.3.4.1")).id();
        ClaimedSubmission c = outbox.claimDue(10, LEASE).get(0);
        assertThat(outbox.release(c.claim())).isTrue();

        OutboxEntry entry = outbox.find(id).orElseThrow();
        assertThat(entry.state()).isEqualTo(OutboxState.QUEUED);
        assertThat(entry.attempts()).isZero();
        assertThat(outbox.claimDue(10, LEASE)).singleElement()
            .satisfies(again -> assertThat(again.attempts()).isEqualTo(1));
    }

    @Test
    void listFiltersAndPagesNewestFirst() {
        for (int i = 0; i < 5; i++) {
            outbox.enqueue(SampleSubmissions.of("<m" + i + "@test>", "1.2.3.4." + i));
            clock.advance(Duration.ofMinutes(1));
        }
        ClaimedSubmission oldest = outbox.claimDue(1, LEASE).get(0);
        outbox.markRejected(oldest.claim(), "XDSRegistryMetadataError");

        Page<OutboxEntry> page = outbox.list(OutboxFilter.ALL, new PageRequest(1, 2));
        assertThat(page.total()).isEqualTo(5);
        assertThat(page.items()).extracting(OutboxEntry::messageId).containsExactly("<m3@test>", "<m2@test>");

        Page<OutboxEntry> rejected = outbox.list(OutboxFilter.inStates(OutboxState.REJECTED), PageRequest.first(10));
        assertThat(rejected.items()).singleElement()
            .satisfies(e -> assertThat(e.lastError()).isEqualTo("XDSRegistryMetadataError"));

        Page<OutboxEntry> byMessage = outbox.list(new OutboxFilter(null, "labo@lab.mssante.test", "<m4@test>", null,
            T0, null), PageRequest.first(10));
        assertThat(byMessage.items()).extracting(OutboxEntry::documentUniqueId).containsExactly("1.2.3.4.4");

        assertThat(outbox.countsByState()).containsEntry(OutboxState.QUEUED, 4L)
            .containsEntry(OutboxState.REJECTED, 1L).containsEntry(OutboxState.ACCEPTED, 0L);
    }

    @Test
    void retryNowMakesAFailedRowDueAtOnceOnlyFromTheRetryableState() {
        long id = outbox.enqueue(SampleSubmissions.of("<retry@test>", "1.2.3.4.9")).id();
        assertThat(outbox.retryNow(id)).as("never tried").isEqualTo(DmpOutbox.RetryNow.NOT_RETRYABLE);
        assertThat(outbox.retryNow(id + 1000)).isEqualTo(DmpOutbox.RetryNow.NOT_FOUND);

        ClaimedSubmission claimed = outbox.claimDue(1, LEASE).get(0);
        assertThat(outbox.retryNow(id)).as("being sent").isEqualTo(DmpOutbox.RetryNow.NOT_RETRYABLE);
        assertThat(outbox.markFailedRetryable(claimed.claim(), "connection refused")).contains(OutboxState.QUEUED);
        clock.advance(Duration.ofSeconds(1));
        assertThat(outbox.claimDue(1, LEASE)).as("backoff: not due yet").isEmpty();

        assertThat(outbox.retryNow(id)).isEqualTo(DmpOutbox.RetryNow.SCHEDULED);
        assertThat(outbox.retryNow(id)).as("idempotent").isEqualTo(DmpOutbox.RetryNow.SCHEDULED);
        OutboxEntry entry = outbox.find(id).orElseThrow();
        assertThat(entry.attempts()).isEqualTo(1);
        assertThat(entry.lastError()).isEqualTo("connection refused");
        assertThat(entry.nextAttemptAt()).isEqualTo(clock.instant());
        List<ClaimedSubmission> again = outbox.claimDue(5, LEASE);
        assertThat(again).hasSize(1).allSatisfy(c -> assertThat(c.claim().id()).isEqualTo(id));

        assertThat(outbox.markAccepted(again.get(0).claim())).isTrue();
        assertThat(outbox.retryNow(id)).as("final").isEqualTo(DmpOutbox.RetryNow.NOT_RETRYABLE);
        assertThat(outbox.find(id).orElseThrow().state()).isEqualTo(OutboxState.ACCEPTED);
    }
}
