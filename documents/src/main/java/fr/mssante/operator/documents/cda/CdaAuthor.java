package fr.mssante.operator.documents.cda;

import java.util.List;
import java.util.Optional;

/**
 * A document author ({@code author/assignedAuthor}).
 *
 * @param time         {@code author/time/@value}
 * @param ids          all {@code assignedAuthor/id}
 * @param profession   {@code assignedAuthor/code} (e.g. {@code G15_10/SM03})
 * @param prefix       name prefix
 * @param givenName    first given name
 * @param familyName   family name
 * @param organisation {@code representedOrganization}
 */
public record CdaAuthor(Optional<String> time, List<InstanceId> ids, Optional<CodedValue> profession, Optional<String> prefix,
                        Optional<String> givenName, Optional<String> familyName, Optional<CdaOrganisation> organisation) {
    /** The OID of national professional identifiers (IdNat_PS: 8+RPPS, 0+ADELI). */
    public static final String IDNAT_PS = "1.2.250.1.71.4.2.1";

    public CdaAuthor {
        ids = List.copyOf(ids);
    }

    /** The id whose root is {@value #IDNAT_PS}, if any. */
    public Optional<InstanceId> nationalId() {
        return ids.stream().filter(id -> IDNAT_PS.equals(id.root())).findFirst();
    }
}
