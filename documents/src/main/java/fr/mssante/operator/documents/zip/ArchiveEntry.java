package fr.mssante.operator.documents.zip;

import fr.mssante.operator.documents.content.Content;

/**
 * One entry of an {@link UnzippedArchive}.
 *
 * @param name          the validated relative name ({@code IHE_XDM/SUBSET01/DOC0001.XML}); folders end with {@code /}
 * @param content       the inflated bytes (empty for folders)
 * @param directory     a folder entry
 * @param nestedArchive the entry is itself an archive (by name or by its zip signature): kept as bytes, never expanded
 */
public record ArchiveEntry(String name, Content content, boolean directory, boolean nestedArchive) {
    /** The last path segment ({@code DOC0001.XML}). */
    public String fileName() {
        String trimmed = directory ? name.substring(0, name.length() - 1) : name;
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }
}
