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
 *   <li>every port of README's service table, and every port the pages cite ({@code port N}, {@code 127.0.0.1:N}), is
 *       the default of a setting;</li>
 *   <li>every class the pages cite in code spans ({@code `Name`}, {@code `Name.member`}, {@code `Name#member`}) exists:
 *       a type of this repository (main or test), or of the JDK or a dependency on the classpath — by simple name,
 *       as classes move between modules and packages; {@link #NOT_CLASSES} lists the CamelCase words that are no
 *       class (IMAP test scripts, XML elements, clamd options…);</li>
 *   <li>every WebAdmin route the pages cite ({@code /mss/…}) is defined by a route class, and every route family the
 *       code defines is on docs/configuration.md;</li>
 *   <li>James components we replaced ({@link #REPLACED}) are named only where the page says so.</li>
 * </ul>
 * A name ending with {@code _} is a family ({@code MSS_DB_*}) and is not checked.
 */
class DocumentationReferencesTest {
    private static final Path ROOT = Path.of("..");
    private static final Set<String> SOURCE_SUFFIXES = Set.of(".java", ".sh", ".py", ".xml", ".properties");
    /** The page's generic example of the {@code _FILE} convention, not a variable. */
    private static final Set<String> EXAMPLES = Set.of("MSS_X", "MSS_X_FILE");
    private static String sources;
    /** Every type declared in this repository's Java sources (main and test), by simple name. */
    private static Set<String> types;
    /** Main Java sources, path to text: where routes are defined. */
    private static java.util.Map<Path, String> mainJava;

    /** CamelCase words the pages cite in code spans that are no Java type (and why). */
    static final Set<String> NOT_CLASSES = Set.of(
        // James MPT IMAP protocol scripts (docs/features/mail-server.md lists which pass)
        "AppendExamineInbox", "AuthenticatePlain", "CondstoreDisable", "DeleteInbox", "ExamineEmpty", "FetchAllEmptyMailbox",
        "FetchMultipartBodyStructure", "FetchSaveDate", "FetchSimpleBodyStructure", "FetchStructureComplex",
        "FetchStructureEmbedded", "MoveNoMSG", "ObjectId", "RenameInbox", "SearchAtoms", "SearchCombinations",
        "SearchSaveDate", "SelectedStateSetup", "UidSearchAtoms", "UidSearchAtomsIndexer", "UidSearchCombinations",
        // XML elements and attributes of the formats we read or write (CDA, XDS, FHIR, SAML/VIHF)
        "ClinicalDocument", "ExtrinsicObject", "PractitionerRole", "AsOrganizationProfile", "SavoirFaire", "SubjectNameID",
        // clamd.conf options, cookie attributes, OpenJPA properties
        "MaxFileSize", "MaxRecursion", "MaxScanSize", "StreamMaxLength", "HttpOnly", "SynchronizeMappings",
        // naming examples of docs/conventions.md (what a mailet and a matcher would be called)
        "IsFromTrustedOperator", "SignOutgoingMessage",
        // James classes of modules we do not assemble (named by docs/security.md's CVE table: why they do not apply)
        "JsoupHtmlTextExtractor", "SieveFileRepository");

    /**
     * James components replaced by ours: a page may name them only on a line that says they are replaced or not used,
     * or that describes upstream James 3.8.1 (why we replaced them); decision records are history and not checked.
     */
    static final Set<String> REPLACED = Set.of("RemoteDelivery", "verifyIdentity");

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
        types = new HashSet<>();
        mainJava = new java.util.TreeMap<>();
        try (Stream<Path> files = Files.walk(ROOT)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java") && !f.toString().contains("/target/")
                && !f.toString().contains("/node_modules/")).toList()) {
                String text = Files.readString(file, StandardCharsets.ISO_8859_1);
                Matcher declared = Pattern.compile("\\b(?:class|interface|enum|record)\\s+([A-Z]\\w*)").matcher(text);
                while (declared.find()) {
                    types.add(declared.group(1));
                }
                if (file.toString().contains("/src/main/java/")) {
                    mainJava.put(file, text);
                }
            }
        }
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

    @Test
    void everyPortThePagesCiteIsASettingsDefault() throws IOException {
        Set<String> defaults = portDefaults();
        Set<String> unknown = new TreeSet<>();
        Pattern cited = Pattern.compile("(?:\\bports?\\s+`?|(?:localhost|127\\.0\\.0\\.1):)(\\d{4,5})\\b");
        for (Path page : pages()) {
            Matcher port = cited.matcher(Files.readString(page, StandardCharsets.UTF_8));
            while (port.find()) {
                if (!defaults.contains(port.group(1))) {
                    unknown.add(port.group(1) + " (" + ROOT.relativize(page) + ")");
                }
            }
        }
        assertThat(unknown).as("ports the documentation cites that are no setting's default").isEmpty();
    }

    @Test
    void everyClassThePagesCiteExists() throws IOException {
        Set<String> known = new HashSet<>(types);
        known.addAll(classpathSimpleNames());
        Set<String> unknown = new TreeSet<>();
        Pattern span = Pattern.compile("`([^`\\n]+)`");
        Pattern reference = Pattern.compile("^([A-Z][a-z0-9]+(?:[A-Z][A-Za-z0-9]*)+)(?:[.#][A-Za-z_]\\w*(?:\\(\\))?|\\(\\))?$");
        for (Path page : pages()) {
            Matcher spans = span.matcher(Files.readString(page, StandardCharsets.UTF_8));
            while (spans.find()) {
                Matcher name = reference.matcher(spans.group(1).trim());
                if (name.matches() && !known.contains(name.group(1)) && !NOT_CLASSES.contains(name.group(1))
                    && !name.group(1).matches("P\\d+[YMD]")) {
                    unknown.add(name.group(1) + " (" + ROOT.relativize(page) + ")");
                }
            }
        }
        assertThat(unknown).as("classes the documentation cites that exist nowhere (renamed? removed?)").isEmpty();
    }

    @Test
    void everyWebAdminRouteThePagesCiteIsDefined() throws IOException {
        Set<String> unknown = new TreeSet<>();
        Pattern cited = Pattern.compile("(/mss/[A-Za-z0-9_{}:.<>/\\[\\]-]*[A-Za-z0-9_}>\\]])");
        for (Path page : pages()) {
            for (String line : Files.readAllLines(page, StandardCharsets.UTF_8)) {
                Matcher route = cited.matcher(line);
                while (route.find()) {
                    if (!defined(route.group(1))) {
                        unknown.add(route.group(1) + " (" + ROOT.relativize(page) + ")");
                    }
                }
            }
        }
        assertThat(unknown).as("WebAdmin routes the documentation cites that no route class defines").isEmpty();
    }

    @Test
    void theConfigurationPageNamesEveryRouteFamilyAndRouteClass() throws IOException {
        String page = Files.readString(ROOT.resolve("docs/configuration.md"), StandardCharsets.UTF_8);
        Set<String> missing = new TreeSet<>();
        for (String family : routeFamilies()) {
            if (!page.contains("`" + family)) {
                missing.add(family);
            }
        }
        Matcher routes = Pattern.compile("extensions\\.routes=(.*)").matcher(
            Files.readString(ROOT.resolve("conf/webadmin.properties"), StandardCharsets.UTF_8));
        assertThat(routes.find()).isTrue();
        for (String route : routes.group(1).split(",")) {
            String simple = route.trim().substring(route.trim().lastIndexOf('.') + 1);
            if (!page.contains("`" + simple + "`")) {
                missing.add(simple);
            }
        }
        assertThat(missing).as("WebAdmin route families and route classes missing from docs/configuration.md").isEmpty();
    }

    @Test
    void replacedJamesComponentsAreNotDescribedAsInUse() throws IOException {
        Set<String> stale = new TreeSet<>();
        for (Path page : pages()) {
            if (page.startsWith(ROOT.resolve("docs/decisions"))) {
                continue; // decision records keep the context they were written in
            }
            List<String> lines = Files.readAllLines(page, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                // the line says it is replaced, or describes what upstream James 3.8.1 does (the reason we replaced it)
                String context = (i > 0 ? lines.get(i - 1) : "") + " " + line;
                for (String replaced : REPLACED) {
                    if (line.contains(replaced)
                        && !context.matches("(?i).*(replac|instead of|not used|no longer|disabled|false|James 3\\.8\\.1).*")) {
                        stale.add(ROOT.relativize(page) + ":" + (i + 1) + " " + replaced);
                    }
                }
            }
        }
        assertThat(stale).as("pages describing a replaced James component as in use").isEmpty();
    }

    /** Whether some main source defines {@code route}: its family as a literal, each fixed segment in that source. */
    private static boolean defined(String route) {
        String path = route.replaceAll("\\[.*", "").replaceAll("/$", "");
        String[] segments = path.substring(1).split("/");
        if (segments.length < 2 || segments[1].equals("...") || segments[1].equals("\u2026")) {
            return true; // "/mss/..." stands for every route
        }
        String family = "/mss/" + segments[1];
        for (String source : mainJava.values()) {
            if (!source.contains("\"" + family)) {
                continue;
            }
            boolean all = true;
            for (int i = 2; i < segments.length; i++) {
                String segment = segments[i];
                if (segment.isEmpty() || segment.startsWith("{") || segment.startsWith(":") || segment.startsWith("<")
                    || segment.equals("...") || segment.equals("\u2026") || segment.matches("[A-Z_]+")) {
                    continue; // a parameter (or an enum value in an example)
                }
                if (!source.contains("/" + segment)) {
                    all = false;
                }
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    private static Set<String> routeFamilies() {
        Set<String> families = new TreeSet<>();
        Pattern literal = Pattern.compile("\"(/mss/[a-z-]+)");
        for (String source : mainJava.values()) {
            if (!source.contains("implements Routes") && !source.contains("RouteFilter") && !source.contains("spark.")) {
                continue;
            }
            Matcher family = literal.matcher(source);
            while (family.find()) {
                families.add(family.group(1));
            }
        }
        return families;
    }

    private static Set<String> portDefaults() throws IOException {
        Set<String> defaults = Arrays.stream(Setting.values()).map(Setting::developmentDefault).collect(Collectors.toCollection(HashSet::new));
        for (String application : List.of("admin-ui", "health-space")) {
            Matcher placeholders = Pattern.compile("\\$\\{MSS_[A-Z0-9_]+:(\\d{2,5})}").matcher(Files.readString(
                ROOT.resolve(application).resolve("src/main/resources/application.properties"), StandardCharsets.UTF_8));
            while (placeholders.find()) {
                defaults.add(placeholders.group(1));
            }
        }
        return defaults;
    }

    /** Simple names of the classes of the JDK and of every jar and class directory on the test classpath. */
    private static Set<String> classpathSimpleNames() throws IOException {
        Set<String> names = new HashSet<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path path = Path.of(entry);
            if (entry.endsWith(".jar") && Files.isRegularFile(path)) {
                try (java.util.zip.ZipFile jar = new java.util.zip.ZipFile(path.toFile())) {
                    jar.stream().map(java.util.zip.ZipEntry::getName).filter(name -> name.endsWith(".class"))
                        .forEach(name -> names.add(simpleName(name)));
                }
            } else if (Files.isDirectory(path)) {
                try (Stream<Path> classes = Files.walk(path)) {
                    classes.map(Path::toString).filter(name -> name.endsWith(".class")).forEach(name -> names.add(simpleName(name)));
                }
            }
        }
        java.nio.file.FileSystem jrt = java.nio.file.FileSystems.getFileSystem(java.net.URI.create("jrt:/"));
        try (Stream<Path> classes = Files.walk(jrt.getPath("/modules"))) {
            classes.map(Path::toString).filter(name -> name.endsWith(".class")).forEach(name -> names.add(simpleName(name)));
        }
        return names;
    }

    private static String simpleName(String classFile) {
        String name = classFile.substring(Math.max(classFile.lastIndexOf('/'), classFile.lastIndexOf(java.io.File.separatorChar)) + 1,
            classFile.length() - ".class".length());
        return name.substring(name.lastIndexOf('$') + 1);
    }

    private static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> files = Files.walk(ROOT.resolve("docs"))) {
            pages.addAll(files.filter(file -> file.toString().endsWith(".md")).sorted().toList());
        }
        return pages;
    }
}
