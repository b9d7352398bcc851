package fr.mssante.operator.extensions.webadmin;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.CertificateParsingException;
import java.sql.SQLException;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class JsonRouteTest {
    private static Optional<Integer> status(Throwable failure) {
        return JsonRoute.refusal(failure).map(JsonRoute.Refusal::status);
    }

    @Test
    void callersMistakesAre4xx() {
        assertThat(status(new IllegalArgumentException("bad"))).contains(400);
        assertThat(status(new NumberFormatException("x"))).contains(400);
        assertThat(status(new NotFoundException("no mailbox x"))).contains(404);
        assertThat(status(new CertificateParsingException("garbage"))).contains(400);
        assertThat(status(new SQLException("fk", "23503"))).contains(404);
        assertThat(status(new RuntimeException(new SQLException("fk", "23503")))).as("wrapped").contains(404);
        assertThat(status(new SQLException("dup", "23505"))).contains(409);
        assertThat(status(new SQLException("too long", "22001"))).contains(400);
    }

    @Test
    void serverFaultsStay500AndTheDatabaseMessageIsNotEchoed() {
        assertThat(status(new SQLException("connection refused", "08001"))).isEmpty();
        assertThat(status(new IllegalStateException("bug"))).isEmpty();
        assertThat(status(new RuntimeException(new IllegalArgumentException("deep")))).as("only a top-level rejection").isEmpty();
        assertThat(JsonRoute.refusal(new SQLException("Key (address)=(146026322000196@patient.mss.test) is not present", "23503"))
            .orElseThrow().message()).doesNotContain("146026322000196");
    }
}
