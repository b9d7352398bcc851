package fr.mssante.operator.documents.analysis;

/**
 * One finding of {@link HealthDocumentAnalyzer}. {@code where} and {@code detail} may name attachments and archive
 * entries, and attachment names count as message content (they often carry the patient's name): log the
 * {@link #code()} freely, {@code where}/{@code detail} only at DEBUG or in the quarantine record.
 *
 * @param code   the typed reason
 * @param where  which attachment / entry / document ({@code IHE_XDM.ZIP!IHE_XDM/SUBSET01/DOC0001.XML}, MIME part
 *               path, …); names only, never content
 * @param detail short English detail, without document content, INS or patient traits
 */
public record Problem(ProblemCode code, String where, String detail) {
    public boolean blocking() {
        return code.blocking();
    }
}
