package fr.mssante.operator.documents.detect;

/** The health-document attachments the server looks for. */
public enum AttachmentKind {
    /** An {@code IHE_XDM.ZIP} package (name matched ignoring case). */
    XDM_ZIP,
    /** A bare CDA: XML whose root is {@code ClinicalDocument} in {@code urn:hl7-org:v3}. */
    CDA,
    /** A PDF (by type, by name, or by its {@code %PDF-} signature in an octet-stream part). */
    PDF
}
