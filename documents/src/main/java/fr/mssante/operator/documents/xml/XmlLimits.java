package fr.mssante.operator.documents.xml;

/**
 * Bounds for a parsed tree.
 *
 * @param maxDepth    deepest element nesting accepted
 * @param maxElements elements kept in the tree
 * @param maxTextChars characters of text kept in the tree (all elements together)
 */
public record XmlLimits(int maxDepth, int maxElements, long maxTextChars) {
    /** Generous for XDM metadata (a few hundred elements per document entry). */
    public static final XmlLimits DEFAULT = new XmlLimits(256, 200_000, 16L * 1024 * 1024);

    public XmlLimits {
        if (maxDepth < 1 || maxElements < 1 || maxTextChars < 0) {
            throw new IllegalArgumentException("XML limits must be positive");
        }
    }
}
