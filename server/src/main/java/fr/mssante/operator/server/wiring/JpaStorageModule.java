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
 * embedded PostgreSQL); tuning comes from {@code conf/james-database.properties}: {@code datasource.*} keys become
 * DBCP connection properties and {@code openjpa.*} keys are passed to OpenJPA as they are.
 *
 * <p>OpenJPA allocates the ids of generated-id entities (message properties, user flags, mailboxes…) from its sequence
 * table in a short transaction on a connection of its own, taken from the "non-transactional" data source, which is
 * the main pool unless {@code openjpa.Connection2*} is set (OpenJPA also reads an entity class's table there on its
 * first use). An append holds its mailbox row lock
 * ({@link RowLockedMessageMapper}) while it inserts properties: with one pool, the lock holder could wait for a second
 * connection that every appender waiting for its row lock was holding (a pool deadlock, on one node or across nodes).
 * The sequence therefore gets a small pool of its own ({@value #SEQUENCE_POOL_SIZE} connections), used only for
 * those sub-millisecond allocations and never held while waiting for a row lock.
 */
public class JpaStorageModule extends AbstractModule {
    private static final String DATABASE_CONFIGURATION = "james-database";
    static final int SEQUENCE_POOL_SIZE = 4;

    @Provides
    @Singleton
    EntityManagerFactory entityManagerFactory(DatabaseSettings database, PropertiesProvider propertiesProvider)
        throws ConfigurationException {
        return create(database, databaseTuning(propertiesProvider));
    }

    /** The factory for {@code database} with {@code tuning} (the {@code james-database} settings); tests make a second "node" with it. */
    public static EntityManagerFactory create(DatabaseSettings database, Configuration tuning) {
        Map<String, String> properties = new HashMap<>();
        properties.put("openjpa.ConnectionDriverName", "org.postgresql.Driver");
        properties.put("openjpa.ConnectionURL", database.urlForSchema(DatabaseSettings.JAMES_SCHEMA));
        properties.put("openjpa.ConnectionUserName", database.user());
        properties.put("openjpa.ConnectionPassword", database.password());
        properties.put("openjpa.Multithreaded", "true");

        StringBuilder connectionProperties = new StringBuilder("TestOnBorrow=true,ValidationSQL='SELECT 1',ValidationTimeout=2000");
        for (Iterator<String> keys = tuning.getKeys("datasource"); keys.hasNext(); ) {
            String key = keys.next();
            connectionProperties.append(',').append(key.substring("datasource.".length())).append('=').append(tuning.getString(key));
        }
        properties.put("openjpa.ConnectionProperties", connectionProperties.toString());
        // the non-transactional data source (sequence allocations): its own pool, see the class comment
        properties.put("openjpa.Connection2DriverName", "org.postgresql.Driver");
        properties.put("openjpa.Connection2URL", database.urlForSchema(DatabaseSettings.JAMES_SCHEMA));
        properties.put("openjpa.Connection2UserName", database.user());
        properties.put("openjpa.Connection2Password", database.password());
        properties.put("openjpa.Connection2Properties",
            "TestOnBorrow=true,ValidationSQL='SELECT 1',ValidationTimeout=2000,MaxTotal=" + SEQUENCE_POOL_SIZE
                + ",MaxIdle=" + SEQUENCE_POOL_SIZE);
        for (Iterator<String> keys = tuning.getKeys("openjpa"); keys.hasNext(); ) {
            String key = keys.next();
            properties.put(key, tuning.getString(key));
        }
        return Persistence.createEntityManagerFactory("Global", properties);
    }

    private static Configuration databaseTuning(PropertiesProvider propertiesProvider) throws ConfigurationException {
        try {
            return propertiesProvider.getConfiguration(DATABASE_CONFIGURATION);
        } catch (FileNotFoundException e) {
            return new BaseConfiguration();
        }
    }
}
