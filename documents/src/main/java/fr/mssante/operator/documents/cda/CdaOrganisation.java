package fr.mssante.operator.documents.cda;

import java.util.List;
import java.util.Optional;

/** An organisation (author's representedOrganization, custodian): its ids and name. */
public record CdaOrganisation(List<InstanceId> ids, Optional<String> name) {
    /** The OID of national structure identifiers (IdNat_Struct). */
    public static final String IDNAT_STRUCT = "1.2.250.1.71.4.2.2";

    public CdaOrganisation {
        ids = List.copyOf(ids);
    }

    /** The id whose root is {@value #IDNAT_STRUCT}, if any. */
    public Optional<InstanceId> nationalId() {
        return ids.stream().filter(id -> IDNAT_STRUCT.equals(id.root())).findFirst();
    }
}
