package fr.mssante.operator.directory.cli;

import fr.mssante.operator.directory.synthetic.SyntheticExtractionGenerator;
import fr.mssante.operator.directory.testing.EmbeddedDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DirectoryCliTest {

    private static EmbeddedDirectory postgres;

    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedDirectory.start();
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    private int run(Map<String, String> env, String... args) {
        return new DirectoryCli(env, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), false).run(args);
    }

    @Test
    void importsAFileAndPrintsProgressAndASummary() throws Exception {
        String url = postgres.newDatabaseUrl();
        Path file = dir.resolve("Extraction_Correspondance_MSSante.txt");
        new SyntheticExtractionGenerator(new SyntheticExtractionGenerator.Options(3, 0, true, false, 1000, 20_000))
            .writeMailboxes(file, 120_000);
        Map<String, String> env = Map.of("MSS_DB_URL", url, "MSS_DB_USER", "postgres");

        int code = run(env, "import", file.toString());

        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(text).containsPattern("loading +\\d{1,3}(,\\d{3})* rows +[\\d,]+ rows/s +\\d+% ETA \\d+:\\d\\d");
        assertThat(text).contains("Extraction_Correspondance_MSSante.txt: APPLIED (import #1, MAILBOX, full)")
            .contains("lines 120,000, loaded 119,875, malformed 6, duplicates 119")
            .containsPattern("line \\d+: expected 31 fields, found 30")
            .contains("entries 0 -> 119,875: added 119,875, removed 0, changed 0");
    }

    @Test
    void aMissingDatabaseUrlIsAUsageError() {
        assertThat(run(Map.of(), "import", "x.txt")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("MSS_DB_URL is not set");
        assertThat(run(Map.of(), "frobnicate")).isEqualTo(2);
    }

    @Test
    void publishWritesTheBundleThroughTheProviderAndUnusedListsTheDecisions() throws Exception {
        java.time.Instant created = java.time.Instant.parse("2024-01-01T00:00:00Z");
        var mailboxes = java.util.List.of(
            new fr.mssante.operator.directory.publication.PublishedMailbox("dr@medecin.mssante.fr",
                fr.mssante.operator.vocabulary.MailboxKind.PER, "810001234567", null, null, null, null,
                false, 1, fr.mssante.operator.vocabulary.MailboxState.ACTIVE, false, created, null),
            new fr.mssante.operator.directory.publication.PublishedMailbox("rouge@medecin.mssante.fr",
                fr.mssante.operator.vocabulary.MailboxKind.PER, "810001234567", null, null, null, null,
                true, 2, fr.mssante.operator.vocabulary.MailboxState.ACTIVE, false, created,
                java.time.Instant.parse("2026-11-01T00:00:00Z")));
        fr.mssante.operator.directory.publication.PublishedMailboxSource.Provider provider = ds -> () -> mailboxes;
        Map<String, String> env = Map.of("MSS_DB_URL", "jdbc:postgresql://127.0.0.1:1/unused");
        java.time.Clock clock = java.time.Clock.fixed(java.time.Instant.parse("2026-11-23T10:00:00Z"),
            java.time.ZoneOffset.UTC);
        Path file = dir.resolve("out.json");

        int code = new DirectoryCli(env, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), false, provider, clock)
            .run(new String[] {"publish", "--out", file.toString(), "--public"});
        int unused = new DirectoryCli(env, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), false, provider, clock).run(new String[] {"unused"});
        int withoutProvider = run(env, "publish", "--out", file.toString());

        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(java.nio.file.Files.readString(file)).contains("dr@medecin.mssante.fr")
            .doesNotContain("rouge@medecin.mssante.fr");
        assertThat(out.toString(StandardCharsets.UTF_8))
            .contains("1 mailboxes in 1 resources (public)")
            .contains("1 red-listed left out")
            .containsPattern("dr@medecin.mssante.fr +NEVER_USED +since 2024-01-01T00:00:00Z")
            .contains("1 published mailboxes unused for P12M");
        assertThat(unused).isZero();
        assertThat(withoutProvider).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("needs the mail server's mailbox register");
    }
}
