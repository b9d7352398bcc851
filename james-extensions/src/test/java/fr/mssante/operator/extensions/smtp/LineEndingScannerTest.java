package fr.mssante.operator.extensions.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LineEndingScannerTest {
    @ParameterizedTest
    @CsvSource({
        "'a{CR}{LF}b{CR}{LF}', NONE",
        "'', NONE",
        "'a{CR}b{CR}{LF}', BARE_CR",
        "'a{CR}{CR}{LF}', BARE_CR",
        "'a{CR}', BARE_CR",
        "'a{LF}b{CR}{LF}', BARE_LF",
        "'a{CR}{LF}{LF}b', BARE_LF",
    })
    void findsTheFirstLineEndingThatIsNotCrlf(String content, LineEndingScanner.Finding expected) {
        LineEndingScanner scanner = new LineEndingScanner();
        byte[] bytes = (content == null ? "" : content).replace("{CR}", "\r").replace("{LF}", "\n").getBytes(StandardCharsets.US_ASCII);
        scanner.write(bytes, 0, bytes.length);
        assertThat(scanner.finding()).isEqualTo(expected);
    }
}
