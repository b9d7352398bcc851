package fr.mssante.operator.trust.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.inject.Inject;
import javax.sql.DataSource;

/**
 * {@link TrustListStore} on PostgreSQL (schema {@code mss}, migrations {@code V2026_11_23_1930__trust_list} and
 * {@code V2026_12_07_0610__trust_list_per_source}: one last good list per source).
 */
public final class JdbcTrustListStore implements TrustListStore {
    private static final String UPSERT = """
            INSERT INTO mss.trust_list_current (source, sha256, entry_count, generated_at, fetched_at, document)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (source) DO UPDATE SET sha256 = EXCLUDED.sha256,
              entry_count = EXCLUDED.entry_count, generated_at = EXCLUDED.generated_at,
              fetched_at = EXCLUDED.fetched_at, document = EXCLUDED.document""";
    private static final String SELECT_CURRENT = """
            SELECT source, sha256, entry_count, generated_at, fetched_at, document
            FROM mss.trust_list_current WHERE source = ?""";
    private static final String INSERT_REFRESH = """
            INSERT INTO mss.trust_list_refresh
              (started_at, finished_at, source, outcome, reason, entry_count, added, removed, sha256)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""";
    private static final String SELECT_REFRESHES = """
            SELECT started_at, finished_at, source, outcome, reason, entry_count, added, removed, sha256
            FROM mss.trust_list_refresh ORDER BY started_at DESC, id DESC LIMIT ?""";

    private final DataSource dataSource;

    @Inject
    public JdbcTrustListStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void saveCurrent(StoredTrustList list) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(UPSERT)) {
            ps.setString(1, list.source());
            ps.setString(2, list.sha256());
            ps.setInt(3, list.entryCount());
            ps.setTimestamp(4, ts(list.generatedAt()));
            ps.setTimestamp(5, ts(list.fetchedAt()));
            ps.setBytes(6, list.document());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new TrustListStoreException("cannot save the trust list", e);
        }
    }

    @Override
    public Optional<StoredTrustList> loadCurrent(String source) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SELECT_CURRENT)) {
            ps.setString(1, source);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new StoredTrustList(rs.getBytes("document"), rs.getString("sha256").strip(),
                        rs.getInt("entry_count"), instant(rs.getTimestamp("generated_at")),
                        instant(rs.getTimestamp("fetched_at")), rs.getString("source")));
            }
        } catch (SQLException e) {
            throw new TrustListStoreException("cannot load the trust list", e);
        }
    }

    @Override
    public void recordRefresh(RefreshRecord r) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(INSERT_REFRESH)) {
            ps.setTimestamp(1, ts(r.startedAt()));
            ps.setTimestamp(2, ts(r.finishedAt()));
            ps.setString(3, r.source());
            ps.setString(4, r.outcome().name());
            ps.setString(5, r.reason());
            if (r.entryCount() == null) {
                ps.setNull(6, Types.INTEGER);
            } else {
                ps.setInt(6, r.entryCount());
            }
            ps.setInt(7, r.added());
            ps.setInt(8, r.removed());
            ps.setString(9, r.sha256());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new TrustListStoreException("cannot record the refresh", e);
        }
    }

    @Override
    public List<RefreshRecord> recentRefreshes(int limit) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SELECT_REFRESHES)) {
            ps.setInt(1, limit);
            List<RefreshRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int entries = rs.getInt("entry_count");
                    Integer entryCount = rs.wasNull() ? null : entries;
                    String sha = rs.getString("sha256");
                    out.add(new RefreshRecord(instant(rs.getTimestamp("started_at")),
                            instant(rs.getTimestamp("finished_at")), rs.getString("source"),
                            RefreshOutcome.valueOf(rs.getString("outcome")), rs.getString("reason"), entryCount,
                            rs.getInt("added"), rs.getInt("removed"), sha == null ? null : sha.strip()));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new TrustListStoreException("cannot read the refresh history", e);
        }
    }

    private static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
