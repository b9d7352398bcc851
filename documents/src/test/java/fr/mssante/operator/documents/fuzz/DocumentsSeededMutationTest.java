package fr.mssante.operator.documents.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * A bounded, deterministic mutation run (bit flips, truncations, splices) over the valid corpus entries, so the build
 * exercises more than the seed corpus without a fuzzing engine. Real fuzzing: {@link DocumentsFuzzTest}.
 */
class DocumentsSeededMutationTest {
    private static final int ROUNDS = 400;

    @Test
    void mutatedInputsOnlyGiveTypedResults() throws Exception {
        List<byte[]> seeds;
        try (Stream<Path> files = Files.list(Path.of(DocumentsFuzzTest.class.getResource("DocumentsFuzzTestInputs").toURI()))) {
            seeds = files.filter(p -> p.getFileName().toString().startsWith("valid-")).sorted()
                .map(DocumentsSeededMutationTest::read).toList();
        }
        assertThat(seeds).hasSizeGreaterThanOrEqualTo(6);
        Random random = new Random(5);
        for (int i = 0; i < ROUNDS; i++) {
            byte[] input = mutate(seeds.get(random.nextInt(seeds.size())), random);
            assertThatCode(() -> DocumentsFuzzTarget.fuzzerTestOneInput(input)).as("round %d", i).doesNotThrowAnyException();
        }
    }

    private static byte[] mutate(byte[] seed, Random random) {
        byte[] data = seed.clone();
        switch (random.nextInt(4)) {
            case 0 -> {
                for (int k = 0; k < 1 + random.nextInt(8); k++) {
                    data[random.nextInt(data.length)] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 1 -> data = Arrays.copyOf(data, random.nextInt(data.length));
            case 2 -> {
                int at = random.nextInt(data.length);
                data[at] = (byte) random.nextInt(256);
            }
            default -> {
                int from = random.nextInt(data.length);
                int to = random.nextInt(data.length);
                int length = Math.min(random.nextInt(64), Math.min(data.length - from, data.length - to));
                System.arraycopy(seed, from, data, to, length);
            }
        }
        return data;
    }

    private static byte[] read(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
