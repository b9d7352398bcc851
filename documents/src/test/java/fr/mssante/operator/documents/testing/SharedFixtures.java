package fr.mssante.operator.documents.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shared fixtures ({@code ../../shared/fixtures} from this module, or {@code -Dmss.shared.dir=<shared>}).
 * {@code fixtures/cda/*.xml} are the ANS CI-SIS CDA examples (repository {@code ansforge/TestContenuCDA-3-0},
 * {@code ExemplesCDA/}, see shared/notes/health-formats.md). Tests skip when the directory is absent.
 */
public final class SharedFixtures {
    private SharedFixtures() {
    }

    public static Path shared() {
        String property = System.getProperty("mss.shared.dir");
        return property != null ? Path.of(property) : Path.of("../../shared").toAbsolutePath().normalize();
    }

    /** {@code fixtures/cda}, or the test is skipped. */
    public static Path cdaDirectory() {
        Path directory = shared().resolve("fixtures/cda");
        assumeTrue(Files.isDirectory(directory), "shared fixtures absent: " + directory);
        return directory;
    }
}
