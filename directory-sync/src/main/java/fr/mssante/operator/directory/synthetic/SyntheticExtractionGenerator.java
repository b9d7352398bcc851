package fr.mssante.operator.directory.synthetic;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes realistic synthetic extraction files (the real headers, French names with accents, real profession and
 * specialty codes, duplicates and malformed lines at a fixed rate). Deterministic: entry {@code i} is the same in
 * every run; {@code revision > 0} simulates a later day (some entries removed, moved or added). No real data.
 */
public final class SyntheticExtractionGenerator {

    /**
     * @param duplicateEvery one line in this many repeats an earlier mailbox address (0 = none)
     * @param malformedEvery one line in this many has a missing field (0 = none)
     */
    public record Options(long seed, int revision, boolean bom, boolean columns52, int duplicateEvery,
                          int malformedEvery) {
        public static Options defaults() {
            return new Options(42, 0, false, false, 3000, 50_000);
        }

        public Options withRevision(int value) {
            return new Options(seed, value, bom, columns52, duplicateEvery, malformedEvery);
        }
    }

    private static final String[] FIRST = {"Hélène", "Jérôme", "François", "Anaïs", "Noël", "Gaëlle", "Léa", "Chloé",
        "Benoît", "Zoé", "Éric", "Agnès", "Céline", "Loïc", "Maëlle", "Jean", "Marie", "Pierre", "Sophie", "Nicolas",
        "Isabelle", "Thomas", "Camille", "Julien", "Émilie", "Stéphane", "Aurélie", "Frédéric", "Inès", "Raphaël"};
    private static final String[] LAST_A = {"DU", "LE", "MAR", "BER", "FON", "ROU", "GIR", "LEF", "MOR", "CHA", "BON",
        "DEL", "GAU", "LAB", "PER", "RIV", "VAL", "BRU", "COL", "FAU"};
    private static final String[] LAST_B = {"PONT", "ÈVRE", "TIN", "NARD", "TAINE", "SSEAU", "AUD", "BVRE", "EAU",
        "RPENTIER", "NET", "AHAYE", "TIER", "ORDE", "RIN", "IÈRE", "LÉE", "NEAU", "LIN", "ÇON"};
    private static final String[][] CITIES = {{"75014", "PARIS", "75"}, {"69003", "LYON", "69"},
        {"13005", "MARSEILLE", "13"}, {"42000", "SAINT-ÉTIENNE", "42"}, {"25000", "BESANÇON", "25"},
        {"45000", "ORLÉANS", "45"}, {"30000", "NÎMES", "30"}, {"91000", "ÉVRY-COURCOURONNES", "91"},
        {"34500", "BÉZIERS", "34"}, {"16000", "ANGOULÊME", "16"}, {"97110", "POINTE-À-PITRE", "971"},
        {"31000", "TOULOUSE", "31"}, {"33000", "BORDEAUX", "33"}, {"59000", "LILLE", "59"}, {"67000", "STRASBOURG", "67"},
        {"35000", "RENNES", "35"}, {"44000", "NANTES", "44"}, {"06000", "NICE", "06"}, {"21000", "DIJON", "21"},
        {"29200", "BREST", "29"}, {"63000", "CLERMONT-FERRAND", "63"}, {"80000", "AMIENS", "80"},
        {"87000", "LIMOGES", "87"}, {"2A004", "AJACCIO", "2A"}};
    private static final String[][] PROFESSIONS = {{"10", "Médecin", "medecin"}, {"10", "Médecin", "medecin"},
        {"10", "Médecin", "medecin"}, {"21", "Pharmacien", "pharmacien"}, {"40", "Chirurgien-Dentiste", "chirurgien-dentiste"},
        {"50", "Sage-Femme", "sagefemme"}, {"60", "Infirmier", "infirmier"}, {"60", "Infirmier", "infirmier"},
        {"70", "Masseur-Kinésithérapeute", "masseur-kinesitherapeute"}, {"80", "Pédicure-Podologue", "pedicure-podologue"}};
    private static final String[][] SPECIALTIES = {{"SM26", "Qualifié en Médecine Générale"},
        {"SM54", "Médecine Générale"}, {"SM04", "Cardiologie et maladies vasculaires"},
        {"SM15", "Gynécologie-obstétrique"}, {"SM40", "Pédiatrie"}, {"SM38", "Ophtalmologie"},
        {"SM42", "Psychiatrie"}, {"SM02", "Anesthésie-réanimation"}, {"SM53", "Radio-diagnostic"}};
    private static final String[] ORGS = {"CENTRE HOSPITALIER", "CLINIQUE", "EHPAD", "LABORATOIRE", "CENTRE DE SANTÉ",
        "MAISON DE SANTÉ PLURIPROFESSIONNELLE"};
    private static final String[] STREETS = {"DE LA RÉPUBLIQUE", "VICTOR HUGO", "DU GÉNÉRAL DE GAULLE", "JEAN JAURÈS",
        "DES ÉCOLES", "PASTEUR", "DE L'ÉGLISE", "GAMBETTA"};

