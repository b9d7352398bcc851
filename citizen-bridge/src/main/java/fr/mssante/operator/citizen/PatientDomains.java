package fr.mssante.operator.citizen;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The patient domains ({@code MSS_PATIENT_DOMAINS}): addresses {@code <INS>@<domain>} are citizens' ones. Which of
 * them this server serves (development stand-in, a regional health space) is the mail server's domain list; the
 * others (production {@code patient.mssante.fr}) are relayed through the trust space like any operator's.
 */
public record PatientDomains(Set<String> domains) {
    public PatientDomains {
        Set<String> normalised = new LinkedHashSet<>();
        domains.forEach(domain -> normalised.add(domain.trim().toLowerCase(Locale.ROOT)));
        domains = Set.copyOf(normalised);
    }

    /** From a comma list; blanks ignored. */
    public static PatientDomains of(String commaList) {
        return new PatientDomains(new LinkedHashSet<>(Arrays.stream(commaList.split(","))
            .map(String::trim).filter(domain -> !domain.isEmpty()).toList()));
    }

    /** Is the address in a patient domain (whatever its local part)? */
    public boolean contains(String address) {
        return domainOf(address).map(domains::contains).orElse(false);
    }

    /**
     * The citizen an address names: empty when the address is not in a patient domain; a {@link Parsed} with the
     * problem when its local part is not a valid INS.
     */
    public Optional<Parsed> citizen(String address) {
        if (!contains(address)) {
            return Optional.empty();
        }
        String normalised = address.trim().toLowerCase(Locale.ROOT);
        String local = normalised.substring(0, normalised.lastIndexOf('@'));
        return Optional.of(new Parsed(normalised, Ins.parse(local), Ins.problem(local)));
    }

    /** An address of a patient domain: its INS when valid, else why not. */
    public record Parsed(String address, Optional<Ins> ins, Optional<String> problem) {
        public boolean valid() {
            return ins.isPresent();
        }
    }

    private static Optional<String> domainOf(String address) {
        if (address == null) {
            return Optional.empty();
        }
        int at = address.lastIndexOf('@');
        return at < 0 ? Optional.empty() : Optional.of(address.substring(at + 1).trim().toLowerCase(Locale.ROOT));
    }
}
