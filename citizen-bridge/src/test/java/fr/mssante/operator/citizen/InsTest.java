package fr.mssante.operator.citizen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InsTest {
    @ParameterizedTest
    @ValueSource(strings = {"146026322000196", "285057511223391", "172032A01400591", "172032a01400591", "172032B01400521"})
    void validInsWithTheirKeysIncludingCorsica(String ins) {
        assertThat(Ins.problem(ins)).isEmpty();
        assertThat(Ins.parse(ins)).isPresent();
    }

    @Test
    void aWrongKeySaysWhichKeyWasExpected() {
        assertThat(Ins.problem("146026322000197")).contains("la clé de l'INS est fausse (attendue : 96)");
    }

    @Test
    void corsicaIsCountedAs19And18NotAsDigits() {
        // 2A counts as 19: the key of 1720319014005 (91), not another one
        assertThat(Ins.withKey("172032A014005").value()).isEqualTo("172032A01400591");
        assertThat(Ins.withKey("172032B014005").value()).isEqualTo("172032B01400521");
    }

    @ParameterizedTest
    @ValueSource(strings = {"14602632200019", "1460263220001966", "", "14602632200019X", "1460 6322000196"})
    void lengthAndCharactersAreChecked(String ins) {
        assertThat(Ins.problem(ins)).isPresent();
        assertThat(Ins.parse(ins)).isEmpty();
    }

    @Test
    void theConstructorRefusesAnInvalidIns() {
        assertThatThrownBy(() -> new Ins("146026322000197")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void patientDomainAddressesAreParsedAndOthersIgnored() {
        PatientDomains domains = PatientDomains.of("patient.mss.test, Patient.MSSante.fr");
        assertThat(domains.citizen("146026322000196@patient.mss.test")).get().satisfies(parsed -> {
            assertThat(parsed.valid()).isTrue();
            assertThat(parsed.ins()).contains(new Ins("146026322000196"));
        });
        assertThat(domains.citizen("146026322000197@patient.mssante.fr")).get()
            .satisfies(parsed -> assertThat(parsed.problem()).isPresent());
        assertThat(domains.citizen("alice.martin@demo.mss.test")).isEmpty();
        assertThat(new Ins("172032a01400591").address("patient.mss.test")).isEqualTo("172032a01400591@patient.mss.test");
    }
}
