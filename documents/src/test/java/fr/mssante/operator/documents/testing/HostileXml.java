package fr.mssante.operator.documents.testing;

/** Hostile XML prologs generated in tests (XXE, billion laughs). */
public final class HostileXml {
    /** The classic billion laughs for a root named {@code root}: 10^9 "lol" if {@code &lol9;} were expanded. */
    public static String billionLaughs(String root) {
        StringBuilder dtd = new StringBuilder("<!DOCTYPE ").append(root).append(" [\n <!ENTITY lol \"lol\">\n");
        for (int i = 1; i <= 9; i++) {
            String previous = i == 1 ? "lol" : "lol" + (i - 1);
            dtd.append(" <!ENTITY lol").append(i).append(" \"").append(("&" + previous + ";").repeat(10)).append("\">\n");
        }
        return dtd.append("]>").toString();
    }

    /** An internal subset declaring {@code &xxe;} as {@code file:///etc/passwd}. */
    public static String xxe(String root) {
        return "<!DOCTYPE " + root + " [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>";
    }

    private HostileXml() {
    }
}
