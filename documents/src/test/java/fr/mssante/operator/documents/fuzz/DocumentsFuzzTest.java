package fr.mssante.operator.documents.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer fuzz tests of the zip, XDM, CDA and facade entry points ({@link DocumentsFuzzTarget}). Without
 * {@code JAZZER_FUZZ} (the normal build) each {@code @FuzzTest} runs in regression mode: the empty input, then every
 * file of the committed corpus {@code src/test/resources/fr/mssante/operator/documents/fuzz/DocumentsFuzzTestInputs/}
 * (written by {@link DocumentsFuzzCorpusGenerator}: synthetic XDM packages and CDAs with the ANS test INS, truncated
 * and bit-flipped zips, zip slip, a small zip bomb, XXE and billion-laughs XML, random bytes, broken MIME). Any
 * exception escaping is a finding and fails the test. Fuzzing for real, from the repository root (one method per run):
 * <pre>
 * JAZZER_FUZZ=1 JAZZER_INSTRUMENTATION_INCLUDES='fr.mssante.**:com.sun.mail.**:javax.mail.**' \
 *   mvn -B -o -pl documents test-compile surefire:test@fuzz-regression \
 *   -Dtest='DocumentsFuzzTest#zip' -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class DocumentsFuzzTest {
    /** Jazzer silently replays only the empty input when its inputs directory is missing: guard against that. */
    @Test
    void corpusIsPresent() throws Exception {
        Path inputs = Path.of(DocumentsFuzzTest.class.getResource("DocumentsFuzzTestInputs").toURI());
        try (Stream<Path> files = Files.list(inputs)) {
            assertThat(files.filter(Files::isRegularFile).count()).isGreaterThan(20);
        }
    }

    /** Safe unzip, then XDM metadata, then each CDA entry: only typed refusals. */
    @FuzzTest(maxDuration = "10m")
    void zip(byte[] data) {
        DocumentsFuzzTarget.zip(data);
    }

    /** Hardened CDA parsing, the CDA sniffer, METADATA.XML parsing: only typed refusals. */
    @FuzzTest(maxDuration = "10m")
    void cda(byte[] data) {
        DocumentsFuzzTarget.cda(data);
    }

    /** The facade never throws and never reports INTERNAL_ERROR. */
    @FuzzTest(maxDuration = "10m")
    void message(byte[] data) {
        DocumentsFuzzTarget.message(data);
    }
}
