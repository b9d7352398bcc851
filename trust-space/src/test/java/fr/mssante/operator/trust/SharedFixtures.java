package fr.mssante.operator.trust;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the shared liste blanche snapshot: {@code listeblanchemssante.xml} of the ANS repository
 * {@code ansforge/MSS-liste-blanche} at commit 08b7662 (2025-03-13), 6,554 entries, kept in
 * {@code shared/fixtures/trust-list/}. Tests skip (assumption) when the shared directory is absent.
 */
public final class SharedFixtures {
    public static final String SNAPSHOT = "fixtures/trust-list/listeblanchemssante-2025-03-13.xml";

    private SharedFixtures() {
    }

    public static Path snapshotOrSkip() {
        for (String shared : new String[] {"../../shared", "../shared", "/work/shared"}) {
            Path p = Path.of(shared).resolve(SNAPSHOT);
            if (Files.isReadable(p)) {
                return p;
            }
        }
        assumeTrue(false, "shared liste blanche snapshot absent: skipped");
        return null;
    }
}
