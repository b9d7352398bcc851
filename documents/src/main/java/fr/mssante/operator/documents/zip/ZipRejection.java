package fr.mssante.operator.documents.zip;

/** Why {@link SafeUnzipper} refused an archive. */
public enum ZipRejection {
    /** An entry inflates more than the allowed ratio (measured while inflating). */
    ZIP_BOMB,
    /** One entry inflates beyond the per-entry limit. */
    ENTRY_TOO_LARGE,
    /** All entries together inflate beyond the total limit. */
    TOTAL_TOO_LARGE,
    /** More entries than allowed (counted in the central directory before inflating, and while streaming). */
    TOO_MANY_ENTRIES,
    /** An entry name escapes the archive: {@code ..}, absolute path, backslash, drive letter. */
    PATH_TRAVERSAL,
    /** An entry name that is empty, too long, not UTF-8, with control characters or empty/{@code .} segments. */
    INVALID_NAME,
    /** Two entries with the same name (ignoring case). */
    DUPLICATE_ENTRY,
    /** The archive ends early (inside an entry, or before its central directory). */
    TRUNCATED,
    /** An encrypted entry. */
    ENCRYPTED,
    /** The central directory does not list the entries the archive actually holds (hidden or overlapping entries). */
    CENTRAL_DIRECTORY_MISMATCH,
    /** Not a zip archive at all. */
    NOT_A_ZIP,
    /** Any other structural error (bad CRC, sizes that disagree with the data, bad headers, multi-volume). */
    MALFORMED
}
