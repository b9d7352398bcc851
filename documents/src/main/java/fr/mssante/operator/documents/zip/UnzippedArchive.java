package fr.mssante.operator.documents.zip;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The validated entries of an archive, in archive order. */
public record UnzippedArchive(List<ArchiveEntry> entries, long totalBytes) {
    public UnzippedArchive {
        entries = List.copyOf(entries);
    }

    /** The entry with exactly this name. */
    public Optional<ArchiveEntry> find(String name) {
        return entries.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    /** The entry with this name ignoring case (names are unique ignoring case: duplicates are refused). */
    public Optional<ArchiveEntry> findIgnoreCase(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        return entries.stream().filter(e -> e.name().toLowerCase(Locale.ROOT).equals(wanted)).findFirst();
    }

    /** Files (not folders). */
    public List<ArchiveEntry> files() {
        return entries.stream().filter(e -> !e.directory()).toList();
    }
}
