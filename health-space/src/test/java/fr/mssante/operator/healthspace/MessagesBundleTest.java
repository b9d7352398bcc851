package fr.mssante.operator.healthspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/** French and English say the same things: same keys, and every key a template uses exists. */
class MessagesBundleTest {
    @Test
    void frenchAndEnglishHaveTheSameKeys() throws IOException {
        Properties french = load("messages.properties");
        Properties english = load("messages_en.properties");
        assertThat(english.stringPropertyNames()).containsExactlyInAnyOrderElementsOf(french.stringPropertyNames());
        assertThat(french.stringPropertyNames()).hasSizeGreaterThan(50);
    }

    @Test
    void everyKeyATemplateUsesExists() throws IOException {
        Properties french = load("messages.properties");
        Pattern key = Pattern.compile("#\\{([a-zA-Z0-9.]+)");
        int used = 0;
        for (Resource template : new PathMatchingResourcePatternResolver().getResources("classpath:templates/*.html")) {
            String html = template.getContentAsString(StandardCharsets.UTF_8);
            Matcher matcher = key.matcher(html);
            while (matcher.find()) {
                used++;
                assertThat(french).as(template.getFilename()).containsKey(matcher.group(1));
            }
        }
        assertThat(used).isGreaterThan(40);
    }

    private static Properties load(String name) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = MessagesBundleTest.class.getResourceAsStream("/" + name)) {
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return properties;
    }
}
