package fr.mssante.operator.directory.load;

import fr.mssante.operator.directory.lookup.DirectoryLookup;
import fr.mssante.operator.directory.parse.Dataset;
import fr.mssante.operator.directory.source.SourceOpener;
import fr.mssante.operator.directory.synthetic.SyntheticExtractionGenerator;
import fr.mssante.operator.directory.synthetic.SyntheticExtractionGenerator.Options;
import fr.mssante.operator.directory.testing.EmbeddedDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

class DirectoryImporterTest {

    private static final Options CLEAN = new Options(7, 0, false, false, 0, 0);
    private static EmbeddedDirectory postgres;

    @TempDir
    Path dir;
    private DataSource db;
    private DirectoryImporter importer;
    private DirectoryLookup lookup;

    @BeforeAll
    static void startPostgres() throws IOException {
        postgres = EmbeddedDirectory.start();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        postgres.close();
    }

    @BeforeEach
    void newDatabase() throws SQLException {
        db = postgres.newDatabase();
        importer = new DirectoryImporter(db, new SourceOpener(java.net.http.HttpClient.newHttpClient(), dir),
            Clock.systemUTC());
        lookup = new DirectoryLookup(db);
    }

    private Path mailboxes(String name, Options options, long lines) throws IOException {
        Path file = dir.resolve(name);
        new SyntheticExtractionGenerator(options).writeMailboxes(file, lines);
        return file;
    }

    private ImportResult importOne(Path file, ImportOptions options) throws SQLException {
        List<ImportResult> results = importer.importSource(file.toString(), options, ImportListener.NONE);
        assertThat(results).hasSize(1);
        return results.get(0);
    }

    private long count(String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void firstImportIsAppliedAndServed() throws Exception {
        List<ImportProgress.Phase> phases = new ArrayList<>();
        ImportResult result = importer.importSource(mailboxes("m.txt", CLEAN, 2000).toString(),
            ImportOptions.defaults(), p -> phases.add(p.phase())).get(0);

        assertThat(result.status()).isEqualTo(ImportStatus.APPLIED);
        assertThat(result.dataset()).isEqualTo(Dataset.MAILBOX);
        assertThat(result.parse().accepted()).isEqualTo(2000);
        assertThat(result.diff()).isEqualTo(new DiffCounts(0, 2000, 2000, 0, 0));
        assertThat(phases).contains(ImportProgress.Phase.INDEXING, ImportProgress.Phase.COMPARING,
            ImportProgress.Phase.SWAPPING);
        assertThat(count("SELECT count(*) FROM directory.mailbox")).isEqualTo(2000);
        assertThat(count("SELECT count(*) FROM directory.import_change")).as("no diff rows for a first import").isZero();
        assertThat(count("SELECT count(*) FROM directory.import_run WHERE status = 'APPLIED' AND loaded_rows = 2000"))
            .isEqualTo(1);
        assertThat(count("SELECT count(*) FROM pg_tables WHERE schemaname = 'directory' AND tablename ~ '^mailbox_g'"))
            .as("the previous generation is dropped").isEqualTo(1);
    }

    @Test
    void reimportingTheSameFileChangesNothing() throws Exception {
        Path file = mailboxes("m.txt", CLEAN, 1000);
        importOne(file, ImportOptions.defaults());

        ImportResult again = importOne(file, ImportOptions.defaults());

        assertThat(again.status()).isEqualTo(ImportStatus.APPLIED);
        assertThat(again.mode()).isEqualTo(ImportMode.INCREMENTAL);
        assertThat(again.diff()).isEqualTo(new DiffCounts(1000, 1000, 0, 0, 0));
        assertThat(count("SELECT count(*) FROM directory.import_change")).isZero();
    }

    @Test
    void anIncrementalImportReportsProgressOverEveryAcceptedLine() throws Exception {
        Path file = mailboxes("m.txt", CLEAN, 120_000);
        importOne(file, ImportOptions.defaults());
        List<ImportProgress> progress = new ArrayList<>();

        ImportResult again = importer.importSource(file.toString(), ImportOptions.defaults(), progress::add).get(0);

        assertThat(again.mode()).isEqualTo(ImportMode.INCREMENTAL);
        assertThat(progress).filteredOn(p -> p.phase() == ImportProgress.Phase.LOADING)
            .extracting(ImportProgress::rows).containsExactly(50_000L, 100_000L);
    }

    @ParameterizedTest(name = "rebuild={0}")
    @ValueSource(booleans = {false, true})
    void aLaterExtractionStoresAddedRemovedAndChangedRows(boolean rebuild) throws Exception {
        ImportResult day1 = importOne(mailboxes("day1.txt", CLEAN, 3000), ImportOptions.defaults());

        ImportResult day2 = importOne(mailboxes("day2.txt", CLEAN.withRevision(1), 3000),
            ImportOptions.defaults().withRebuild(rebuild));

        assertThat(day1.mode()).isEqualTo(ImportMode.FULL);
        assertThat(day2.mode()).isEqualTo(rebuild ? ImportMode.FULL : ImportMode.INCREMENTAL);
        assertThat(day2.status()).isEqualTo(ImportStatus.APPLIED);
        DiffCounts diff = day2.diff();
        assertThat(diff.removed()).as("n %% 199 == 7 below 3000").isEqualTo(16);
        assertThat(diff.added()).as("3000 / 150 new mailboxes").isEqualTo(20);
        assertThat(diff.changed()).as("n %% 101 == 3 moved to another city").isEqualTo(30);
        assertThat(count("SELECT count(*) FROM directory.import_change WHERE import_id = " + day2.importId()))
            .isEqualTo(diff.added() + diff.removed() + diff.changed());
        assertThat(count("SELECT count(*) FROM directory.import_change WHERE change = 'REMOVED' AND after IS NULL "
            + "AND before->>'address' LIKE '%.7@%'")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM directory.import_change WHERE change = 'CHANGED' "
            + "AND before->>'delivery_line' IS DISTINCT FROM after->>'delivery_line'")).isEqualTo(diff.changed());
        assertThat(count("SELECT count(*) FROM directory.import_change WHERE before ? 'norm_name' OR after ? 'row_hash' "
            + "OR after ? 'org_trade_name'")).as("file columns with a value only (no trade name in the synthetic file)").isZero();
    }

