package fr.mssante.operator.server.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md says what the code reads: every {@link Setting} has its row (variable and system property),
 * and every {@code MSS_*} variable the page names is a setting or one the launcher ({@code ./mss}) or a web application
 * (its {@code application.properties}) reads. A setting
 * added without its row, or a row left behind by a removed setting, fails here.
 */
class ConfigurationDocumentationTest {
    private static final Path PAGE = Path.of("..", "docs", "configuration.md");
    private static final Path LAUNCHER = Path.of("..", "mss");
    /** The page's generic example of the {@code _FILE} convention, not a variable. */
    private static final Set<String> EXAMPLES = Set.of("MSS_X", "MSS_X_FILE");

    @Test
    void everySettingHasItsRow() throws IOException {
        java.util.List<String> rows = Files.readAllLines(PAGE, StandardCharsets.UTF_8).stream()
            .filter(line -> line.startsWith("| `")).toList();
        // a row: the variable in its first cell (possibly beside a sibling: `A` / `B`), the property on the same line
        Set<String> missing = Arrays.stream(Setting.values())
            .filter(setting -> rows.stream().noneMatch(row -> row.split("\\|")[1].contains("`" + setting.environmentVariable() + "`")
                && row.contains("`" + setting.property() + "`")))
            .map(Setting::environmentVariable)
            .collect(Collectors.toCollection(TreeSet::new));
        assertThat(missing).as("settings without their row in docs/configuration.md").isEmpty();
    }

    @Test
    void everyVariableThePageNamesIsReadBySomething() throws IOException {
        String page = Files.readString(PAGE, StandardCharsets.UTF_8);
        String launcher = Files.readString(LAUNCHER, StandardCharsets.UTF_8) + webApplicationSettings()
            + String.join(" ", readByProcesses());
        Set<String> settings = Arrays.stream(Setting.values()).map(Setting::environmentVariable).collect(Collectors.toSet());
        Set<String> unknown = new TreeSet<>();
        // a name ending with '_' is a family (MSS_DB_*), named as such in prose
        Matcher names = Pattern.compile("MSS_[A-Z0-9_]*[A-Z0-9]\\b(?!_)").matcher(page);
        while (names.find()) {
            String name = names.group();
            if (!settings.contains(name) && !EXAMPLES.contains(name) && !launcher.contains(name)) {
                unknown.add(name);
            }
        }
        assertThat(unknown).as("variables docs/configuration.md names that neither the server nor ./mss reads").isEmpty();
    }

    /**
     * The other processes' settings classes (DMP connector and stand-in, directory CLI, console, health space, trust
     * space library…) read their own {@code MSS_*} variables: each one any main code names as a string literal, and each
     * {@code ${MSS_…}} of a web application's application.properties, is on docs/configuration.md too.
     */
    @Test
    void everyVariableAnyProcessReadsIsOnThePage() throws IOException {
        String page = Files.readString(PAGE, StandardCharsets.UTF_8);
        Set<String> read = readByProcesses();
        assertThat(read).as("variables read by the code").hasSizeGreaterThan(100);
        Set<String> missing = read.stream().filter(name -> !Pattern.compile("\\b" + name + "\\b").matcher(page).find())
            .collect(Collectors.toCollection(TreeSet::new));
        assertThat(missing).as("variables some process reads that docs/configuration.md does not name").isEmpty();
    }

    /** The MSS_* literals of every main source and the ${MSS_*} of every application.properties (see {@link #NOT_SETTINGS}). */
    private static Set<String> readByProcesses() throws IOException {
        Set<String> read = new TreeSet<>();
        Pattern literal = Pattern.compile("\"(MSS_[A-Z0-9_]*[A-Z0-9])\"");
        Pattern placeholder = Pattern.compile("\\$\\{(MSS_[A-Z0-9_]*[A-Z0-9])[:}]");
        try (java.util.stream.Stream<Path> files = Files.walk(Path.of(".."))) {
            for (Path file : files.filter(f -> !f.toString().contains("/target/") && !f.toString().contains("/node_modules/")
                && f.toString().contains("/src/main/")).toList()) {
                String name = file.getFileName().toString();
                if (NOT_SETTINGS.stream().anyMatch(file.toString()::endsWith)) {
                    continue;
                }
                Matcher found = name.endsWith(".java") ? literal.matcher(Files.readString(file, StandardCharsets.UTF_8))
                    : name.equals("application.properties") ? placeholder.matcher(Files.readString(file, StandardCharsets.UTF_8)) : null;
                while (found != null && found.find()) {
                    read.add(found.group(1));
                }
            }
        }
        return read;
    }

    /**
     * Main sources whose {@code MSS_*} literals are no deployment setting: the console's session cookie name and the
     * test switch of test-support.
     */
    private static final Set<String> NOT_SETTINGS = Set.of("console/security/SecurityConfiguration.java",
        "testsupport/RequiredTools.java");

    /** What the web applications (their own JVMs: admin-ui, …) read, from their application.properties. */
    private static String webApplicationSettings() throws IOException {
        StringBuilder settings = new StringBuilder();
        try (java.util.stream.Stream<Path> modules = Files.list(Path.of(".."))) {
            for (Path module : modules.toList()) {
                Path properties = module.resolve("src/main/resources/application.properties");
                if (Files.isRegularFile(properties)) {
                    settings.append('\n').append(Files.readString(properties, StandardCharsets.UTF_8));
                }
            }
        }
        return settings.toString();
    }
}
