package fr.mssante.operator.directory.parse;

/** A skipped line: its 1-based number in the file (the header is line 1) and why. */
public record LineIssue(long line, Kind kind, String message) {

    public enum Kind { MALFORMED, DUPLICATE }
}
