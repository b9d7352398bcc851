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
        assertThat(text).contains("Extraction_Correspondance_MSSante.txt: APPLIED (import #1, MAILBOX)")
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
}
