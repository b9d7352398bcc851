package fr.mssante.operator.documents.xdm;

import java.util.List;

/**
 * An XDM package read from an {@code IHE_XDM.ZIP} archive.
 *
 * @param subsets      the submission set folders that have a METADATA.XML
 * @param hasIndexHtm  {@code INDEX.HTM} at the root
 * @param hasReadmeTxt {@code README.TXT} at the root
 * @param issues       non-fatal findings
 */
public record XdmPackage(List<XdmSubset> subsets, boolean hasIndexHtm, boolean hasReadmeTxt, List<XdmIssue> issues) {
    public XdmPackage {
        subsets = List.copyOf(subsets);
        issues = List.copyOf(issues);
    }

    /** All document entries of all subsets. */
    public List<XdmDocumentEntry> documents() {
        return subsets.stream().flatMap(s -> s.documents().stream()).toList();
    }
}
