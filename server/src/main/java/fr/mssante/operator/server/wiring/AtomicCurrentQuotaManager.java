package fr.mssante.operator.server.wiring;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import javax.inject.Inject;
import javax.sql.DataSource;

import org.apache.james.core.quota.QuotaCountUsage;
import org.apache.james.core.quota.QuotaSizeUsage;
import org.apache.james.mailbox.model.CurrentQuotas;
import org.apache.james.mailbox.model.QuotaOperation;
import org.apache.james.mailbox.model.QuotaRoot;
import org.apache.james.mailbox.quota.CurrentQuotaManager;
import reactor.core.publisher.Mono;

/**
 * The current usage of each quota root (message count, bytes) in James's {@code james_quota_currentquota} table,
 * changed by one statement that adds to the stored value in the database.
 *
 * <p>James's {@code JpaCurrentQuotaManager} read the row, added in Java and wrote the sum back in a transaction of its
 * own: two deliveries to one user at the same time (20 spool threads, or two nodes) both read n and both wrote n + 1,
 * so the usage drifted below the truth and a quota limit let mail through past it. Here an increase or a decrease is
 * one {@code INSERT … ON CONFLICT DO UPDATE SET count = count + …} (the row lock orders concurrent changes; none is
 * lost) and {@link #add} returns the new usage, so the quota listener needs no second read. Plain JDBC on James's
 * pool: no entity is loaded, and one round trip per change instead of three.
 */
public class AtomicCurrentQuotaManager implements CurrentQuotaManager {
    private static final String UPSERT = "INSERT INTO james_quota_currentquota"
        + " (currentquota_quotaroot, currentquota_messagecount, currentquota_size) VALUES (?, ?, ?)"
        + " ON CONFLICT (currentquota_quotaroot) DO UPDATE SET ";
    private static final String RETURNING = " RETURNING currentquota_messagecount, currentquota_size";
    static final String ADD = UPSERT
        + "currentquota_messagecount = james_quota_currentquota.currentquota_messagecount + excluded.currentquota_messagecount,"
        + " currentquota_size = james_quota_currentquota.currentquota_size + excluded.currentquota_size" + RETURNING;
    static final String SET = UPSERT
        + "currentquota_messagecount = excluded.currentquota_messagecount, currentquota_size = excluded.currentquota_size"
        + RETURNING;
    static final String READ = "SELECT currentquota_messagecount, currentquota_size FROM james_quota_currentquota"
        + " WHERE currentquota_quotaroot = ?";

    private final DataSource dataSource;

    @Inject
    public AtomicCurrentQuotaManager(JpaStorageModule.Pools pools) {
        this(pools.main());
    }

    AtomicCurrentQuotaManager(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Mono<QuotaCountUsage> getCurrentMessageCount(QuotaRoot quotaRoot) {
        return getCurrentQuotas(quotaRoot).map(CurrentQuotas::count);
    }

    @Override
    public Mono<QuotaSizeUsage> getCurrentStorage(QuotaRoot quotaRoot) {
        return getCurrentQuotas(quotaRoot).map(CurrentQuotas::size);
    }

    @Override
    public Mono<CurrentQuotas> getCurrentQuotas(QuotaRoot quotaRoot) {
        return Mono.fromCallable(() -> read(quotaRoot));
    }

    @Override
    public Mono<Void> increase(QuotaOperation operation) {
        return add(operation.quotaRoot(), operation.count().asLong(), operation.size().asLong()).then();
    }

    @Override
    public Mono<Void> decrease(QuotaOperation operation) {
        return add(operation.quotaRoot(), -operation.count().asLong(), -operation.size().asLong()).then();
    }

    @Override
    public Mono<Void> setCurrentQuotas(QuotaOperation operation) {
        return Mono.fromCallable(() -> write(SET, operation.quotaRoot(), operation.count().asLong(), operation.size().asLong()))
            .then();
    }

    /** Adds {@code count} messages and {@code bytes} (negative to remove) in one statement; the usage after it. */
    public Mono<CurrentQuotas> add(QuotaRoot quotaRoot, long count, long bytes) {
        return Mono.fromCallable(() -> write(ADD, quotaRoot, count, bytes));
    }

    private CurrentQuotas read(QuotaRoot quotaRoot) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(READ)) {
            statement.setString(1, quotaRoot.getValue());
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? usage(row) : CurrentQuotas.emptyQuotas();
            }
        }
    }

    private CurrentQuotas write(String sql, QuotaRoot quotaRoot, long count, long bytes) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, quotaRoot.getValue());
            statement.setLong(2, count);
            statement.setLong(3, bytes);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return usage(row);
            }
        }
    }

    private static CurrentQuotas usage(ResultSet row) throws SQLException {
        return new CurrentQuotas(QuotaCountUsage.count(row.getLong(1)), QuotaSizeUsage.size(row.getLong(2)));
    }
}