    private final Options options;

    public SyntheticExtractionGenerator(Options options) {
        this.options = options;
    }

    /** A synthetic professional, derived from its number. */
    public record Person(long number, String nationalId, String rpps, String first, String last, String[] profession,
                         String[] specialty, String[] city) {
    }

    public Person person(long n) {
        long h = mix(n * 31 + options.seed);
        String first = FIRST[(int) Math.floorMod(h, FIRST.length)];
        String last = LAST_A[(int) Math.floorMod(h >>> 8, LAST_A.length)] + LAST_B[(int) Math.floorMod(h >>> 16, LAST_B.length)];
        String[] profession = PROFESSIONS[(int) Math.floorMod(h >>> 24, PROFESSIONS.length)];
        String[] specialty = profession[0].equals("10") ? SPECIALTIES[(int) Math.floorMod(h >>> 32, SPECIALTIES.length)] : null;
        int cityShift = options.revision > 0 && n % 101 == 3 ? 1 : 0;
        String[] city = CITIES[(int) Math.floorMod((h >>> 40) + cityShift, CITIES.length)];
        String rpps = String.format(Locale.ROOT, "1%010d", n);
        return new Person(n, "8" + rpps, rpps, first, last, profession, specialty, city);
    }

    /** Writes Extraction_Correspondance_MSSante with {@code lines} data lines (85% PER, 15% ORG). */
    public void writeMailboxes(Path file, long lines) throws IOException {
        try (Writer w = open(file)) {
            writeMailboxes(w, lines);
        }
    }

    public void writeMailboxes(Writer w, long lines) throws IOException {
        if (options.bom) {
            w.write('\uFEFF');
        }
        w.write(ExtractionHeaders.line(ExtractionHeaders.MSSANTE));
        w.write('\n');
        long extra = options.revision > 0 ? lines / 150 : 0;
        String[] f = new String[ExtractionHeaders.MSSANTE.size()];
        for (long i = 0; i < lines + extra; i++) {
            if (options.revision > 0 && i % 199 == 7) {
                continue;
            }
            long n = i;
            if (options.duplicateEvery > 0 && i > 0 && i % options.duplicateEvery == 0) {
                n = i - 2;
            }
            mailboxFields(n, f);
            if (options.malformedEvery > 0 && i % options.malformedEvery == options.malformedEvery - 1) {
                f[f.length - 1] = null;
                writeLine(w, Arrays.copyOf(f, f.length - 1));
                continue;
            }
            writeLine(w, f);
        }
    }

    /** The address of mailbox {@code n} (ORG for about 15% of the numbers). */
    public String mailboxAddress(long n) {
        Person p = person(n);
        return isOrganisation(n) ? "secretariat." + n + "@ch-" + (n % 97) + ".mssante.fr"
            : slug(p.first) + "." + slug(p.last) + "." + n + "@" + p.profession[2] + ".mssante.fr";
    }

    public static boolean isOrganisation(long n) {
        return Math.floorMod(mix(n + 7), 100) < 15;
    }

    private void mailboxFields(long n, String[] f) {
        Arrays.fill(f, null);
        Person p = person(n);
        boolean org = isOrganisation(n);
        String street = (1 + Math.floorMod(n, 120)) + "";
        if (org) {
            String orgName = ORGS[(int) Math.floorMod(n, ORGS.length)] + " " + p.city[1];
            f[0] = "ORG";
            f[1] = mailboxAddress(n);
            f[5] = "1";
            f[6] = "1" + String.format(Locale.ROOT, "%09d", n % 1_000_000_000L);
            f[7] = "Secrétariat médical";
            f[18] = orgName;
        } else {
            f[0] = "PER";
            f[1] = mailboxAddress(n);
            f[2] = "8";
            f[3] = p.rpps;
            f[4] = p.nationalId;
            f[8] = p.first.endsWith("e") ? "MME" : "M";
            f[9] = p.last;
            f[10] = p.first;
            f[11] = "C";
            f[12] = "Civil";
            f[13] = p.profession[0];
            f[14] = p.profession[1];
            if (p.specialty != null) {
                f[15] = p.specialty[0];
                f[16] = p.specialty[1];
            }
            f[17] = "O";
            f[18] = "CABINET DU DR " + p.last;
        }
        f[22] = street;
        f[24] = "R";
        f[25] = "RUE " + STREETS[(int) Math.floorMod(n, STREETS.length)];
        f[27] = p.city[0] + " " + p.city[1];
        f[28] = p.city[0];
        f[29] = p.city[2];
        f[30] = "FRANCE";
    }

    /** Writes PS_LibreAcces_Personne_activite (56 columns, or 52) with {@code lines} activity lines. */
    public void writeActivities(Path file, long lines) throws IOException {
        try (Writer w = open(file)) {
            writeActivities(w, lines);
        }
    }

