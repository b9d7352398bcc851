package fr.mssante.operator.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PatientAddressesTest {
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private final PatientAddresses patients = PatientAddresses.withKey(KEY);

    @Test
    void anInsLocalPartIsAPatientAddressIncludingCorsica() {
        assertThat(PatientAddresses.isPatientAddress("180077512345678@patient.mss.test")).isTrue();
        assertThat(PatientAddresses.isPatientAddress("2692A11234567 89@patient.mss.test")).isFalse();
        assertThat(PatientAddresses.isPatientAddress("269022A12345612@patient.mss.test")).isTrue();
        assertThat(PatientAddresses.isPatientAddress("169022B12345645@patient.mss.test")).isTrue();
        assertThat(PatientAddresses.isPatientAddress("dr.martin@hopital.mss.test")).isFalse();
        assertThat(PatientAddresses.isPatientAddress("18007751234567@patient.mss.test")).as("14 characters").isFalse();
        assertThat(PatientAddresses.isPatientAddress("x180077512345678@patient.mss.test")).isFalse();
    }

    @Test
    void everyPatientAddressInAnyTextIsReplacedByItsKeyedHash() {
        String hash = patients.hash("180077512345678@patient.mss.test");
        assertThat(hash).startsWith("ins-hmac:").hasSize("ins-hmac:".length() + 64).doesNotContain("180077512345678");
        assertThat(patients.protect("to <180077512345678@Patient.MSS.test>, dr@h.test"))
            .isEqualTo("to <" + hash + ">, dr@h.test");
        assertThat(patients.protect("180077512345678@patient.mss.test")).isEqualTo(hash);
        assertThat(patients.protect("dr.martin@hopital.mss.test")).isEqualTo("dr.martin@hopital.mss.test");
        assertThat(patients.protect(null)).isNull();
    }

    @Test
    void anInsStandingAloneIsHashedTooAsInTheCitizenRoutesPaths() {
        String hash = patients.hash("146026322000196");
        assertThat(patients.protect("POST /mss/citizens/146026322000196/login-code/verify"))
            .isEqualTo("POST /mss/citizens/" + hash + "/login-code/verify");
        assertThat(patients.protect("citoyen 169022B12345645 clos")).doesNotContain("169022B12345645");
        assertThat(patients.protect("rpps 810000000002, 1460263220001960 (16 digits)"))
            .as("other identifiers stay").isEqualTo("rpps 810000000002, 1460263220001960 (16 digits)");
        String address = patients.hash("146026322000196@patient.mss.test");
        assertThat(patients.protect("146026322000196@patient.mss.test")).as("an address is hashed as an address")
            .isEqualTo(address);
    }

    @Test
    void theHashDependsOnTheServerKey() {
        PatientAddresses other = PatientAddresses.withKey("fedcba9876543210fedcba9876543210".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertThat(other.hash("180077512345678@patient.mss.test")).isNotEqualTo(patients.hash("180077512345678@patient.mss.test"));
        assertThatThrownBy(() -> PatientAddresses.withKey(new byte[16])).isInstanceOf(IllegalArgumentException.class);
    }
}
