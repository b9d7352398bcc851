package fr.mssante.operator.extensions.imap;

/**
 * Bounds on what one IMAP command may make the server read and parse.
 *
 * @param unauthenticatedLiteralSize largest literal (and total of literals of one command) before authentication
 * @param authenticatedLiteralSize   the same once authenticated
 * @param maxLiterals                literals in one command
 * @param maxLineLength              octets of one line of a command outside its literals
 * @param maxNesting                 parenthesised lists and OR/NOT search keys in one command (each can nest the
 *                                   parser one level deeper)
 */
public record ImapInputLimits(int unauthenticatedLiteralSize, int authenticatedLiteralSize, int maxLiterals,
                              int maxLineLength, int maxNesting) {
    /** 8 KiB before authentication, as James 3.8.2 does for CVE-2024-37358. */
    public static final int UNAUTHENTICATED_LITERAL_SIZE = 8192;
    public static final int MAX_LITERALS = 64;
    public static final int MAX_NESTING = 64;

    public ImapInputLimits {
        if (unauthenticatedLiteralSize <= 0 || authenticatedLiteralSize <= 0 || maxLiterals <= 0 || maxLineLength <= 0
            || maxNesting <= 0) {
            throw new IllegalArgumentException("IMAP input limits must be positive");
        }
    }

    public static ImapInputLimits of(int authenticatedLiteralSize, int maxLineLength) {
        return new ImapInputLimits(UNAUTHENTICATED_LITERAL_SIZE, authenticatedLiteralSize, MAX_LITERALS, maxLineLength,
            MAX_NESTING);
    }
}
