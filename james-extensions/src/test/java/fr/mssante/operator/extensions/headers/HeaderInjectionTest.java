package fr.mssante.operator.extensions.headers;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import org.apache.james.mime4j.stream.RawField;
import org.junit.jupiter.api.Test;

/**
 * CVE-2024-21742: James 3.8.1 (and 3.8.2) ship mime4j 0.8.9, whose {@code RawField} accepts a header value with an
 * un-encoded line break, so a value taken from a message or a client becomes extra header lines in the DSNs, MDNs and
 * notices built with mime4j's DOM. The parent pom pins a fixed mime4j; this test fails if the pin is lost.
 */
class HeaderInjectionTest {

    @Test
    void aHeaderValueCannotCarryAnotherHeader() {
        assertThatThrownBy(() -> new RawField("Subject", "Résultats\r\nBcc: attacker@elsewhere.test"))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RawField("Subject", "Résultats\rBcc: attacker@elsewhere.test"))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFoldedValueIsStillAccepted() {
        assertThat(new RawField("Subject", "Résultats\r\n de biologie").getBody()).isEqualTo("Résultats\r\n de biologie");
    }
}
