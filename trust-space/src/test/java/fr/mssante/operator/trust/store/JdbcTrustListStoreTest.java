package fr.mssante.operator.trust.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JdbcTrustListStoreTest {
    private static EmbeddedPostgres postgres;
    private static DataSource dataSource;
    private JdbcTrustListStore store;

    @BeforeAll
    static void startDatabase() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        dataSource = postgres.getPostgresDatabase();
        Flyway.configure().dataSource(dataSource).schemas("mss").locations("classpath:db/migration/mss").load()
                .migrate();
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @BeforeEach
    void clean() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE mss.trust_list_current, mss.trust_list_refresh");
        }
        store = new JdbcTrustListStore(dataSource);
    }

    @Test
    void emptyStoreHasNoList() {
        assertThat(store.loadCurrent("https://x/lb.xml")).isEmpty();
        assertThat(store.recentRefreshes(10)).isEmpty();
    }

    @Test
    void keepsOnlyTheLastGoodList() {
        byte[] first = "<first/>".getBytes(StandardCharsets.UTF_8);
        byte[] second = "<second/>".getBytes(StandardCharsets.UTF_8);
        Instant t1 = Instant.parse("2026-11-23T10:00:00Z");
        Instant t2 = Instant.parse("2026-11-23T11:00:00Z");
        store.saveCurrent(new StoredTrustList(first, "a".repeat(64), 10, null, t1, "https://x/lb.xml"));
        store.saveCurrent(new StoredTrustList(second, "b".repeat(64), 12, t1, t2, "https://x/lb.xml"));

        StoredTrustList loaded = store.loadCurrent("https://x/lb.xml").orElseThrow();

        assertThat(loaded.document()).isEqualTo(second);
        assertThat(loaded.sha256()).isEqualTo("b".repeat(64));
        assertThat(loaded.entryCount()).isEqualTo(12);
        assertThat(loaded.generatedAt()).isEqualTo(t1);
        assertThat(loaded.fetchedAt()).isEqualTo(t2);
        assertThat(loaded.source()).isEqualTo("https://x/lb.xml");
    }

    @Test
    void eachSourceKeepsItsOwnLastGoodList() {
        Instant t1 = Instant.parse("2026-11-23T10:00:00Z");
        store.saveCurrent(new StoredTrustList("<a/>".getBytes(StandardCharsets.UTF_8), "a".repeat(64), 2, null, t1,
                "/etc/mss/other-list.xml"));
        store.saveCurrent(new StoredTrustList("<b/>".getBytes(StandardCharsets.UTF_8), "b".repeat(64), 1, null, t1,
                "var/dev/liste-blanche.xml"));

        assertThat(store.loadCurrent("/etc/mss/other-list.xml")).hasValueSatisfying(l -> assertThat(l.entryCount()).isEqualTo(2));
        assertThat(store.loadCurrent("var/dev/liste-blanche.xml")).hasValueSatisfying(l -> assertThat(l.entryCount()).isEqualTo(1));
        assertThat(store.loadCurrent("https://elsewhere/lb.xml")).isEmpty();
    }

    @Test
    void historyIsNewestFirstAndLimited() {
        Instant t = Instant.parse("2026-11-23T10:00:00Z");
        RefreshRecord updated = new RefreshRecord(t, t.plusSeconds(1), "src", RefreshOutcome.UPDATED, "", 6554, 6554,
                0, "c".repeat(64));
        RefreshRecord failed = new RefreshRecord(t.plusSeconds(3600), t.plusSeconds(3601), "src",
                RefreshOutcome.FAILED, "download failed: timeout", null, 0, 0, null);
        RefreshRecord refused = new RefreshRecord(t.plusSeconds(7200), t.plusSeconds(7201), "src",
                RefreshOutcome.REFUSED, "truncated or malformed inside entry #12", null, 0, 0, "d".repeat(64));
        store.recordRefresh(updated);
        store.recordRefresh(failed);
        store.recordRefresh(refused);

        assertThat(store.recentRefreshes(10)).containsExactly(refused, failed, updated);
        assertThat(store.recentRefreshes(1)).containsExactly(refused);
    }
}
