package fr.mssante.operator.documents.ins;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides whether a document carries a qualified INS for this deployment's {@link Environment}: production accepts
 * INS-NIR and INS-NIA only, a test deployment the ANS test OID only, a demo deployment the demo OID only
 * (health-formats.md §3: "reject test and demo OIDs in production, and production OIDs in test").
 */
public final class InsValidator {
    private final Environment environment;

    public InsValidator(Environment environment) {
        this.environment = environment;
    }

    public Environment environment() {
        return environment;
    }

    public InsVerdict validate(InsCandidate candidate) {
        if (candidate.matricule().isEmpty() || candidate.oid().isEmpty()) {
            return verdict(InsStatus.MISSING, null, List.of(), "no patient identifier with an INS OID");
        }
        Optional<InsOid> oid = InsOid.of(candidate.oid().get());
        if (oid.isEmpty()) {
            return verdict(InsStatus.MISSING, null, List.of(), "identifier authority " + candidate.oid().get() + " is not an INS OID");
        }
        InsOid authority = oid.get();
        if (authority.environment() != environment) {
            return verdict(InsStatus.WRONG_ENVIRONMENT, authority, List.of(),
                authority + " (" + authority.oid() + ") is a " + authority.environment() + " INS, this deployment is " + environment);
        }
        String matricule = candidate.matricule().get().trim();
        NirCheck check = Nir.check(matricule);
        if (!check.valid()) {
            String detail = switch (check.status()) {
                case WRONG_LENGTH -> "matricule is not 15 characters";
                case INVALID_CHARACTERS -> "matricule has characters other than digits (and 2A/2B)";
                default -> "matricule key does not match (97 - number mod 97)";
            };
            return verdict(InsStatus.INVALID_MATRICULE, authority, List.of(), detail);
        }
        List<String> missing = new ArrayList<>();
        Optional<String> family = nonBlank(candidate.birthFamilyName());
        Optional<String> firstGiven = nonBlank(candidate.firstBirthGivenName());
        Optional<LocalDate> birthDate = candidate.birthDate().flatMap(InsValidator::birthDate);
        Optional<Sex> sex = candidate.sex().flatMap(Sex::ofCode);
        if (family.isEmpty()) {
            missing.add("birthFamilyName");
        }
        if (firstGiven.isEmpty()) {
            missing.add("firstBirthGivenName");
        }
        if (birthDate.isEmpty()) {
            missing.add("birthDate");
        }
        if (sex.isEmpty()) {
            missing.add("sex");
        }
        if (!missing.isEmpty()) {
            return verdict(InsStatus.INCOMPLETE, authority, missing, "missing or invalid INS traits: " + String.join(", ", missing));
        }
        QualifiedIns qualified = new QualifiedIns(matricule.toUpperCase(Locale.ROOT), authority, family.get(),
            nonBlank(candidate.birthGivenNames()).orElse(firstGiven.get()), firstGiven.get(), birthDate.get(), sex.get(),
            nonBlank(candidate.birthplaceCode()));
        return new InsVerdict(InsStatus.QUALIFIED, Optional.of(qualified), Optional.of(authority), List.of(),
            "qualified " + authority + " INS" + (check.provisional() ? " (provisional number)" : ""));
    }

    private static InsVerdict verdict(InsStatus status, InsOid oid, List<String> missing, String detail) {
        return new InsVerdict(status, Optional.empty(), Optional.ofNullable(oid), missing, detail);
    }

    private static Optional<String> nonBlank(Optional<String> value) {
        return value.map(String::trim).filter(s -> !s.isEmpty());
    }

    /** HL7 TS {@code YYYYMMDD[hhmm[ss]][±zzzz]}: the day is required for an INS birth date. */
    static Optional<LocalDate> birthDate(String hl7) {
        String value = hl7.trim();
        if (value.length() < 8) {
            return Optional.empty();
        }
        for (int i = 0; i < 8; i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return Optional.empty();
            }
        }
        try {
            return Optional.of(LocalDate.of(Integer.parseInt(value.substring(0, 4)), Integer.parseInt(value.substring(4, 6)),
                Integer.parseInt(value.substring(6, 8))));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }
}
