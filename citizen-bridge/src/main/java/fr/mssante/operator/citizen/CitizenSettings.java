package fr.mssante.operator.citizen;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Citizen messaging settings.
 *
 * @param patientDomains          MSS_PATIENT_DOMAINS (those in our domain list are served here, the others relayed)
 * @param pharmacyMailboxes       MSS_CITIZEN_PHARMACY_MAILBOXES
 * @param pharmacyWindow          MSS_CITIZEN_PHARMACY_WINDOW
 * @param healthSpaceUrl          MSS_HEALTH_SPACE_URL: the only link in the mails to a citizen's personal address
 * @param healthSpaceCertificateDn MSS_HEALTH_SPACE_CERT_DN: the health space's client certificate subject (RFC 2253)
 */
public record CitizenSettings(PatientDomains patientDomains, Set<String> pharmacyMailboxes, Duration pharmacyWindow,
                              String healthSpaceUrl, Optional<String> healthSpaceCertificateDn) {
    public CitizenSettings {
        pharmacyMailboxes = Set.copyOf(pharmacyMailboxes);
    }

    public CitizenRules.Settings rules() {
        return new CitizenRules.Settings(pharmacyMailboxes, pharmacyWindow, CitizenRules.MAX_SIZE);
    }
}