    public void writeActivities(Writer w, long lines) throws IOException {
        List<String> header = options.columns52 ? ExtractionHeaders.PERSONNE_ACTIVITE_52 : ExtractionHeaders.PERSONNE_ACTIVITE_56;
        if (options.bom) {
            w.write('\uFEFF');
        }
        w.write(ExtractionHeaders.line(header));
        w.write('\n');
        String[] f = new String[header.size()];
        // a later revision, as for mailboxes: one line in 199 gone, professionals moved (see person), lines added
        long extra = options.revision > 0 ? lines / 150 : 0;
        for (long i = 0; i < lines + extra; i++) {
            if (options.revision > 0 && i % 199 == 7) {
                continue;
            }
            long n = i * 10 / 13;
            activityFields(n, i, f);
            if (options.malformedEvery > 0 && i % options.malformedEvery == options.malformedEvery - 1) {
                writeLine(w, Arrays.copyOf(f, f.length - 3));
                continue;
            }
            if (options.duplicateEvery > 0 && i > 0 && i % options.duplicateEvery == 0) {
                writeLine(w, f);
            }
            writeLine(w, f);
        }
    }

    private void activityFields(long n, long line, String[] f) {
        Arrays.fill(f, null);
        Person p = person(n);
        f[0] = "8";
        f[1] = p.rpps;
        f[2] = p.nationalId;
        f[3] = p.first.endsWith("e") ? "MME" : "DR";
        f[4] = p.first.endsWith("e") ? "Madame" : "Docteur";
        f[7] = p.last;
        f[8] = p.first;
        f[9] = p.profession[0];
        f[10] = p.profession[1];
        f[11] = "C";
        f[12] = "Civil";
        if (p.specialty != null) {
            f[13] = "S";
            f[14] = "Spécialité ordinale";
            f[15] = p.specialty[0];
            f[16] = p.specialty[1];
        }
        f[17] = line % 3 == 0 ? "S" : "L";
        f[18] = line % 3 == 0 ? "Salarié" : "Libéral, indépendant, artisan, commerçant";
        f[19] = String.format(Locale.ROOT, "%014d", line);
        f[20] = f[19].substring(0, 9);
        f[23] = "R" + line;
        f[24] = "CABINET DU DR " + p.last;
        f[28] = String.valueOf(1 + Math.floorMod(line, 120));
        f[31] = "Rue";
        f[32] = STREETS[(int) Math.floorMod(line, STREETS.length)];
        f[35] = p.city[0];
        f[37] = p.city[1];
        f[39] = "France";
        f[40] = "01" + String.format(Locale.ROOT, "%08d", line % 100_000_000);
        f[44] = p.city[2];
        f[47] = "CNOM";
        f[48] = "SA07";
        f[49] = "Cabinet individuel";
        if (f.length > 52) {
            f[52] = "FON-01";
            f[53] = "Titulaire de cabinet";
            f[54] = "GENR01";
            f[55] = "Activité standard de soin";
        }
    }

    /** Writes a zip holding one text file of the given kind. */
    public void writeZip(Path zip, String entryName, boolean mailboxes, long lines) throws IOException {
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry(entryName));
            Writer w = new BufferedWriter(new OutputStreamWriter(z, StandardCharsets.UTF_8), 1 << 20);
            if (mailboxes) {
                writeMailboxes(w, lines);
            } else {
                writeActivities(w, lines);
            }
            w.flush();
            z.closeEntry();
        }
    }

    private static Writer open(Path file) throws IOException {
        return new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8), 1 << 20);
    }

    private static void writeLine(Writer w, String[] fields) throws IOException {
        for (String field : fields) {
            if (field != null) {
                w.write(field);
            }
            w.write('|');
        }
        w.write('\n');
    }

    private static String slug(String s) {
        return Normalizer.normalize(s, Normalizer.Form.NFD).replaceAll("\\p{M}", "")
            .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }

    private static long mix(long x) {
        x ^= x >>> 33;
        x *= 0xff51afd7ed558ccdL;
        x ^= x >>> 33;
        x *= 0xc4ceb9fe1a85ec53L;
        x ^= x >>> 33;
        return x;
    }

    /** {@code generate mailboxes|activities FILE LINES [revision]}: for benchmarks and manual tests. */
    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: SyntheticExtractionGenerator mailboxes|activities FILE LINES [revision]");
            System.exit(2);
        }
        int revision = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        SyntheticExtractionGenerator g = new SyntheticExtractionGenerator(Options.defaults().withRevision(revision));
        Path file = Path.of(args[1]);
        long lines = Long.parseLong(args[2]);
        boolean mailboxes = args[0].startsWith("mail");
        if (file.toString().endsWith(".zip")) {
            String base = file.getFileName().toString().replace(".zip", ".txt");
            g.writeZip(file, base, mailboxes, lines);
        } else if (mailboxes) {
            g.writeMailboxes(file, lines);
        } else {
            g.writeActivities(file, lines);
        }
    }
}
