package fr.mssante.operator.documents.analysis;

import java.util.Optional;

/**
 * Where an analysed document came from.
 *
 * @param kind       inside an XDM package, or a bare CDA attachment
 * @param attachment the attachment's file name (or its MIME part path when unnamed)
 * @param partPath   the MIME part path of the attachment
 * @param entry      the archive entry (XDM only), e.g. {@code IHE_XDM/SUBSET01/DOC0001.XML}
 */
public record DocumentSource(Kind kind, String attachment, String partPath, Optional<String> entry) {
    public enum Kind {
        XDM_ENTRY,
        BARE_ATTACHMENT
    }

    /** {@code attachment!entry} or {@code attachment}. */
    public String describe() {
        return entry.map(e -> attachment + "!" + e).orElse(attachment);
    }
}
