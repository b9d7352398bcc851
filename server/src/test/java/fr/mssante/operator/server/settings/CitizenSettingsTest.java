package fr.mssante.operator.server.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import fr.mssante.operator.citizen.CitizenSettings;

/** MSS_PATIENT_DOMAINS, MSS_CITIZEN_PHARMACY_*, MSS_HEALTH_SPACE_*: defaults per mode and refused values. */
class CitizenSettingsTest {
    @Test
    void developmentServesTheDevelopmentPatientDomainAndTrustsTheDevelopmentHealthSpace() {
        CitizenSettings citizen = ServerSettings.resolve(name -> null, name -> null).citizen();
        assertThat(citizen.patientDomains().domains()).containsExactlyInAnyOrder("patient.mss.test", "patient.mssante.fr");
        assertThat(citizen.pharmacyWindow()).isEqualTo(Duration.ofDays(30));
        assertThat(citizen.pharmacyMailboxes()).isEmpty();
        assertThat(citizen.healthSpaceUrl()).isEqualTo("http://127.0.0.1:18081/");
        assertThat(citizen.healthSpaceCertificateDn()).contains(ServerSettings.DEVELOPMENT_HEALTH_SPACE_DN);
    }

    @Test
    void explicitValuesAreParsedAndNormalised() {
        CitizenSettings citizen = ServerSettings.resolve(Map.of(
            "MSS_PATIENT_DOMAINS", " Patient.Region.fr ,patient.mssante.fr",
            "MSS_CITIZEN_PHARMACY_MAILBOXES", "Pharmacie.A@op.test, pharmacie.b@op.test",
            "MSS_CITIZEN_PHARMACY_WINDOW", "P7D",
            "MSS_HEALTH_SPACE_CERT_DN", "C=FR, O=Region, CN=espace-sante")::get, name -> null).citizen();
        assertThat(citizen.patientDomains().domains()).containsExactlyInAnyOrder("patient.region.fr", "patient.mssante.fr");
        assertThat(citizen.pharmacyMailboxes()).containsExactlyInAnyOrder("pharmacie.a@op.test", "pharmacie.b@op.test");
        assertThat(citizen.pharmacyWindow()).isEqualTo(Duration.ofDays(7));
        assertThat(citizen.healthSpaceCertificateDn()).contains("C=FR,O=Region,CN=espace-sante");
    }

    @Test
    void badValuesStopTheStartNamingTheSetting() {
        assertThatThrownBy(() -> ServerSettings.resolve(Map.of("MSS_CITIZEN_PHARMACY_WINDOW", "30 days")::get, name -> null))
            .hasMessageContaining("MSS_CITIZEN_PHARMACY_WINDOW");
        assertThatThrownBy(() -> ServerSettings.resolve(Map.of("MSS_CITIZEN_PHARMACY_MAILBOXES", "pharmacie")::get, name -> null))
            .hasMessageContaining("MSS_CITIZEN_PHARMACY_MAILBOXES");
        assertThatThrownBy(() -> ServerSettings.resolve(Map.of("MSS_HEALTH_SPACE_CERT_DN", "not a dn")::get, name -> null))
            .hasMessageContaining("MSS_HEALTH_SPACE_CERT_DN");
    }
}
