package fr.mssante.operator.documents.cda;

import java.util.List;
import java.util.Optional;

import fr.mssante.operator.documents.ins.InsCandidate;
import fr.mssante.operator.documents.ins.InsOid;

/**
 * {@code recordTarget/patientRole}: identifiers and identity traits (CI-SIS: {@code family qualifier="BR"} = birth
 * name, unqualified {@code given} = all birth given names, {@code given qualifier="BR"} = first birth given name,
 * {@code qualifier="CL"} = used names). {@link #toString()} hides everything.
 *
 * @param ids                 all {@code patientRole/id} (INS, IPP…)
 * @param ins                 the first id whose root is an INS OID
 * @param birthFamilyName     family BR (else the unqualified family)
 * @param birthGivenNames     the unqualified given(s), space-joined
 * @param firstBirthGivenName given BR (else the first word of the birth given names)
 * @param usedFamilyName      family CL
 * @param usedGivenName       given CL
 * @param birthTime           {@code birthTime/@value}
 * @param genderCode          {@code administrativeGenderCode/@code}
 * @param birthplaceCode      {@code birthplace/place/addr/county} (INSEE code)
 */
public record CdaPatient(
    List<InstanceId> ids,
    Optional<InstanceId> ins,
    Optional<String> birthFamilyName,
    Optional<String> birthGivenNames,
    Optional<String> firstBirthGivenName,
    Optional<String> usedFamilyName,
    Optional<String> usedGivenName,
    Optional<String> birthTime,
    Optional<String> genderCode,
    Optional<String> birthplaceCode) {

    public CdaPatient {
        ids = List.copyOf(ids);
    }

    /** All ids with an INS OID (normally one). */
    public List<InstanceId> insIds() {
        return ids.stream().filter(id -> InsOid.of(id.root()).isPresent()).toList();
    }

    /** The INS and traits, for {@link fr.mssante.operator.documents.ins.InsValidator}. */
    public InsCandidate insCandidate() {
        return new InsCandidate(ins.flatMap(InstanceId::extension), ins.map(InstanceId::root), birthFamilyName, birthGivenNames,
            firstBirthGivenName, birthTime, genderCode, birthplaceCode);
    }

    @Override
    public String toString() {
        return "CdaPatient[" + ids.size() + " id(s), ins=" + ins.isPresent() + "]";
    }
}
