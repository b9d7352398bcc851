package fr.mssante.operator.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;


import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Scheduled jobs run once across the nodes (issue 18): two nodes (two connection pools, as two server JVMs have) on
 * one PostgreSQL race for the same occurrence of a job.
 */
class ScheduledRunsTest {
    private static EmbeddedPostgres postgres;
    private static MssDatabase nodeA;
    private static MssDatabase nodeB;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        DatabaseSettings settings = new DatabaseSettings(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "", true);
        nodeA = MssDatabase.open(settings, 8);
        nodeB = MssDatabase.open(settings, 8);
    }

    @AfterAll
    static void stop() throws Exception {
        nodeA.close();
        nodeB.close();
        postgres.close();
    }

    @Test
    void eachDayOfADailyJobRunsOnExactlyOneNodeHoweverManyRaceForIt() throws Exception {
        ScheduledRuns a = new ScheduledRuns(nodeA.dataSource(), "a");
        ScheduledRuns b = new ScheduledRuns(nodeB.dataSource(), "b");
        for (LocalDate day = LocalDate.of(2026, 12, 7); day.isBefore(LocalDate.of(2026, 12, 12)); day = day.plusDays(1)) {
            long slot = ScheduledRuns.daily(day);
            assertThat(race(List.of(a, b), "audit-retention", slot, 8)).as("winners on %s", day).isEqualTo(1);
        }
    }

    @Test
    void aNodeWhoseClockIsLateNeverRunsAnOccurrenceAgain() throws Exception {
        ScheduledRuns a = new ScheduledRuns(nodeA.dataSource(), "a");
        ScheduledRuns b = new ScheduledRuns(nodeB.dataSource(), "b");
        Duration hour = Duration.ofHours(1);
        Instant now = Instant.parse("2026-12-07T11:00:00Z");

        assertThat(a.claim("trust-list-refresh", ScheduledRuns.periodic(now, hour))).isTrue();
        assertThat(b.claim("trust-list-refresh", ScheduledRuns.periodic(now.plusSeconds(59 * 60), hour))).isFalse();
        assertThat(b.claim("trust-list-refresh", ScheduledRuns.periodic(now.plusSeconds(3600), hour))).isTrue();
        // A, a minute late, comes back for the occurrence B already ran
        assertThat(a.claim("trust-list-refresh", ScheduledRuns.periodic(now.plusSeconds(3599), hour))).isFalse();
        // other jobs are independent
        assertThat(a.claim("directory-import", ScheduledRuns.daily(LocalDate.of(2026, 12, 7)))).isTrue();
    }

    /** {@code threadsPerNode} threads on each node claim at once; returns how many claims won. */
    private static int race(List<ScheduledRuns> nodes, String job, long slot, int threadsPerNode) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(nodes.size() * threadsPerNode);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> claims = new ArrayList<>();
        for (ScheduledRuns node : nodes) {
            for (int i = 0; i < threadsPerNode; i++) {
                Callable<Boolean> claim = () -> {
                    go.await();
                    return node.claim(job, slot);
                };
                claims.add(threads.submit(claim));
            }
        }
        go.countDown();
        int winners = 0;
        for (Future<Boolean> claim : claims) {
            winners += claim.get() ? 1 : 0;
        }
        threads.shutdown();
        return winners;
    }
}
