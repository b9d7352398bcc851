package fr.mssante.operator.server.wiring;

import java.io.FileNotFoundException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

import javax.inject.Singleton;
import javax.persistence.EntityManagerFactory;
import javax.persistence.Persistence;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.commons.configuration2.BaseConfiguration;
import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.utils.PropertiesProvider;

import fr.mssante.operator.database.DatabaseSettings;

/**
 * The single JPA {@link EntityManagerFactory} (persistence unit {@code Global}, see {@code META-INF/persistence.xml})
 * shared by James's mailbox, users, domains, recipient rewrites, sieve and mail repositories.
 *
 * <p>Where the database is comes from {@link DatabaseSettings} (bound by the server, which may have started an
 * embedded PostgreSQL); tuning comes from {@code conf/james-database.properties}: {@code datasource.MaxTotal} sizes
 * the main pool (HikariCP; any other {@code datasource.*} key stops start-up) and {@code openjpa.*} keys are passed
 * to OpenJPA as they are.
 *
 * <p>OpenJPA allocates the ids of generated-id entities (message properties, user flags, mailboxes…) from its sequence
 * table in a short transaction on a connection of its own, taken from the "non-transactional" data source
 * ({@code openjpa.ConnectionFactory2}; OpenJPA also reads an entity class's table there on its first use). An append
 * holds its mailbox row lock ({@link RowLockedMessageMapper}) while it inserts properties: with one pool, the lock
 * holder could wait for a second connection that every appender waiting for its row lock was holding (a pool
 * deadlock, on one node or across nodes).
 * The sequence therefore gets a small pool of its own ({@value #SEQUENCE_POOL_SIZE} connections), used only for
 * those sub-millisecond allocations and never held while waiting for a row lock.
 */
public class JpaStorageModule extends AbstractModule {
    private static final String DATABASE_CONFIGURATION = "james-database";
    static final int SEQUENCE_POOL_SIZE = 4;
    static final int DEFAULT_POOL_SIZE = 32;
    static final int BATCH_LIMIT = 100;
    static final String POOL_SIZE_KEY = "datasource.MaxTotal";
    /**
     * How long a caller waits for a connection before its operation fails: PostgreSQL unreachable fails a delivery
     * (back to the spool) or an SMTP command (4xx) after this, not at once as with DBCP, nor after HikariCP's 30 s.
     */
    static final long CONNECTION_TIMEOUT_MS = 5_000;

    /** The two pools of James's store: the main one (OpenJPA's transactions, our JDBC on James's tables) and the id sequence's. */
    public record Pools(HikariDataSource main, HikariDataSource sequence) implements AutoCloseable {
        /** Opens both pools for {@code database}, sized by {@code tuning}'s {@code datasource.MaxTotal}. */
        public static Pools open(DatabaseSettings database, Configuration tuning) {
            int maxTotal = DEFAULT_POOL_SIZE;
            for (Iterator<String> keys = tuning.getKeys("datasource"); keys.hasNext(); ) {
                String key = keys.next();
                if (!POOL_SIZE_KEY.equals(key)) {
                    throw new IllegalArgumentException("Unknown setting " + key + " in james-database.properties (the"
                        + " pool knows " + POOL_SIZE_KEY + " only)");
                }
                maxTotal = tuning.getInt(key);
                if (maxTotal < 2) {
                    throw new IllegalArgumentException(POOL_SIZE_KEY + " must be at least 2, got " + maxTotal);
                }
            }
            return new Pools(pool(database, "james", maxTotal), pool(database, "james-sequence", SEQUENCE_POOL_SIZE));
        }

        @Override
        public void close() {
            main.close();
            sequence.close();
        }
    }

    @Provides
    @Singleton
    Pools pools(DatabaseSettings database, PropertiesProvider propertiesProvider) throws ConfigurationException {
        return Pools.open(database, databaseTuning(propertiesProvider));
    }

    @Provides
    @Singleton
    EntityManagerFactory entityManagerFactory(Pools pools, PropertiesProvider propertiesProvider)
        throws ConfigurationException {
        return create(pools, databaseTuning(propertiesProvider));
    }

    /** The factory for {@code database} with {@code tuning} (the {@code james-database} settings); tests make a second "node" with it. */
    public static EntityManagerFactory create(DatabaseSettings database, Configuration tuning) {
        return create(Pools.open(database, tuning), tuning);
    }

    /** The factory on {@code pools}; closing it closes them (OpenJPA closes the data sources it was given). */
    static EntityManagerFactory create(Pools pools, Configuration tuning) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("openjpa.ConnectionFactory", pools.main());
        // the non-transactional data source (sequence allocations): its own pool, see the class comment
        properties.put("openjpa.ConnectionFactory2", pools.sequence());
        // statement batching: a message's property INSERTs (4 for a simple mail) reach PostgreSQL in one round trip
        // instead of one each (OpenJPA's default batch limit is 0: no batching)
        properties.put("openjpa.jdbc.DBDictionary", "postgres(batchLimit=" + BATCH_LIMIT + ")");
        properties.put("openjpa.Multithreaded", "true");
        for (Iterator<String> keys = tuning.getKeys("openjpa"); keys.hasNext(); ) {
            String key = keys.next();
            properties.put(key, tuning.getString(key));
        }
        try {
            return Persistence.createEntityManagerFactory("Global", properties);
        } catch (RuntimeException e) {
            pools.close();
            throw e;
        }
    }

    /**
     * A pool that checks a connection when it has been idle for half a second or more (HikariCP's
     * {@code isValid()} bypass window), not at every borrow: OpenJPA borrows a connection per statement outside a
     * transaction, and DBCP's {@code TestOnBorrow} cost a {@code SELECT 1} round trip for each. A connection that
     * PostgreSQL closed (restart, failover) fails its next statement with a connection error, which evicts it;
     * that failure reaches the caller as a database outage (the delivery goes back to the spool and is retried).
     */
    private static HikariDataSource pool(DatabaseSettings database, String name, int size) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setDriverClassName("org.postgresql.Driver");
        config.setJdbcUrl(database.urlForSchema(DatabaseSettings.JAMES_SCHEMA));
        config.setUsername(database.user());
        config.setPassword(database.password());
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(Math.min(size, 2));
        config.setValidationTimeout(2000);
        config.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
        // OpenJPA chooses auto-commit per use (off inside a transaction); start it as JDBC's default
        config.setAutoCommit(true);
        // no connection at construction: the database may still be starting (the embedded one, a restart)
        config.setInitializationFailTimeout(-1);
        return new HikariDataSource(config);
    }

    private static Configuration databaseTuning(PropertiesProvider propertiesProvider) throws ConfigurationException {
        try {
            return propertiesProvider.getConfiguration(DATABASE_CONFIGURATION);
        } catch (FileNotFoundException e) {
            return new BaseConfiguration();
        }
    }
}
