package fr.mssante.operator.server.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.james.core.quota.QuotaCountLimit;
import org.apache.james.core.quota.QuotaSizeLimit;
import org.apache.james.mailbox.model.Quota;
import org.apache.james.mailbox.model.QuotaRoot;
import org.apache.james.mailbox.quota.MaxQuotaManager;
import org.junit.jupiter.api.Test;

import reactor.core.publisher.Mono;

/** Quota limits are remembered for a while, and forgotten at once when any limit changes through the manager. */
class CachedMaxQuotaManagerTest {
    private static final QuotaRoot ALICE = QuotaRoot.quotaRoot("#private&alice@ours.test", Optional.empty());
    private static final QuotaRoot BRUNO = QuotaRoot.quotaRoot("#private&bruno@ours.test", Optional.empty());

    private final Map<QuotaRoot, QuotaCountLimit> counts = new ConcurrentHashMap<>();
    private final AtomicInteger reads = new AtomicInteger();
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private Runnable duringRead;
    private RuntimeException failure;
    private final MaxQuotaManager store = (MaxQuotaManager) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {MaxQuotaManager.class}, (proxy, method, args) -> switch (method.getName()) {
            case "listMaxMessagesDetails" -> {
                reads.incrementAndGet();
                if (failure != null) {
                    RuntimeException thrown = failure;
                    failure = null;
                    throw thrown;
                }
                Map<Quota.Scope, QuotaCountLimit> limits = Optional.ofNullable(counts.get((QuotaRoot) args[0]))
                    .map(limit -> Map.of(Quota.Scope.User, limit)).orElse(Map.of());
                if (duringRead != null) {
                    duringRead.run();
                }
                yield limits;
            }
            case "listMaxStorageDetails" -> {
                reads.incrementAndGet();
                yield Map.<Quota.Scope, QuotaSizeLimit>of();
            }
            case "setMaxMessage" -> {
                counts.put((QuotaRoot) args[0], (QuotaCountLimit) args[1]);
                yield null;
            }
            case "setMaxMessageReactive" -> Mono.fromRunnable(() -> counts.put((QuotaRoot) args[0], (QuotaCountLimit) args[1]));
            case "removeGlobalMaxMessage" -> null;
            default -> throw new UnsupportedOperationException(method.getName());
        });
    private final CachedMaxQuotaManager limits = new CachedMaxQuotaManager(store, clock::get);

    @Test
    void limitsAreReadOncePerTtlForBothScopesAndEachQuotaRoot() {
        assertThat(limits.listMaxMessagesDetails(ALICE)).isEmpty();
        assertThat(Mono.from(limits.listMaxMessagesDetailsReactive(ALICE)).block()).isEmpty();
        assertThat(limits.getMaxMessage(limits.listMaxMessagesDetails(ALICE))).isEmpty();
        assertThat(Mono.from(limits.quotaDetailsReactive(ALICE)).block().getMaxStorageDetails()).isEmpty();
        assertThat(limits.listMaxStorageDetails(ALICE)).isEmpty();
        assertThat(reads.get()).isEqualTo(2);

        limits.listMaxMessagesDetails(BRUNO);
        assertThat(reads.get()).isEqualTo(3);

        clock.addAndGet(CachedMaxQuotaManager.TTL.toNanos());
        limits.listMaxMessagesDetails(ALICE);
        assertThat(reads.get()).isEqualTo(4);
    }

    @Test
    void aLimitSetThroughTheManagerAppliesAtOnce() throws Exception {
        assertThat(limits.listMaxMessagesDetails(ALICE)).isEmpty();

        limits.setMaxMessage(ALICE, QuotaCountLimit.count(7));

        assertThat(limits.getMaxMessage(ALICE)).contains(QuotaCountLimit.count(7));
    }

    @Test
    void aLimitSetReactivelyAppliesAtOnceToEveryQuotaRoot() {
        assertThat(limits.listMaxMessagesDetails(BRUNO)).isEmpty();

        Mono.from(limits.setMaxMessageReactive(BRUNO, QuotaCountLimit.count(3))).block();

        assertThat(Mono.from(limits.listMaxMessagesDetailsReactive(BRUNO)).block()).containsEntry(Quota.Scope.User, QuotaCountLimit.count(3));
    }

    @Test
    void aGlobalChangeForgetsEveryQuotaRoot() throws Exception {
        limits.listMaxMessagesDetails(ALICE);
        limits.listMaxMessagesDetails(BRUNO);

        limits.removeGlobalMaxMessage();
        limits.listMaxMessagesDetails(ALICE);
        limits.listMaxMessagesDetails(BRUNO);

        assertThat(reads.get()).isEqualTo(4);
    }

    @Test
    void limitsReadWhileALimitChangedAreNotKept() throws Exception {
        duringRead = () -> {   // a limit set through the manager between the read and its caching
            try {
                limits.setMaxMessage(ALICE, QuotaCountLimit.count(1));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        assertThat(limits.listMaxMessagesDetails(ALICE)).isEmpty();
        duringRead = null;

        assertThat(limits.listMaxMessagesDetails(ALICE)).containsEntry(Quota.Scope.User, QuotaCountLimit.count(1));
    }

    @Test
    void aFailedReadIsThrownAndNotRemembered() {
        counts.put(ALICE, QuotaCountLimit.count(5));
        failure = new IllegalStateException("database down");

        assertThatThrownBy(() -> limits.listMaxMessagesDetails(ALICE)).isInstanceOf(IllegalStateException.class);
        assertThat(limits.listMaxMessagesDetails(ALICE)).containsEntry(Quota.Scope.User, QuotaCountLimit.count(5));
    }
}
