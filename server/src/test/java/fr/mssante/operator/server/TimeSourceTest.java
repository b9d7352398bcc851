package fr.mssante.operator.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Issue 17 #3: time is read from an injected {@link java.time.Clock}, so that tests can freeze it. A source scan of
 * every module's {@code src/main/java}: a read of "now" from the system clock ({@code Instant.now()},
 * {@code System.currentTimeMillis()}, {@code LocalDateTime.now()}, {@code ZonedDateTime.now(zone)},
 * {@code Clock.systemUTC()}, {@code new Date()}, {@code Calendar.getInstance()} …) fails it, except in the files
 * listed in {@link #JUSTIFIED} (by simple file name: classes may move between modules and packages).
 * {@code X.now(clock)} is fine; durations are measured with {@code System.nanoTime()}, which is not a date.
 */
class TimeSourceTest {
    private static final Path ROOT = Path.of("..");
    static final Pattern SYSTEM_TIME = Pattern.compile(
        "\\b(Instant|LocalDate|LocalDateTime|LocalTime|OffsetDateTime|OffsetTime|ZonedDateTime|Year|YearMonth|MonthDay)"
            + "\\.now\\(\\s*(\\)|Zone)"
            + "|\\bSystem\\.currentTimeMillis\\("
            + "|\\bClock\\.system(UTC|DefaultZone)?\\("
            + "|\\bnew\\s+(java\\.util\\.)?Date\\(\\s*\\)"
            + "|\\bCalendar\\.getInstance\\("
            + "|\\bnew\\s+(java\\.util\\.)?GregorianCalendar\\(\\s*\\)");

    /** Where reading the system clock is the point, each with its reason. */
    static final Map<String, String> JUSTIFIED = Map.of(
        "ServerClock.java", "the server's one clock provider, bound in Guice by MssRuntime",
        "WebConfiguration.java", "health-space's one Clock bean (its own process)",
        "SecurityConfiguration.java", "the console's one Clock bean (admin-ui, its own process)",
        "DmpConnectorMain.java", "main() of the DMP connector process: its one clock, passed down",
        "DmpStandInMain.java", "main() of the DMP stand-in process: its one clock, passed down",
        "DirectoryCli.java", "main() of the directory CLI: its one clock, passed down",
        "BenchPki.java", "benchmark tool, not shipped: a throwaway PKI dated now",
        "TestPki.java", "test PKI builder: the system clock is only the default of Builder.clock(Clock)",
        "LabDay.java", "benchmark driver, not shipped: measures wall-clock time of a run");

    @Test
    void mainCodeReadsTimeOnlyFromAnInjectedClock() throws IOException {
        List<String> reads = new ArrayList<>();
        for (Path file : mainSources()) {
            if (JUSTIFIED.containsKey(file.getFileName().toString())) {
                continue;
            }
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).trim();
                if (!line.startsWith("*") && !line.startsWith("//") && SYSTEM_TIME.matcher(line).find()) {
                    reads.add(ROOT.relativize(file) + ":" + (i + 1) + ": " + line);
                }
            }
        }
        assertThat(reads).as("reads of the system clock outside the one Clock provider (inject java.time.Clock)").isEmpty();
    }

    @Test
    void theScanSeesEveryModuleAndRecognisesEveryForm() throws IOException {
        assertThat(mainSources()).as("main sources scanned").hasSizeGreaterThan(300)
            .anyMatch(file -> file.endsWith("ServerClock.java"))
            .anyMatch(file -> file.toString().contains("health-space"));
        for (String read : List.of("Instant now = Instant.now();", "long t = System.currentTimeMillis();",
            "LocalDateTime.now()", "ZonedDateTime.now(ZoneId.of(\"Europe/Paris\"))", "Clock.systemUTC()",
            "Clock.systemDefaultZone()", "new Date()", "new java.util.Date()", "Calendar.getInstance()")) {
            assertThat(SYSTEM_TIME.matcher(read).find()).as(read).isTrue();
        }
        for (String fine : List.of("Instant.now(clock)", "LocalDateTime.now(clock)", "ZonedDateTime.now(clock.withZone(PARIS))",
            "clock.instant()", "System.nanoTime()", "new Date(millis)", "Date.from(clock.instant())")) {
            assertThat(SYSTEM_TIME.matcher(fine).find()).as(fine).isFalse();
        }
    }

    private static List<Path> mainSources() throws IOException {
        try (Stream<Path> files = Files.walk(ROOT)) {
            return files.filter(file -> file.toString().endsWith(".java"))
                .filter(file -> file.toString().replace('\\', '/').contains("/src/main/java/"))
                .filter(file -> !file.toString().contains("/target/") && !file.toString().contains("/node_modules/"))
                .sorted().toList();
        }
    }
}
