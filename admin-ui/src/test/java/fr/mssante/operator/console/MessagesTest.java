package fr.mssante.operator.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** French and English messages have the same keys, none empty, and every key a template names exists. */
class MessagesTest {
    @Test
    void frenchAndEnglishHaveTheSameKeys() {
        Properties french = load("/messages.properties");
        Properties english = load("/messages_en.properties");
        assertThat(new TreeSet<>(english.stringPropertyNames())).isEqualTo(new TreeSet<>(french.stringPropertyNames()));
        assertThat(french.stringPropertyNames()).allMatch(key -> !french.getProperty(key).isBlank());
        assertThat(english.stringPropertyNames()).allMatch(key -> !english.getProperty(key).isBlank());
    }

    @Test
    void everyStaticKeyOfTheTemplatesExists() throws IOException {
        Properties french = load("/messages.properties");
        Set<String> used = new TreeSet<>();
        Pattern key = Pattern.compile("#\\{([a-zA-Z][a-zA-Z0-9.]*)");
        try (Stream<Path> templates = Files.walk(Path.of("src/main/resources/templates"))) {
            for (Path template : templates.filter(p -> p.toString().endsWith(".html")).toList()) {
                Matcher matcher = key.matcher(Files.readString(template));
                while (matcher.find()) {
                    used.add(matcher.group(1));
                }
            }
        }
        assertThat(used).isNotEmpty();
        assertThat(used).allMatch(french::containsKey, "defined in messages.properties");
    }

    private static Properties load(String resource) {
        Properties properties = new Properties();
        try (InputStream in = MessagesTest.class.getResourceAsStream(resource)) {
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }
}
