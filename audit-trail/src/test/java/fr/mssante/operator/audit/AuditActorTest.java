package fr.mssante.operator.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class AuditActorTest {
    @Test
    void theConsoleNamesItsOperator() {
        assertThat(AuditActor.of(Optional.of("mss-console"), Optional.of("operateur1"))).isEqualTo("console:operateur1");
        assertThat(AuditActor.of(Optional.of("mss-console"), Optional.empty())).isEqualTo("console:?");
        assertThat(AuditActor.of(Optional.of("mss-console"), Optional.of("bad value\r\nX: y"))).isEqualTo("console:?");
    }

    @Test
    void anyOtherTokenIsItselfWhateverHeaderItSends() {
        assertThat(AuditActor.of(Optional.of("admin@demo.mss.test"), Optional.of("operateur1")))
            .isEqualTo("webadmin:admin@demo.mss.test");
        assertThat(AuditActor.of(Optional.empty(), Optional.of("operateur1"))).isEqualTo("anonymous");
    }
}