    /**
     * The incremental path must serve exactly what a full import of the same file serves, and record the same diff:
     * both files have duplicates and malformed lines, and in the PS file a professional who loses one of their
     * lines is changed, not removed.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"MAILBOX", "ACTIVITY"})
    void anIncrementalImportServesAndRecordsWhatAFullImportWould(String kind) throws Exception {
        boolean mailbox = kind.equals("MAILBOX");
        Options messy = new Options(11, 0, true, false, 97, 700);
        Path day1 = dir.resolve("day1.txt");
        Path day2 = dir.resolve("day2.txt");
        SyntheticExtractionGenerator first = new SyntheticExtractionGenerator(messy);
        SyntheticExtractionGenerator second = new SyntheticExtractionGenerator(messy.withRevision(1));
        if (mailbox) {
            first.writeMailboxes(day1, 4000);
            second.writeMailboxes(day2, 4000);
        } else {
            first.writeActivities(day1, 5000);
            second.writeActivities(day2, 5000);
        }
        String view = mailbox ? "directory.mailbox" : "directory.activity";
        DataSource full = postgres.newDatabase();
        DirectoryImporter fullImporter = new DirectoryImporter(full,
            new SourceOpener(java.net.http.HttpClient.newHttpClient(), dir), Clock.systemUTC());
        ImportOptions rebuild = ImportOptions.defaults().withRebuild(true);
        fullImporter.importSource(day1.toString(), rebuild, ImportListener.NONE);

        importOne(day1, ImportOptions.defaults());
        ImportResult incremental = importOne(day2, ImportOptions.defaults());
        ImportResult reference = fullImporter.importSource(day2.toString(), rebuild, ImportListener.NONE).get(0);

        assertThat(incremental.mode()).isEqualTo(ImportMode.INCREMENTAL);
        assertThat(reference.mode()).isEqualTo(ImportMode.FULL);
        assertThat(incremental.status()).isEqualTo(ImportStatus.APPLIED);
        assertThat(incremental.diff()).isEqualTo(reference.diff());
        assertThat(incremental.diff().changed()).isPositive();
        assertThat(incremental.diff().removed()).isPositive();
        assertThat(incremental.diff().added()).isPositive();
        assertThat(incremental.parse()).isEqualTo(reference.parse());
        assertThat(incremental.parse().duplicates()).isPositive();
        assertThat(incremental.parse().malformed()).isPositive();
        String rows = "SELECT md5(string_agg(t::text, E'\\n' ORDER BY t::text)) FROM " + view + " t";
        assertThat(text(db, rows)).isEqualTo(text(full, rows));
        String changes = "SELECT md5(string_agg(concat_ws('|', change, key, before, after), E'\\n' "
            + "ORDER BY change, key)) FROM directory.import_change WHERE import_id = ";
        assertThat(text(db, changes + incremental.importId()))
            .isNotNull().isEqualTo(text(full, changes + reference.importId()));
        assertThat(count("SELECT count(*) FROM " + view)).isEqualTo(incremental.parse().accepted());
        assertThat(count("SELECT count(*) FROM directory.import_run WHERE id = " + incremental.importId()
            + " AND mode = 'INCREMENTAL' AND loaded_rows = " + incremental.parse().accepted())).isEqualTo(1);
    }

    @Test
    void theDiffRowsOfOldImportsArePurgedAfterTheRetentionPeriod() throws Exception {
        Path day1 = mailboxes("day1.txt", CLEAN, 1000);
        Path day2 = mailboxes("day2.txt", CLEAN.withRevision(1), 1000);
        importOne(day1, ImportOptions.defaults());
        ImportResult old = importOne(day2, ImportOptions.defaults());
        assertThat(count("SELECT count(*) FROM directory.import_change WHERE import_id = " + old.importId())).isPositive();
        Clock later = Clock.offset(Clock.systemUTC(), java.time.Duration.ofDays(91));
        DirectoryImporter laterImporter = new DirectoryImporter(db,
            new SourceOpener(java.net.http.HttpClient.newHttpClient(), dir), later, java.time.Duration.ofDays(90));

        ImportResult recent = laterImporter.importSource(day1.toString(), ImportOptions.defaults(), ImportListener.NONE)
            .get(0);

        assertThat(count("SELECT count(*) FROM directory.import_change WHERE import_id = " + old.importId())).isZero();
        assertThat(count("SELECT count(*) FROM directory.import_change WHERE import_id = " + recent.importId()))
            .isEqualTo(recent.diff().added() + recent.diff().removed() + recent.diff().changed()).isPositive();
        assertThat(count("SELECT count(*) FROM directory.import_run WHERE id = " + old.importId() + " AND changed > 0"))
            .as("the history row and its counts stay").isEqualTo(1);
    }

    @Test
    void aFileWithAnotherLayoutIsImportedInFull() throws Exception {
        Options columns56 = new Options(5, 0, false, false, 0, 0);
        Options columns52 = new Options(5, 0, false, true, 0, 0);
        Path day1 = dir.resolve("a56.txt");
        Path day2 = dir.resolve("a52.txt");
        new SyntheticExtractionGenerator(columns56).writeActivities(day1, 400);
        new SyntheticExtractionGenerator(columns52).writeActivities(day2, 400);

        assertThat(importOne(day1, ImportOptions.defaults()).mode()).isEqualTo(ImportMode.FULL);
        assertThat(importOne(day1, ImportOptions.defaults()).mode()).isEqualTo(ImportMode.INCREMENTAL);
        ImportResult other = importOne(day2, ImportOptions.defaults());

        assertThat(other.mode()).as("the same lines mean other columns").isEqualTo(ImportMode.FULL);
        assertThat(other.status()).isEqualTo(ImportStatus.APPLIED);
        assertThat(count("SELECT count(*) FROM directory.activity WHERE role_code IS NOT NULL")).isZero();
    }

    private static String text(DataSource on, String sql) throws SQLException {
        try (Connection c = on.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void aTruncatedZipFailsAndKeepsTheCurrentData() throws Exception {
        importOne(mailboxes("day1.txt", CLEAN, 500), ImportOptions.defaults());
        Path zip = dir.resolve("Extraction_Correspondance_MSSante_202611230800.zip");
        new SyntheticExtractionGenerator(CLEAN).writeZip(zip, "Extraction_Correspondance_MSSante.txt", true, 2000);
        byte[] bytes = Files.readAllBytes(zip);
        Files.write(zip, java.util.Arrays.copyOf(bytes, bytes.length / 2));

        ImportResult result = importOne(zip, ImportOptions.defaults());

        assertThat(result.status()).isEqualTo(ImportStatus.FAILED);
        assertThat(result.reason()).contains("truncated or corrupt zip");
        assertThat(count("SELECT count(*) FROM directory.mailbox")).isEqualTo(500);
        assertThat(count("SELECT count(*) FROM directory.import_run WHERE status = 'FAILED' AND reason LIKE '%zip%'"))
            .isEqualTo(1);
    }

    @Test
    void aZipWhoseDataIsCorruptFailsAndKeepsTheCurrentData() throws Exception {
        importOne(mailboxes("day1.txt", CLEAN, 500), ImportOptions.defaults());
        Path zip = dir.resolve("corrupt.zip");
        new SyntheticExtractionGenerator(CLEAN).writeZip(zip, "Extraction_Correspondance_MSSante.txt", true, 3000);
        byte[] bytes = Files.readAllBytes(zip);
        for (int i = bytes.length / 3; i < bytes.length / 3 + 64; i++) {
            bytes[i] ^= 0x5A;
        }
        Files.write(zip, bytes);

        ImportResult result = importOne(zip, ImportOptions.defaults());

        assertThat(result.status()).isEqualTo(ImportStatus.FAILED);
        assertThat(result.reason()).containsAnyOf("CRC or size mismatch", "invalid", "Unexpected end");
        assertThat(count("SELECT count(*) FROM directory.mailbox")).isEqualTo(500);
        assertThat(count("SELECT count(*) FROM pg_tables WHERE schemaname = 'directory' AND tablename ~ '^mailbox_g'"))
            .as("the half-loaded generation is dropped").isEqualTo(1);
    }

    @Test
    void whenMoreThanTwentyPercentVanishTheImportIsRejectedUnlessForced() throws Exception {
        importOne(mailboxes("full.txt", CLEAN, 1000), ImportOptions.defaults());
        Path small = mailboxes("small.txt", CLEAN, 790);

        ImportResult rejected = importOne(small, ImportOptions.defaults());

        assertThat(rejected.status()).isEqualTo(ImportStatus.REJECTED);
        assertThat(rejected.reason()).isEqualTo("210 of 1000 entries would vanish (21.0% > 20.0%)");
        assertThat(count("SELECT count(*) FROM directory.mailbox")).isEqualTo(1000);
        assertThat(lookup.byAddress(addressOf(999))).isPresent();

        assertThat(importOne(mailboxes("small2.txt", CLEAN, 801), ImportOptions.defaults()).status())
            .as("19.9% vanish").isEqualTo(ImportStatus.APPLIED);
        importOne(mailboxes("full2.txt", CLEAN, 1000), ImportOptions.defaults());

        ImportResult forced = importOne(small, ImportOptions.defaults().withForce(true));
        assertThat(forced.status()).isEqualTo(ImportStatus.APPLIED);
        assertThat(forced.reason()).startsWith("forced despite: 210 of 1000");
        assertThat(count("SELECT count(*) FROM directory.mailbox")).isEqualTo(790);
    }

    @Test
    void tooManyMalformedLinesRejectTheFile() throws Exception {
        importOne(mailboxes("good.txt", CLEAN, 300), ImportOptions.defaults());

        ImportResult result = importOne(mailboxes("bad.txt", new Options(7, 0, false, false, 0, 10), 300),
            ImportOptions.defaults());

        assertThat(result.status()).isEqualTo(ImportStatus.REJECTED);
        assertThat(result.reason()).isEqualTo("30 of 300 lines malformed (10.0% > 1.0%)");
        assertThat(count("SELECT count(*) FROM directory.import_issue WHERE import_id = " + result.importId()
            + " AND kind = 'MALFORMED' AND line = 11")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM directory.mailbox")).isEqualTo(300);

        ImportResult forced = importOne(mailboxes("bad.txt", new Options(7, 0, false, false, 0, 10), 300),
            ImportOptions.defaults().withForce(true));
        assertThat(forced.status()).as("an operator who checked the file").isEqualTo(ImportStatus.APPLIED);
        assertThat(forced.reason()).isEqualTo("forced despite: 30 of 300 lines malformed (10.0% > 1.0%)");
        assertThat(count("SELECT count(*) FROM directory.mailbox")).isEqualTo(270);
    }

    @Test
    void aFileWithoutAValidRowIsRejectedEvenWhenForced() throws Exception {
        importOne(mailboxes("good.txt", CLEAN, 300), ImportOptions.defaults());
        Path empty = dir.resolve("empty.txt");
        Files.writeString(empty, fr.mssante.operator.directory.synthetic.ExtractionHeaders.line(
            fr.mssante.operator.directory.synthetic.ExtractionHeaders.MSSANTE) + "\n");

        ImportResult result = importOne(empty, ImportOptions.defaults().withForce(true));

        assertThat(result.status()).isEqualTo(ImportStatus.REJECTED);
        assertThat(result.reason()).isEqualTo("no valid row in the file");
        assertThat(count("SELECT count(*) FROM directory.mailbox")).isEqualTo(300);
    }

    @Test
    void aPsLibreAccesZipImportsEachOfItsFiles() throws Exception {
        Path zip = dir.resolve("PS_LibreAcces_202611230800.zip");
        SyntheticExtractionGenerator g = new SyntheticExtractionGenerator(CLEAN);
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            Writer w = new OutputStreamWriter(z, StandardCharsets.UTF_8);
            z.putNextEntry(new ZipEntry("PS_LibreAcces_Personne_activite_202611230800.txt"));
            g.writeActivities(w, 1300);
            w.flush();
            z.putNextEntry(new ZipEntry("PS_LibreAcces_SavoirFaire_202611230800.txt"));
            w.write(fr.mssante.operator.directory.synthetic.ExtractionHeaders.line(
                fr.mssante.operator.directory.synthetic.ExtractionHeaders.SAVOIR_FAIRE) + "\n");
            w.write("8|10000000005|810000000005|LEFÈVRE|Zoé|10|Médecin|C|Civil|S|Spécialité ordinale|SM54|Médecine Générale|\n");
            w.flush();
            z.putNextEntry(new ZipEntry("PS_LibreAcces_Dipl_AutExerc_202611230800.txt"));
            w.write(fr.mssante.operator.directory.synthetic.ExtractionHeaders.line(
                fr.mssante.operator.directory.synthetic.ExtractionHeaders.DIPL_AUT_EXERC) + "\n");
            w.write("8|10000000005|810000000005|LEFÈVRE|Zoé|DE|Diplôme d'Etat français|DE09|DE Docteur en médecine|||||\n");
            w.flush();
        }

        List<ImportResult> results = importer.importSource(zip.toString(), ImportOptions.defaults(), ImportListener.NONE);

        assertThat(results).extracting(ImportResult::dataset, ImportResult::status).containsExactly(
            org.assertj.core.groups.Tuple.tuple(Dataset.DIPLOMA, ImportStatus.APPLIED),
            org.assertj.core.groups.Tuple.tuple(Dataset.ACTIVITY, ImportStatus.APPLIED),
            org.assertj.core.groups.Tuple.tuple(Dataset.SKILL, ImportStatus.APPLIED));
        assertThat(results.get(1).diff().newKeys()).isEqualTo(1000);
        assertThat(lookup.byNationalId("10000000005")).hasValueSatisfying(p -> {
            assertThat(p.nationalId()).isEqualTo("810000000005");
            assertThat(p.activities()).isNotEmpty().allSatisfy(a -> assertThat(a.lastName()).isNotBlank());
        });
    }

    @Test
    void aSecondImportOfTheSameDatasetWaitsForNoOneAndFails() throws Exception {
        importOne(mailboxes("day1.txt", CLEAN, 200), ImportOptions.defaults());
        try (Connection other = db.getConnection(); Statement st = other.createStatement()) {
            st.execute("SELECT pg_advisory_lock(hashtext('directory.import.MAILBOX'))");

            ImportResult result = importOne(mailboxes("day2.txt", CLEAN, 300), ImportOptions.defaults());

            assertThat(result.status()).isEqualTo(ImportStatus.FAILED);
            assertThat(result.reason()).isEqualTo("another import of MAILBOX is running");
            assertThat(count("SELECT count(*) FROM directory.mailbox")).isEqualTo(200);
        }
    }

    @Test
    void anUnknownFileFailsWithItsReason() throws Exception {
        Path file = dir.resolve("other.txt");
        Files.writeString(file, "a|b|\n1|2|\n");

        ImportResult result = importOne(file, ImportOptions.defaults());

        assertThat(result.status()).isEqualTo(ImportStatus.FAILED);
        assertThat(result.reason()).startsWith("unknown extraction layout");
    }

    private static String addressOf(long n) {
        return new SyntheticExtractionGenerator(CLEAN).mailboxAddress(n).toUpperCase(java.util.Locale.ROOT);
    }
}
