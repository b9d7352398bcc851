package fr.mssante.operator.server.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What README.md and every page under docs/ cite exists in the code (issue 17 #6, sibling of
 * {@link ConfigurationDocumentationTest}, which checks docs/configuration.md against the settings):
 * <ul>
 *   <li>every {@code MSS_*} variable named anywhere is a setting, a setting's {@code _FILE} secret variant, or a name
 *       some source file of the repository reads (the launcher {@code mss}, Java, shell, Python, XML — docs excluded);</li>
 *   <li>every port of README's service table is the default of a setting.</li>
 * </ul>
 * A name ending with {@code _} is a family ({@code MSS_DB_*}) and is not checked.
 */
class DocumentationReferencesTest {
    private static final Path ROOT = Path.of("..");
    private static final Set<String> SOURCE_SUFFIXES = Set.of(".java", ".sh", ".py", ".xml", ".properties");
    /** The page's generic example of the {@code _FILE} convention, not a variable. */
    private static final Set<String> EXAMPLES = Set.of("MSS_X", "MSS_X_FILE");
    private static String sources;

    @BeforeAll
    static void readSources() throws IOException {
        StringBuilder all = new StringBuilder(Files.readString(ROOT.resolve("mss"), StandardCharsets.UTF_8));
        Files.walkFileTree(ROOT, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path directory, BasicFileAttributes attributes) {
                String name = directory.getFileName() == null ? "" : directory.getFileName().toString();
                boolean skipped = Set.of("target", "docs", "var", "node_modules", ".git", ".idea").contains(name)
                    && !directory.equals(ROOT);
                return skipped ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                String name = file.getFileName().toString();
                if (SOURCE_SUFFIXES.stream().anyMatch(name::endsWith)
                    && !name.equals(DocumentationReferencesTest.class.getSimpleName() + ".java")) {
                    all.append('\n').append(Files.readString(file, StandardCharsets.ISO_8859_1));
                }
                return FileVisitResult.CONTINUE;
            }
        });
        sources = all.toString();
    }

    @Test
    void everyVariableTheDocumentationNamesIsReadBySomething() throws IOException {
        Set<String> settings = Arrays.stream(Setting.values()).map(Setting::environmentVariable).collect(Collectors.toSet());
        Set<String> unknown = new TreeSet<>();
        for (Path page : pages()) {
            Matcher names = Pattern.compile("MSS_[A-Z0-9_]*[A-Z0-9]\\b(?!_)").matcher(Files.readString(page, StandardCharsets.UTF_8));
            while (names.find()) {
                String name = names.group();
                boolean secretOfASetting = name.endsWith("_FILE") && settings.contains(name.substring(0, name.length() - "_FILE".length()));
                if (!settings.contains(name) && !secretOfASetting && !EXAMPLES.contains(name)
                    && !Pattern.compile("\\b" + name + "\\b").matcher(sources).find()) {
                    unknown.add(name + " (" + ROOT.relativize(page) + ")");
                }
            }
        }
        assertThat(unknown).as("MSS_* variables the documentation names that nothing reads").isEmpty();
    }

    @Test
    void everyPortOfTheReadmeServiceTableIsASettingsDefault() throws IOException {
        Set<String> defaults = Arrays.stream(Setting.values()).map(Setting::developmentDefault).collect(Collectors.toCollection(HashSet::new));
        // the web applications' own settings: ${MSS_…:default} in their application.properties
        for (String application : List.of("admin-ui", "health-space")) {
            Matcher placeholders = Pattern.compile("\\$\\{MSS_[A-Z0-9_]+:(\\d{2,5})}").matcher(Files.readString(
                ROOT.resolve(application).resolve("src/main/resources/application.properties"), StandardCharsets.UTF_8));
            while (placeholders.find()) {
                defaults.add(placeholders.group(1));
            }
        }
        List<String> ports = new ArrayList<>();
        for (String line : Files.readAllLines(ROOT.resolve("README.md"), StandardCharsets.UTF_8)) {
            Matcher row = Pattern.compile("^\\|[^|]+\\|\\s*(\\d{2,5})\\s*\\|\\s*$").matcher(line);
            if (row.matches()) {
                ports.add(row.group(1));
            }
        }
        assertThat(ports).as("README's service table").hasSizeGreaterThanOrEqualTo(8);
        assertThat(ports).as("ports README lists that are no setting's default").allMatch(defaults::contains);
    }

    private static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> files = Files.walk(ROOT.resolve("docs"))) {
            pages.addAll(files.filter(file -> file.toString().endsWith(".md")).sorted().toList());
        }
        return pages;
    }
}
