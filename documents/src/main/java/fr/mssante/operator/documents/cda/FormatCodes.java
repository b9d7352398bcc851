package fr.mssante.operator.documents.cda;

import java.util.List;
import java.util.Optional;

/**
 * The XDS formatCode a CDA declares through its templateIds (health-formats.md §6: N1 → XDS-SD PDF; CR-BIO / XD-LAB →
 * {@code urn:ihe:lab:xd-lab:2008}). Other CI-SIS models map through ConceptMap ASS_A11, not available offline: none is
 * guessed here, the XDM metadata's formatCode wins when present.
 */
public final class FormatCodes {
    public static final String XDS_SD_TEMPLATE = "1.3.6.1.4.1.19376.1.2.20";
    public static final String XD_LAB_TEMPLATE = "1.3.6.1.4.1.19376.1.3.3";
    public static final String XDS_SD_PDF = "urn:ihe:iti:xds-sd:pdf:2008";
    public static final String XD_LAB = "urn:ihe:lab:xd-lab:2008";

    private FormatCodes() {
    }

    public static Optional<String> fromTemplates(List<InstanceId> templateIds, BodyKind body, boolean pdf) {
        boolean xdsSd = templateIds.stream().anyMatch(t -> XDS_SD_TEMPLATE.equals(t.root()));
        boolean xdLab = templateIds.stream().anyMatch(t -> XD_LAB_TEMPLATE.equals(t.root()));
        if (xdsSd && body == BodyKind.NON_XML && pdf) {
            return Optional.of(XDS_SD_PDF);
        }
        if (xdLab) {
            return Optional.of(XD_LAB);
        }
        return Optional.empty();
    }
}
