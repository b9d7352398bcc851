package fr.mssante.operator.trust.testpki;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** Writes a liste blanche XML document in the official format (for tests and the development mode). */
public final class ListeBlancheWriter {
    private ListeBlancheWriter() {
    }

    /**
     * @param pairs the entries
     * @param generatedAt {@code DateDeGeneration} and {@code DateMAJ}
     * @param withRootEndTag false reproduces the published copies' missing closing root tag
     */
    public static String write(List<ListedPair> pairs, Instant generatedAt, boolean withRootEndTag) {
        String date = generatedAt.truncatedTo(ChronoUnit.SECONDS).toString();
        StringBuilder sb = new StringBuilder(256 + pairs.size() * 400);
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
                .append("<ListeBlancheMSSante xmlns=\"https://listeblanche.mssante.fr/schema\">\n")
                .append("    <DateDeGeneration>").append(date).append("</DateDeGeneration>\n")
                .append("    <ListeDomaines>\n");
        for (ListedPair p : pairs) {
            sb.append("        <Domaine>\n")
                    .append("            <Nom>").append(escape(p.domain())).append("</Nom>\n")
                    .append("            <Description>").append(escape(p.description())).append("</Description>\n")
                    .append("            <DNCertificatOperateur>").append(escape(p.dn()))
                    .append("</DNCertificatOperateur>\n")
                    .append("            <ResponsableContact>test@").append(escape(p.domain()))
                    .append("</ResponsableContact>\n")
                    .append("            <SupportContact>support@").append(escape(p.domain()))
                    .append("</SupportContact>\n")
                    .append("            <DateMAJ>").append(date).append("</DateMAJ>\n")
                    .append("        </Domaine>\n");
        }
        sb.append("    </ListeDomaines>\n");
        if (withRootEndTag) {
            sb.append("</ListeBlancheMSSante>\n");
        }
        return sb.toString();
    }

    private static String escape(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
