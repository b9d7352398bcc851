package fr.mssante.operator.directory.parse;

import fr.mssante.operator.directory.synthetic.ExtractionHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExtractionParserTest {

    private final List<String[]> rows = new ArrayList<>();

    private ParseSummary parse(String content) throws Exception {
        return new ExtractionParser().parse(new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)),
            rows::add);
    }

    private static String mailboxLine(String kind, String address, String last, String first) {
        String[] f = new String[ExtractionHeaders.MSSANTE.size()];
        Arrays.fill(f, "");
        f[0] = kind;
        f[1] = address;
        f[4] = "810001234567";
        f[9] = last;
        f[10] = first;
        f[14] = "Médecin";
        f[27] = "42000 SAINT-ÉTIENNE CEDEX 2";
        f[28] = "42000";
        return String.join("|", f) + "|\n";
    }

    private String value(String column, int row) {
        return rows.get(row)[Dataset.MAILBOX.storedIndex().get(column)];
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void readsTheMssanteFileWithOrWithoutBom(boolean bom) throws Exception {
        String content = (bom ? "\uFEFF" : "") + ExtractionHeaders.line(ExtractionHeaders.MSSANTE) + "\n"
            + mailboxLine("PER", "Helene.Dupont@medecin.mssante.fr", "DUPONT", "Hélène");

        ParseSummary summary = parse(content);

        assertThat(summary.dataset()).isEqualTo(Dataset.MAILBOX);
        assertThat(summary.headerColumns()).isEqualTo(31);
        assertThat(summary.missingColumns()).isEmpty();
        assertThat(summary.accepted()).isEqualTo(1);
        assertThat(value("kind", 0)).isEqualTo("PER");
        assertThat(value("address_key", 0)).isEqualTo("helene.dupont@medecin.mssante.fr");
        assertThat(value("first_name", 0)).isEqualTo("Hélène");
        assertThat(value("norm_name", 0)).isEqualTo("helene dupont");
        assertThat(value("city", 0)).isEqualTo("SAINT-ÉTIENNE");
        assertThat(value("norm_city", 0)).isEqualTo("saint etienne");
        assertThat(value("service", 0)).as("empty field stored as NULL").isNull();
    }

    @Test
    void trailingSeparatorIsNotAField() throws Exception {
        ParseSummary summary = parse("Type de BAL|Adresse BAL|\nPER|a@b.mssante.fr|\n");

        assertThat(summary.headerColumns()).isEqualTo(2);
        assertThat(summary.accepted()).isEqualTo(1);
        assertThat(value("address", 0)).isEqualTo("a@b.mssante.fr");
        assertThat(summary.missingColumns()).contains("national_id", "last_name");
    }

    @Test
    void findsColumnsByNameWhateverTheirOrderAndSpelling() throws Exception {
        ParseSummary summary = parse("ADRESSE BAL|Nom d’exercice|type de bal|\nx@y.mssante.fr|MARTIN|ORG|\n");

        assertThat(summary.accepted()).isEqualTo(1);
        assertThat(value("kind", 0)).isEqualTo("ORG");
        assertThat(value("address", 0)).isEqualTo("x@y.mssante.fr");
    }

    @Test
    void reportsMalformedLinesWithTheirNumbersAndSkipsThem() throws Exception {
        String header = ExtractionHeaders.line(ExtractionHeaders.MSSANTE) + "\n";
        String good = mailboxLine("PER", "a@medecin.mssante.fr", "A", "B");
        String content = header + good + "PER|short|line|\n" + "\n" + mailboxLine("PER", "not-an-address", "A", "B")
            + mailboxLine("", "c@medecin.mssante.fr", "C", "D") + mailboxLine("PER", "e@medecin.mssante.fr", "E", "F");

        ParseSummary summary = parse(content);

        assertThat(summary.accepted()).isEqualTo(2);
        assertThat(summary.malformed()).isEqualTo(3);
        assertThat(summary.issues()).extracting(LineIssue::line, LineIssue::kind)
            .containsExactly(
                org.assertj.core.groups.Tuple.tuple(3L, LineIssue.Kind.MALFORMED),
                org.assertj.core.groups.Tuple.tuple(5L, LineIssue.Kind.MALFORMED),
                org.assertj.core.groups.Tuple.tuple(6L, LineIssue.Kind.MALFORMED));
        assertThat(summary.issues().get(0).message()).isEqualTo("expected 31 fields, found 3");
        assertThat(summary.issues().get(2).message()).isEqualTo("empty kind");
    }

    @Test
    void keepsTheFirstOfDuplicateAddressesIgnoringCase() throws Exception {
        String content = ExtractionHeaders.line(ExtractionHeaders.MSSANTE) + "\n"
            + mailboxLine("PER", "dup@medecin.mssante.fr", "FIRST", "A")
            + mailboxLine("PER", "DUP@medecin.mssante.fr", "SECOND", "B");

        ParseSummary summary = parse(content);

        assertThat(summary.accepted()).isEqualTo(1);
        assertThat(summary.duplicates()).isEqualTo(1);
        assertThat(value("last_name", 0)).isEqualTo("FIRST");
        assertThat(summary.issues()).singleElement().satisfies(i -> {
            assertThat(i.line()).isEqualTo(3);
            assertThat(i.kind()).isEqualTo(LineIssue.Kind.DUPLICATE);
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {52, 56})
    void readsBothPersonneActiviteVariants(int width) throws Exception {
        List<String> header = width == 52 ? ExtractionHeaders.PERSONNE_ACTIVITE_52 : ExtractionHeaders.PERSONNE_ACTIVITE_56;
        String[] f = new String[width];
        Arrays.fill(f, "");
        f[0] = "8";
        f[1] = "10001234567";
        f[2] = "810001234567";
        f[7] = "LEFÈVRE";
        f[8] = "Zoé";
        f[10] = "Médecin";
        f[37] = "BESANÇON";
        if (width == 56) {
            f[53] = "Titulaire de cabinet";
        }
        String line = String.join("|", f) + "|\n";

        ParseSummary summary = parse(ExtractionHeaders.line(header) + "\n" + line + line);

        Map<String, Integer> index = Dataset.ACTIVITY.storedIndex();
        assertThat(summary.dataset()).isEqualTo(Dataset.ACTIVITY);
        assertThat(summary.headerColumns()).isEqualTo(width);
        assertThat(summary.accepted()).isEqualTo(1);
        assertThat(summary.duplicates()).as("exact duplicate line").isEqualTo(1);
        assertThat(rows.get(0)[index.get("national_id")]).isEqualTo("810001234567");
        assertThat(rows.get(0)[index.get("city")]).isEqualTo("BESANÇON");
        assertThat(rows.get(0)[index.get("norm_name")]).isEqualTo("zoe lefevre");
        if (width == 56) {
            assertThat(summary.missingColumns()).isEmpty();
            assertThat(rows.get(0)[index.get("role_label")]).isEqualTo("Titulaire de cabinet");
        } else {
            assertThat(summary.missingColumns())
                .containsExactlyInAnyOrder("role_code", "role_label", "activity_kind_code", "activity_kind_label");
        }
    }

    @Test
    void recognisesSavoirFaireAndDiplomaFiles() throws Exception {
        assertThat(parse(ExtractionHeaders.line(ExtractionHeaders.SAVOIR_FAIRE) + "\n").dataset())
            .isEqualTo(Dataset.SKILL);
        assertThat(parse(ExtractionHeaders.line(ExtractionHeaders.DIPL_AUT_EXERC) + "\n").dataset())
            .isEqualTo(Dataset.DIPLOMA);
    }

    @Test
    void rejectsUnknownLayoutsAndMissingRequiredColumns() {
        assertThatThrownBy(() -> parse("a|b|c|\n1|2|3|\n")).isInstanceOf(ExtractionFormatException.class)
            .hasMessageContaining("unknown extraction layout");
        assertThatThrownBy(() -> parse("Adresse BAL|Nom d'exercice|\n")).isInstanceOf(ExtractionFormatException.class)
            .hasMessageContaining("required column missing for MAILBOX: kind");
        assertThatThrownBy(() -> parse("")).isInstanceOf(ExtractionFormatException.class)
            .hasMessageContaining("no header");
    }

    @Test
    void cityIsTakenFromTheDeliveryLine() {
        assertThat(Dataset.cityOf("75014 PARIS", "75014")).isEqualTo("PARIS");
        assertThat(Dataset.cityOf("69003 LYON CEDEX 03", null)).isEqualTo("LYON");
        assertThat(Dataset.cityOf("", "75014")).isNull();
    }

    @Test
    void generatorOutputParsesWithTheExpectedIssues() throws Exception {
        var generator = new fr.mssante.operator.directory.synthetic.SyntheticExtractionGenerator(
            new fr.mssante.operator.directory.synthetic.SyntheticExtractionGenerator.Options(1, 0, true, false, 100, 250));
        java.io.StringWriter out = new java.io.StringWriter();
        generator.writeMailboxes(out, 1000);

        ParseSummary summary = parse(out.toString());

        assertThat(summary.dataLines()).isEqualTo(1000);
        assertThat(summary.malformed()).isEqualTo(4);
        assertThat(summary.duplicates()).isEqualTo(9);
        assertThat(summary.accepted()).isEqualTo(1000 - 4 - 9);
        assertThat(Collections.frequency(summary.issues().stream().map(LineIssue::kind).toList(),
            LineIssue.Kind.DUPLICATE)).isEqualTo(9);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "PER|a@b.mssante.fr|", "Hélène|Zoë|Œdipe|ß", "日本語|😀|x", "tab\there|back\\slash"})
    void theFingerprintOfTheBytesIsTheFingerprintOfTheDecodedLine(String line) {
        byte[] bytes = ("x" + line + "y").getBytes(StandardCharsets.UTF_8);

        assertThat(ExtractionParser.fingerprint(bytes, 1, bytes.length - 1)).isEqualTo(ExtractionParser.fingerprint(line));
    }

    @Test
    void theCopyLinesCarryTheSameValuesAsTheStringRows() throws Exception {
        String content = ExtractionHeaders.line(ExtractionHeaders.MSSANTE) + "\r\n"
            + mailboxLine("PER", "Helene.Dupont@medecin.mssante.fr", "DU\\PONT", "Hélène\tMarie").replace("\n", "\r\n")
            + mailboxLine("ORG", "  accueil@ch.mssante.fr ", "", "");
        ParseSummary strings = parse(content);
        List<String[]> decoded = new ArrayList<>();

        ParseSummary copy = new ExtractionParser().parse(new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)),
            (CopyLineSink) (line, offset, length) -> decoded.add(decodeCopyLine(new String(line, offset, length,
                StandardCharsets.UTF_8))));

        assertThat(copy.accepted()).isEqualTo(strings.accepted()).isEqualTo(2);
        assertThat(decoded).hasSize(2);
        for (int r = 0; r < 2; r++) {
            assertThat(decoded.get(r)).containsExactly(rows.get(r));
        }
        assertThat(value("last_name", 0)).isEqualTo("DU\\PONT");
        assertThat(value("first_name", 0)).isEqualTo("Hélène\tMarie");
        assertThat(value("address", 1)).isEqualTo("accueil@ch.mssante.fr");
    }

    /** Reverses the COPY text encoding: tab-separated, \\N for NULL, backslash escapes, final newline. */
    private static String[] decodeCopyLine(String line) {
        assertThat(line).endsWith("\n");
        String[] fields = line.substring(0, line.length() - 1).split("\t", -1);
        for (int i = 0; i < fields.length; i++) {
            if (fields[i].equals("\\N")) {
                fields[i] = null;
                continue;
            }
            StringBuilder out = new StringBuilder();
            for (int k = 0; k < fields[i].length(); k++) {
                char c = fields[i].charAt(k);
                if (c == '\\') {
                    char next = fields[i].charAt(++k);
                    out.append(next == 't' ? '\t' : next == 'n' ? '\n' : next == 'r' ? '\r' : next);
                } else {
                    out.append(c);
                }
            }
            fields[i] = out.toString();
        }
        return fields;
    }
}
