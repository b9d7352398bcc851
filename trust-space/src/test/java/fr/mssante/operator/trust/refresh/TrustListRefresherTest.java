package fr.mssante.operator.trust.refresh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.mssante.operator.trust.SharedFixtures;
import fr.mssante.operator.trust.list.TrustListParser;
import fr.mssante.operator.trust.list.TrustListValidator;
import fr.mssante.operator.trust.source.FetchedDocument;
import fr.mssante.operator.trust.source.FileTrustListSource;
import fr.mssante.operator.trust.source.TrustListSource;
import fr.mssante.operator.trust.store.InMemoryTrustListStore;
import fr.mssante.operator.trust.store.RefreshOutcome;
import fr.mssante.operator.trust.store.RefreshRecord;
import fr.mssante.operator.trust.testpki.ListedPair;
import fr.mssante.operator.trust.testpki.ListeBlancheWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.mssante.operator.testsupport.MutableClock;

class TrustListRefresherTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    private final InMemoryTrustListStore store = new InMemoryTrustListStore();
    private final FakeSource source = new FakeSource();

    private TrustListRefresher refresher() {
        return new TrustListRefresher(source, new TrustListParser(), new TrustListValidator(0.9), store, clock);
    }

    private static byte[] doc(int n, boolean rootEnd) {
        List<ListedPair> pairs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            pairs.add(new ListedPair("d" + i + ".mssante.fr", "CN=mx.op.fr,O=OP,C=FR", ""));
        }
        return ListeBlancheWriter.write(pairs, Instant.parse("2026-11-23T09:00:00Z"), rootEnd)
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void installsAValidDownloadAndRecordsIt() {
        TrustListRefresher refresher = refresher();
        source.next = doc(10, false);

        RefreshRecord r = refresher.refreshNow();

        assertThat(r.outcome()).isEqualTo(RefreshOutcome.UPDATED);
        assertThat(r.entryCount()).isEqualTo(10);
        assertThat(r.added()).isEqualTo(10);
        assertThat(r.reason()).contains("closing root tag missing");
        assertThat(refresher.current().entryCount()).isEqualTo(10);
        assertThat(store.loadCurrent("fake")).hasValueSatisfying(s -> assertThat(s.entryCount()).isEqualTo(10));
        assertThat(store.recentRefreshes(10)).containsExactly(r);
    }

    @Test
    void sameDocumentIsUnchanged() {
        TrustListRefresher refresher = refresher();
        source.next = doc(10, true);
        refresher.refreshNow();

        assertThat(refresher.refreshNow().outcome()).isEqualTo(RefreshOutcome.UNCHANGED);
    }

    @Test
    void diffCountsAddedAndRemoved() {
        TrustListRefresher refresher = refresher();
        source.next = doc(10, true);
        refresher.refreshNow();
        List<ListedPair> pairs = new ArrayList<>();
        for (int i = 1; i < 12; i++) {
            pairs.add(new ListedPair("d" + i + ".mssante.fr", "CN=mx.op.fr,O=OP,C=FR", ""));
        }
        source.next = ListeBlancheWriter.write(pairs, clock.instant(), true).getBytes(StandardCharsets.UTF_8);

        RefreshRecord r = refresher.refreshNow();

        assertThat(r.outcome()).isEqualTo(RefreshOutcome.UPDATED);
        assertThat(r.added()).isEqualTo(2);
        assertThat(r.removed()).isEqualTo(1);
    }

    @Test
    void badDownloadsNeverReplaceTheListInForce() {
        TrustListRefresher refresher = refresher();
        source.next = doc(100, true);
        refresher.refreshNow();
        byte[] good = doc(100, true);

        source.next = Arrays.copyOf(good, good.length - 300);
        RefreshRecord truncated = refresher.refreshNow();
        source.next = doc(50, true);
        RefreshRecord small = refresher.refreshNow();
        source.next = "<html>maintenance</html>".getBytes(StandardCharsets.UTF_8);
        RefreshRecord garbage = refresher.refreshNow();
        source.failure = new IOException("connection refused");
        RefreshRecord failed = refresher.refreshNow();
        source.failure = null;
        source.next = doc(0, true);
        RefreshRecord empty = refresher.refreshNow();

        assertThat(truncated.outcome()).isEqualTo(RefreshOutcome.REFUSED);
        assertThat(truncated.reason()).contains("inside entry");
        assertThat(small.outcome()).isEqualTo(RefreshOutcome.REFUSED);
        assertThat(small.reason()).contains("suspiciously small");
        assertThat(garbage.outcome()).isEqualTo(RefreshOutcome.REFUSED);
        assertThat(failed.outcome()).isEqualTo(RefreshOutcome.FAILED);
        assertThat(failed.reason()).contains("connection refused");
        assertThat(empty.outcome()).isEqualTo(RefreshOutcome.REFUSED);
        assertThat(empty.reason()).contains("empty list");
        assertThat(refresher.current().entryCount()).isEqualTo(100);
        assertThat(store.loadCurrent("fake")).hasValueSatisfying(s -> assertThat(s.entryCount()).isEqualTo(100));
        assertThat(store.recentRefreshes(10)).hasSize(6);
    }

    @Test
    void aRestartLoadsTheLastGoodListFromTheStore() {
        source.next = doc(20, false);
        refresher().refreshNow();

        TrustListRefresher restarted = refresher();
        assertThat(restarted.current().isEmpty()).isTrue();
        assertThat(restarted.loadFromStore()).isTrue();

        assertThat(restarted.current().entryCount()).isEqualTo(20);
        source.failure = new IOException("down");
        restarted.refreshNow();
        assertThat(restarted.current().entryCount()).isEqualTo(20);
    }

    /** Issue 12 #8: a change of the configured source does not inherit the previous source's last good copy. */
    @Test
    void aChangeOfSourceStartsFromThatSourcesOwnLastGoodCopy(@TempDir Path dir) throws IOException {
        Path other = dir.resolve("other-list.xml");
        Path development = dir.resolve("liste-blanche.xml");
        Files.write(other, doc(2, true));
        Files.write(development, doc(1, true));
        TrustListRefresher first = new TrustListRefresher(new FileTrustListSource(other, 64L << 20),
                new TrustListParser(), new TrustListValidator(0.9), store, clock);
        first.loadFromStore();
        assertThat(first.refreshNow().outcome()).isEqualTo(RefreshOutcome.UPDATED);

        TrustListRefresher restarted = new TrustListRefresher(new FileTrustListSource(development, 64L << 20),
                new TrustListParser(), new TrustListValidator(0.9), store, clock);
        assertThat(restarted.loadFromStore()).as("no copy of this source yet").isFalse();
        RefreshRecord r = restarted.refreshNow();

        assertThat(r.outcome()).isEqualTo(RefreshOutcome.UPDATED);
        assertThat(restarted.current().entryCount()).isEqualTo(1);
        assertThat(restarted.current().containsDomain("d0.mssante.fr")).isTrue();

        TrustListRefresher back = new TrustListRefresher(new FileTrustListSource(other, 64L << 20),
                new TrustListParser(), new TrustListValidator(0.9), store, clock);
        assertThat(back.loadFromStore()).isTrue();
        assertThat(back.current().entryCount()).as("the other source's own copy").isEqualTo(2);
    }

    @Test
    void anOperatorMayAcceptASmallerListExplicitlyButNeverAnEmptyOne() {
        TrustListRefresher refresher = refresher();
        source.next = doc(100, true);
        refresher.refreshNow();
        source.next = doc(50, true);
        assertThat(refresher.refreshNow().reason()).contains("suspiciously small");

        RefreshRecord accepted = refresher.refreshNow(true);

        assertThat(accepted.outcome()).isEqualTo(RefreshOutcome.UPDATED);
        assertThat(accepted.reason()).contains("accepted explicitly").contains("50 entries, previous list had 100");
        assertThat(refresher.current().entryCount()).isEqualTo(50);
        assertThat(store.recentRefreshes(1)).first().satisfies(h -> assertThat(h.reason()).contains("accepted explicitly"));

        source.next = ListeBlancheWriter.write(List.of(), Instant.parse("2026-11-23T09:00:00Z"), true)
                .getBytes(StandardCharsets.UTF_8);
        assertThat(refresher.refreshNow(true).outcome()).isEqualTo(RefreshOutcome.REFUSED);
        assertThat(refresher.current().entryCount()).isEqualTo(50);
    }

    @Test
    void loadFromAnEmptyStoreKeepsTheEmptyList() {
        assertThat(refresher().loadFromStore()).isFalse();
    }

    @Test
    void scheduledRefreshRunsOnTheExecutor() {
        source.next = doc(5, true);
        TrustListRefresher refresher = refresher();
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
        try {
            refresher.start(executor, Duration.ofHours(1));
            await().atMost(Duration.ofSeconds(10)).until(() -> refresher.current().entryCount() == 5);
            refresher.stop();
        } finally {
            executor.shutdownNow();
        }
        assertThat(store.recentRefreshes(5)).extracting(RefreshRecord::outcome).contains(RefreshOutcome.UPDATED);
    }

    @Test
    void sharedSnapshotThenATruncatedCopyKeepsTheSnapshot(@TempDir Path dir) throws IOException {
        Path snapshot = SharedFixtures.snapshotOrSkip();
        Path file = dir.resolve("listeblanche.xml");
        Files.copy(snapshot, file);
        TrustListRefresher refresher = new TrustListRefresher(new FileTrustListSource(file, 64L << 20),
                new TrustListParser(), new TrustListValidator(), store, clock);
        assertThat(refresher.refreshNow().outcome()).isEqualTo(RefreshOutcome.UPDATED);

        byte[] all = Files.readAllBytes(snapshot);
        Files.write(file, Arrays.copyOf(all, all.length * 2 / 3));
        RefreshRecord r = refresher.refreshNow();

        assertThat(r.outcome()).isEqualTo(RefreshOutcome.REFUSED);
        assertThat(refresher.current().entryCount()).isEqualTo(6554);
    }

    private static final class FakeSource implements TrustListSource {
        volatile byte[] next;
        volatile IOException failure;

        @Override
        public FetchedDocument fetch() throws IOException {
            if (failure != null) {
                throw failure;
            }
            return new FetchedDocument(next, "fake");
        }

        @Override
        public String describe() {
            return "fake";
        }
    }
}
