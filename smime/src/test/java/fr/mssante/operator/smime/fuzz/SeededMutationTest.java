package fr.mssante.operator.smime.fuzz;

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
 * A bounded, deterministic mutation run (bit flips, truncations, splices) over the valid corpus entries, so CI
 * exercises more than the seed corpus without a fuzzing engine. Real fuzzing: {@link SmimeFuzzTest} with JAZZER_FUZZ=1 (bench/smime/README.md).
 */
class SeededMutationTest {
    private static final int ROUNDS = 600;

    @Test
    void mutatedInputsNeverThrow() throws Exception {
        List<byte[]> seeds;
        try (Stream<Path> files = Files.list(Path.of(getClass().getResource("SmimeFuzzTestInputs").toURI()))) {
            seeds = files.filter(p -> p.getFileName().toString().startsWith("valid-")).sorted()
                    .map(SeededMutationTest::read).toList();
        }
        assertThat(seeds).hasSizeGreaterThanOrEqualTo(6);
        Random random = new Random(5);
        for (int i = 0; i < ROUNDS; i++) {
            byte[] input = mutate(seeds.get(random.nextInt(seeds.size())), random);
            assertThatCode(() -> SmimeFuzzTarget.fuzzerTestOneInput(input)).as("round %d", i).doesNotThrowAnyException();
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
                if (at + 1 < data.length) {
                    data[at + 1] = (byte) 0x84;
                }
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
