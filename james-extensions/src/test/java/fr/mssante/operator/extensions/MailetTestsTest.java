package fr.mssante.operator.extensions;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Issue 17 #4: every mailet and matcher of this module has a test class named after it ({@code <Mailet>Test}) that
 * drives it with James's mailet test kit ({@code FakeMail}, {@code FakeMailetConfig} or {@code FakeMatcherConfig})
 * and checks that {@code init()} refuses a parameter it does not know.
 */
class MailetTestsTest {
    private static final Path MAIN = Path.of("src/main/java");
    private static final Path TEST = Path.of("src/test/java");
    private static final Pattern MAILET_OR_MATCHER = Pattern.compile(
        "\\bclass\\s+(\\w+)\\s+(extends\\s+(GenericMailet|GenericMatcher|GenericRecipientMatcher|AbstractRecipientMatcher)"
            + "|implements\\s+[^{]*\\b(Mailet|Matcher)\\b)");

    @Test
    void everyMailetAndMatcherHasATestClassNamedAfterItUsingTheMailetTestKit() throws IOException {
        Map<String, Path> components = components();
        assertThat(components).as("mailets and matchers found").containsKeys("ScanForViruses", "DeliverToTrustedOperator",
            "RecordMessageEvent", "NotifyCitizen", "EnforceCitizenRules", "SignAndEncryptOutgoing", "DecryptForLocalRecipients",
            "VerifyIncomingSignatures", "SendDeliveryStatusNotification", "FileHealthDocuments", "AttachDirectoryFacts",
            "RemoveServerAssertedHeaders");
        Map<String, String> missing = new TreeMap<>();
        for (Map.Entry<String, Path> component : components.entrySet()) {
            String name = component.getKey();
            Path test = TEST.resolve(MAIN.relativize(component.getValue()).resolveSibling(name + "Test.java"));
            if (!Files.exists(test)) {
                missing.put(name, "no " + test);
                continue;
            }
            String source = Files.readString(test, StandardCharsets.UTF_8);
            if (!source.contains("new " + name + "(")) {
                missing.put(name, "the test never builds a " + name);
            } else if (!source.contains("FakeMailetConfig") && !source.contains("FakeMatcherConfig")) {
                missing.put(name, "the test does not use James's mailet test kit");
            } else if (!source.contains("assertThatThrownBy(() -> ") || !source.contains(".init(")) {
                missing.put(name, "the test does not check that init() refuses a bad or unknown parameter");
            }
        }
        assertThat(missing).as("mailets and matchers without their test").isEmpty();
    }

    private static Map<String, Path> components() throws IOException {
        try (Stream<Path> files = Files.walk(MAIN)) {
            List<Path> sources = files.filter(file -> file.toString().endsWith(".java")).toList();
            Map<String, Path> found = new TreeMap<>();
            for (Path source : sources) {
                var matcher = MAILET_OR_MATCHER.matcher(Files.readString(source, StandardCharsets.UTF_8));
                while (matcher.find()) {
                    if (source.getFileName().toString().equals(matcher.group(1) + ".java")) {
                        found.put(matcher.group(1), source);
                    }
                }
            }
            return found.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
        }
    }
}
