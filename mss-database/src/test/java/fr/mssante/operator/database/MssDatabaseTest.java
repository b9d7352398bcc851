package fr.mssante.operator.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

class MssDatabaseTest {
    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    @Test
    void opening_creates_both_schemas_and_the_migration_history_and_connects_to_schema_mss() throws Exception {
        DatabaseSettings settings = new DatabaseSettings(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "", true);
        try (MssDatabase database = MssDatabase.open(settings, 2);
             Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            List<String> schemas = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery(
                "SELECT schema_name FROM information_schema.schemata WHERE schema_name IN ('james', 'mss') ORDER BY 1")) {
                while (rows.next()) {
                    schemas.add(rows.getString(1));
                }
            }
            assertThat(schemas).containsExactly("james", "mss");
            try (ResultSet rows = statement.executeQuery("SELECT current_schema(), to_regclass('mss.flyway_schema_history')")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("mss");
                assertThat(rows.getString(2)).isNotNull();
            }
        }
    }

    @Test
    void opening_twice_applies_nothing_new() {
        DatabaseSettings settings = new DatabaseSettings(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "", true);
        try (MssDatabase first = MssDatabase.open(settings, 2)) {
            assertThat(first.dataSource()).isNotNull();
        }
        try (MssDatabase second = MssDatabase.open(settings, 2)) {
            assertThat(second.dataSource()).isNotNull();
        }
    }

    @Test
    void a_pool_too_small_for_flyway_is_refused_before_connecting() {
        DatabaseSettings settings = new DatabaseSettings(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "", true);
        assertThatThrownBy(() -> MssDatabase.open(settings, 1))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("at least 2");
    }

    @Test
    void only_postgresql_urls_are_accepted() {
        assertThatThrownBy(() -> new DatabaseSettings("jdbc:h2:mem:x", "u", "p", false))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("Only PostgreSQL");
    }

    @Test
    void the_schema_is_added_to_the_url_with_the_right_separator() {
        assertThat(new DatabaseSettings("jdbc:postgresql://h/db", "u", "p", false).urlForSchema("mss"))
            .isEqualTo("jdbc:postgresql://h/db?currentSchema=mss");
        assertThat(new DatabaseSettings("jdbc:postgresql://h/db?ssl=true", "u", "p", false).urlForSchema("james"))
            .isEqualTo("jdbc:postgresql://h/db?ssl=true&currentSchema=james");
    }

    @Test
    void the_password_is_never_printed() {
        assertThat(new DatabaseSettings("jdbc:postgresql://h/db", "u", "s3cret-pw", false).toString())
            .doesNotContain("s3cret-pw");
    }
}
