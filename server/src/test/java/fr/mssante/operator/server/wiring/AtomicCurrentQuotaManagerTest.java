package fr.mssante.operator.server.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.persistence.EntityManagerFactory;

import org.apache.commons.configuration2.BaseConfiguration;
import org.apache.james.core.quota.QuotaCountUsage;
import org.apache.james.core.quota.QuotaSizeUsage;
import org.apache.james.mailbox.model.CurrentQuotas;
import org.apache.james.mailbox.model.QuotaOperation;
import org.apache.james.mailbox.model.QuotaRoot;
import org.apache.james.mailbox.quota.CurrentQuotaManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import fr.mssante.operator.database.DatabaseSettings;
import fr.mssante.operator.server.testing.TestServer;

/**
 * Quota usage changed from two "nodes" (two pools on one PostgreSQL) by many threads at once, as 20 spool threads
 * per node deliver to one user: no change is lost. James's {@code JpaCurrentQuotaManager} (read, add in Java, write
 * back) fails {@link #concurrentChangesFromTwoNodesAreNeverLost}: it ends below the number of deliveries.
 */
class AtomicCurrentQuotaManagerTest {
    private static final int THREADS_PER_NODE = 8;
    private static final int CHANGES_PER_THREAD = 40;

    private static JpaStorageModule.Pools poolsA;
    private static JpaStorageModule.Pools poolsB;
    private static EntityManagerFactory schema;

    @BeforeAll
    static void twoNodes() throws Exception {
        DatabaseSettings database = TestServer.shared().runtime().databaseSettings();
        // OpenJPA creates James's tables (james_quota_currentquota among them) on its first entity manager
        schema = JpaStorageModule.create(database, new BaseConfiguration());
        schema.createEntityManager().close();
        poolsA = JpaStorageModule.Pools.open(database, new BaseConfiguration());
        poolsB = JpaStorageModule.Pools.open(database, new BaseConfiguration());
    }

    @AfterAll
    static void close() {
        poolsA.close();
        poolsB.close();
        schema.close();
    }

    @Test
    void concurrentChangesFromTwoNodesAreNeverLost() throws Exception {
        QuotaRoot root = QuotaRoot.quotaRoot("#private&race-" + UUID.randomUUID() + "@ours.test", Optional.empty());
        CurrentQuotaManager nodeA = new AtomicCurrentQuotaManager(poolsA);
        CurrentQuotaManager nodeB = new AtomicCurrentQuotaManager(poolsB);
        ExecutorService threads = Executors.newFixedThreadPool(2 * THREADS_PER_NODE);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 2 * THREADS_PER_NODE; t++) {
                CurrentQuotaManager node = t % 2 == 0 ? nodeA : nodeB;
                done.add(threads.submit(() -> {
                    for (int i = 0; i < CHANGES_PER_THREAD; i++) {
                        Mono.from(node.increase(operation(root, 1, 1000))).block();
                    }
                    // an expunge of one of them: decreases interleave with the increases
                    Mono.from(node.decrease(operation(root, 1, 1000))).block();
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        long expected = 2L * THREADS_PER_NODE * (CHANGES_PER_THREAD - 1);
        assertThat(Mono.from(nodeB.getCurrentQuotas(root)).block())
            .isEqualTo(new CurrentQuotas(QuotaCountUsage.count(expected), QuotaSizeUsage.size(expected * 1000)));
        assertThat(Mono.from(nodeA.getCurrentMessageCount(root)).block()).isEqualTo(QuotaCountUsage.count(expected));
        assertThat(Mono.from(nodeA.getCurrentStorage(root)).block()).isEqualTo(QuotaSizeUsage.size(expected * 1000));
    }

    @Test
    void anAdditionReturnsTheUsageAfterItAndAnUnknownRootIsEmpty() {
        QuotaRoot root = QuotaRoot.quotaRoot("#private&fresh-" + UUID.randomUUID() + "@ours.test", Optional.empty());
        AtomicCurrentQuotaManager manager = new AtomicCurrentQuotaManager(poolsA);

        assertThat(Mono.from(manager.getCurrentQuotas(root)).block()).isEqualTo(CurrentQuotas.emptyQuotas());
        assertThat(manager.add(root, 3, 300).block())
            .isEqualTo(new CurrentQuotas(QuotaCountUsage.count(3), QuotaSizeUsage.size(300)));
        assertThat(manager.add(root, -1, -100).block())
            .isEqualTo(new CurrentQuotas(QuotaCountUsage.count(2), QuotaSizeUsage.size(200)));
    }

    @Test
    void aRecomputationSetsTheUsageWhateverItWas() {
        QuotaRoot root = QuotaRoot.quotaRoot("#private&recomputed-" + UUID.randomUUID() + "@ours.test", Optional.empty());
        AtomicCurrentQuotaManager manager = new AtomicCurrentQuotaManager(poolsA);
        manager.add(root, 10, 10_000).block();

        Mono.from(manager.setCurrentQuotas(operation(root, 4, 400))).block();

        assertThat(Mono.from(manager.getCurrentQuotas(root)).block())
            .isEqualTo(new CurrentQuotas(QuotaCountUsage.count(4), QuotaSizeUsage.size(400)));
    }

    @Test
    void anUnknownPoolSettingStopsStartUpNamingIt() throws Exception {
        BaseConfiguration tuning = new BaseConfiguration();
        tuning.setProperty("datasource.TestOnBorrow", "true");

        assertThatThrownBy(() -> JpaStorageModule.Pools.open(TestServer.shared().runtime().databaseSettings(), tuning))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("datasource.TestOnBorrow");
    }

    private static QuotaOperation operation(QuotaRoot root, long count, long bytes) {
        return new QuotaOperation(root, QuotaCountUsage.count(count), QuotaSizeUsage.size(bytes));
    }
}
