package fr.mssante.operator.dmp.connector.vihf;

import java.time.Duration;
import java.util.Objects;

/**
 * The organisation-level VIHF attributes (CI-SIS "Vecteur d'Identification et d'Habilitation Formelle"), the same
 * for every assertion this operator issues.
 *
 * @param vihfVersion {@code VIHF_Version}: 4.0, the constant of the ANS VIHF mapping for the DMP (IG
 *                    hl7v2-volet-transmission-document-cda-r2, mapping.md); 3.0 in older published samples
 * @param authenticationMode {@code Authentification_Mode}: INDIRECTE (the structure authenticates its users)
 * @param secteurActivite {@code Secteur_Activite}, e.g. {@code SA07^1.2.250.1.71.4.2.4}
 * @param structureId {@code Identifiant_Structure} (IdNat_Struct of the operator or of the sender's structure)
 * @param lpsId {@code LPS_ID}
 * @param lpsName {@code LPS_Nom}
 * @param lpsVersion {@code LPS_Version}
 * @param lpsHomologation {@code LPS_ID_HOMOLOGATION_DMP}, may be empty outside production
 * @param validity how long an assertion is valid after its issue instant
 */
public record VihfProfile(String vihfVersion, String authenticationMode, String secteurActivite, String structureId,
                          String lpsId, String lpsName, String lpsVersion, String lpsHomologation,
                          Duration validity) {
    public VihfProfile {
        Objects.requireNonNull(vihfVersion, "vihfVersion");
        Objects.requireNonNull(authenticationMode, "authenticationMode");
        Objects.requireNonNull(secteurActivite, "secteurActivite");
        Objects.requireNonNull(structureId, "structureId");
        Objects.requireNonNull(lpsId, "lpsId");
        Objects.requireNonNull(lpsName, "lpsName");
        Objects.requireNonNull(lpsVersion, "lpsVersion");
        lpsHomologation = lpsHomologation == null ? "" : lpsHomologation;
        Objects.requireNonNull(validity, "validity");
    }
}
