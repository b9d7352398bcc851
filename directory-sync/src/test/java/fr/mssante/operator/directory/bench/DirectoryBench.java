package fr.mssante.operator.directory.bench;

import fr.mssante.operator.directory.db.DirectoryDatabase;
import fr.mssante.operator.directory.load.DirectoryImporter;
import fr.mssante.operator.directory.load.ImportOptions;
import fr.mssante.operator.directory.load.ImportProgress;
import fr.mssante.operator.directory.load.ImportResult;
import fr.mssante.operator.directory.lookup.DirectoryLookup;
import fr.mssante.operator.directory.lookup.SearchQuery;
import fr.mssante.operator.directory.source.SourceOpener;
import fr.mssante.operator.directory.synthetic.SyntheticExtractionGenerator;
import fr.mssante.operator.directory.synthetic.SyntheticExtractionGenerator.Options;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Import and lookup benchmark on an embedded PostgreSQL: synthetic files of the national size, each file also loaded
 * with {@code psql \copy} into an unindexed table (the physical floor) in the same run. Prints a Markdown report as
 * it goes. Arguments: WORKDIR [MAILBOX_LINES [ACTIVITY_LINES]]. Run it with bench/directory/run.sh.
 */
public final class DirectoryBench {

    private static final Options BENCH = new Options(42, 0, false, false, 3000, 0);

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args.length > 0 ? args[0] : "/tmp/directory-bench");
        long mailboxLines = args.length > 1 ? Long.parseLong(args[1]) : 536_000;
        long activityLines = args.length > 2 ? Long.parseLong(args[2]) : 2_000_000;
        // the report goes to stdout: keep the importer's INFO lines out of it
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("fr.mssante"))
            .setLevel(ch.qos.logback.classic.Level.toLevel(System.getProperty("bench.log"), ch.qos.logback.classic.Level.WARN));
        Files.createDirectories(work);
        Path mailboxes = work.resolve("Extraction_Correspondance_MSSante_bench.txt");
        Path mailboxesDay2 = work.resolve("Extraction_Correspondance_MSSante_bench_day2.txt");
        Path activities = work.resolve("PS_LibreAcces_Personne_activite_bench.txt");
        Path activitiesDay2 = work.resolve("PS_LibreAcces_Personne_activite_bench_day2.txt");
        long t0 = System.nanoTime();
        new SyntheticExtractionGenerator(BENCH).writeMailboxes(mailboxes, mailboxLines);
        new SyntheticExtractionGenerator(BENCH.withRevision(1)).writeMailboxes(mailboxesDay2, mailboxLines);
        if (activityLines > 0) {
            new SyntheticExtractionGenerator(BENCH).writeActivities(activities, activityLines);
            new SyntheticExtractionGenerator(BENCH.withRevision(1)).writeActivities(activitiesDay2, activityLines);
        }
        print(String.format(Locale.ROOT, "Generated in %.1f s: MSSanté %,d lines (%.1f MB), Personne_activite %,d lines "
            + "(%.1f MB), and a next-day file of each.%n%n", secs(t0), mailboxLines, mb(mailboxes), activityLines,
            activityLines > 0 ? mb(activities) : 0));

        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setServerConfig("max_wal_size", "4GB")
            .setServerConfig("shared_buffers", "256MB").start()) {
            DataSource ds = pg.getPostgresDatabase();
            DirectoryDatabase.migrate(ds);
            print("Each import reads the whole file. Phases: load = parse + COPY (of every row for a full import, of "
                + "the new and changed rows for an incremental one); middle = index builds and diff (full) or the "
                + "diff's key look-ups (incremental); apply = diff rows stored, rows applied or view switched, "
                + "history.\n\n");
            print("CPU = seconds of CPU used by the JVM and by PostgreSQL (and psql for the floor), from /proc. The "
                + "floor is the median of three `psql \\copy` runs into an unindexed table.\n\n");
            print("| file | import | mode | rows | +added -removed ~changed | floor: psql \\copy | load | middle | apply | total | **total/floor** | CPU: floor | CPU: ours (JVM + PostgreSQL) | CPU ratio |\n");
            print("|---|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            ProcessCpu cpu = new ProcessCpu(ds);
            List<Path[]> files = new ArrayList<>();
            files.add(new Path[] {mailboxes, mailboxesDay2});
            if (activityLines > 0) {
                files.add(new Path[] {activities, activitiesDay2});
            }
            for (Path[] pair : files) {
                Path day1 = pair[0];
                Path day2 = pair[1];
                boolean mailbox = day1 == mailboxes;
                Floor floor = medianFloor(pg, cpu, day1, mailbox ? 31 : 56);
                String name = mailbox ? "MSSanté" : "Personne_activite";
                ImportOptions defaults = ImportOptions.defaults().withForce(true);
                measure(ds, cpu, work, day1, name, "first (empty directory)", defaults, floor);
                measure(ds, cpu, work, day2, name, "daily: next day", defaults, floor);
                measure(ds, cpu, work, day1, name, "daily: back to day 1", defaults, floor);
                measure(ds, cpu, work, day2, name, "daily: next day", defaults, floor);
                measure(ds, cpu, work, day1, name, "daily: back to day 1", defaults, floor);
                measure(ds, cpu, work, day2, name, "--rebuild, next day", defaults.withRebuild(true), floor);
            }
            print("\n");

            try (Connection c = ds.getConnection()) {
                lookups(new SingleConnectionDataSource(c), c, mailboxLines);
            }
            floorParts(ds, cpu, work, mailboxes);
        }
    }

    /**
     * The parts of an MSSanté import measured one at a time, each alone on the machine: what any import with the
     * same columns and indexes must spend at least.
     */
    private static void floorParts(DataSource ds, ProcessCpu cpu, Path work, Path mailboxes) throws Exception {
        print("\nMSSanté import, its parts one at a time (elapsed; CPU of the JVM or of PostgreSQL):\n\n");
        print("| part | elapsed | CPU |\n|---|---:|---:|\n");
        Path rows = work.resolve("mailbox_rows_bench.copy");
        for (int round = 0; round < 2; round++) {
            double c0 = cpu.jvmSeconds();
            long t0 = System.nanoTime();
            try (var in = Files.newInputStream(mailboxes); var out = new java.io.BufferedOutputStream(
                Files.newOutputStream(rows), 1 << 20)) {
                new fr.mssante.operator.directory.parse.ExtractionParser().parse(in,
                    (fr.mssante.operator.directory.parse.CopyLineSink) out::write);
            }
            if (round == 1) {
                print(String.format(Locale.ROOT, "| parse and encode to a file (JVM warm) | %.2f s | %.2f s |%n",
                    secs(t0), cpu.jvmSeconds() - c0));
            }
        }
        String columns = String.join(", ", fr.mssante.operator.directory.parse.Dataset.MAILBOX.storedColumns());
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS directory.mailbox_floor");
            st.execute("CHECKPOINT");
            c.setAutoCommit(false);
            double p0 = cpu.settledPostgresSeconds();
            long t0 = System.nanoTime();
            st.execute("CREATE TABLE directory.mailbox_floor (LIKE directory.mailbox_template)");
            st.execute("COPY directory.mailbox_floor (" + columns + ") FROM '" + rows + "' (FREEZE)");
            c.commit();
            c.setAutoCommit(true);
            print(String.format(Locale.ROOT, "| server-side COPY FREEZE of those rows (%d MB) | %.2f s | %.2f s |%n",
                Files.size(rows) >> 20, secs(t0), cpu.settledPostgresSeconds() - p0));
            String trgm = "directory.gin_trgm_ops";
            try (ResultSet rs = st.executeQuery("SELECT n.nspname FROM pg_opclass o JOIN pg_namespace n "
                + "ON n.oid = o.opcnamespace WHERE o.opcname = 'gin_trgm_ops'")) {
                if (rs.next()) {
                    trgm = "\"" + rs.getString(1) + "\".gin_trgm_ops";
                }
            }
            st.execute("SET maintenance_work_mem = '256MB'");
            st.execute("SET max_parallel_maintenance_workers = 0");
            for (String sql : List.of(
                "CREATE UNIQUE INDEX ON directory.mailbox_floor (address_key)",
                "CREATE INDEX ON directory.mailbox_floor (national_id)",
                "CREATE INDEX ON directory.mailbox_floor USING gin (norm_city " + trgm + ")",
                "CREATE INDEX ON directory.mailbox_floor USING gin (norm_name " + trgm + ")",
                "ANALYZE directory.mailbox_floor (address_key, national_id, kind, postal_code, profession_code, "
                    + "specialty_code, norm_name, norm_last, norm_first, norm_city, norm_org, norm_profession, "
                    + "norm_specialty)")) {
                double p = cpu.settledPostgresSeconds();
                long t = System.nanoTime();
                st.execute(sql);
                print(String.format(Locale.ROOT, "| `%s` | %.2f s | %.2f s |%n",
                    sql.replace("directory.mailbox_floor ", "").replaceAll(" \\(address_key, national_id.*", " (13 columns)"),
                    secs(t), cpu.settledPostgresSeconds() - p));
            }
            st.execute("DROP TABLE directory.mailbox_floor");
        } finally {
            Files.deleteIfExists(rows);
        }
    }

    /** One import with its phases; the current data is whatever the previous import left. */
    private static void measure(DataSource ds, ProcessCpu cpu, Path work, Path file, String name, String what,
                                ImportOptions options, Floor floor) throws Exception {
        Map<ImportProgress.Phase, Long> phaseStart = new EnumMap<>(ImportProgress.Phase.class);
        DirectoryImporter importer = new DirectoryImporter(ds, new SourceOpener(
            java.net.http.HttpClient.newHttpClient(), work), Clock.systemUTC());
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("CHECKPOINT");
        }
        double jvm0 = cpu.jvmSeconds();
        double pg0 = cpu.settledPostgresSeconds();
        long start = System.nanoTime();
        ImportResult r = importer.importSource(file.toString(), options,
            p -> phaseStart.putIfAbsent(p.phase(), System.nanoTime())).get(0);
        long end = System.nanoTime();
        if (r.status() != fr.mssante.operator.directory.load.ImportStatus.APPLIED) {
            throw new IllegalStateException("import not applied: " + r);
        }
        double jvm = cpu.jvmSeconds() - jvm0;
        double postgres = cpu.settledPostgresSeconds() - pg0;
        double used = jvm + postgres;
        double total = (end - start) / 1e9;
        long loaded = phaseStart.getOrDefault(ImportProgress.Phase.INDEXING,
            phaseStart.get(ImportProgress.Phase.COMPARING));
        long applying = phaseStart.get(ImportProgress.Phase.SWAPPING);
        print(String.format(Locale.ROOT, "| %s | %s | %s | %,d | +%,d -%,d ~%,d | %.2f s | %.2f s | %.2f s | %.2f s | %.2f s | **%.2f** | %.2f s | %.2f s (%.1f + %.1f) | %.2f |%n",
            name, what, r.mode().name().toLowerCase(Locale.ROOT), r.parse().accepted(), r.diff().added(),
            r.diff().removed(), r.diff().changed(), floor.elapsed(), (loaded - start) / 1e9, (applying - loaded) / 1e9,
            (end - applying) / 1e9, total, total / floor.elapsed(), floor.cpu(), used, jvm, postgres,
            used / floor.cpu()));
    }

    private static Floor medianFloor(EmbeddedPostgres pg, ProcessCpu cpu, Path file, int columns) throws Exception {
        List<Floor> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            runs.add(psqlCopy(pg, cpu, file, columns));
        }
        runs.sort(java.util.Comparator.comparingDouble(Floor::elapsed));
        return runs.get(1);
    }

    private static void lookups(DataSource ds, Connection c, long mailboxLines) throws Exception {
        DirectoryLookup lookup = new DirectoryLookup(ds);
        SyntheticExtractionGenerator g = new SyntheticExtractionGenerator(BENCH);
        Random random = new Random(1);
        for (int i = 0; i < 1000; i++) {
            lookup.byAddress(g.mailboxAddress(random.nextInt((int) mailboxLines)));
        }
        long[] byAddress = new long[10_000];
        int found = 0;
        for (int i = 0; i < byAddress.length; i++) {
            String address = g.mailboxAddress(random.nextInt((int) mailboxLines));
            long s = System.nanoTime();
            found += lookup.byAddress(address).isPresent() ? 1 : 0;
            byAddress[i] = System.nanoTime() - s;
        }
        print("Lookups over one open JDBC connection, one client thread (latency includes the round trip):\n\n");
        print("| query | runs | p50 | p99 | rows |\n|---|---:|---:|---:|---:|\n");
        print(row("byAddress (" + found + " of " + byAddress.length + " found)", byAddress, 1));
        long[] byId = new long[2000];
        for (int i = 0; i < byId.length; i++) {
            String id = g.person(random.nextInt((int) mailboxLines)).nationalId();
            long s = System.nanoTime();
            lookup.byNationalId(id);
            byId[i] = System.nanoTime() - s;
        }
        print(row("byNationalId (mailboxes + activities)", byId, -1));
        List<SearchQuery> queries = List.of(
            SearchQuery.byName("Hélène Dupont"),
            SearchQuery.byName("helene dupont").withCity("Saint-Étienne"),
            SearchQuery.byName("lef"),
            SearchQuery.byName("jerome").withProfession("Médecin").withSpecialty("cardiologie"),
            new SearchQuery(null, "infirmier", null, "besancon", null, 0, 20),
            new SearchQuery(null, null, null, "paris", null, 0, 20),
            SearchQuery.byName("martin").page(200, 20));
        for (SearchQuery q : queries) {
            int rows = lookup.search(q).items().size();
            long[] t = new long[100];
            for (int i = 0; i < t.length; i++) {
                long s = System.nanoTime();
                lookup.search(q);
                t[i] = System.nanoTime() - s;
            }
            print(row("search " + describe(q), t, rows));
        }
    }

    private static String describe(SearchQuery q) {
        List<String> parts = new ArrayList<>();
        if (q.name() != null) parts.add("name='" + q.name() + "'");
        if (q.profession() != null) parts.add("profession='" + q.profession() + "'");
        if (q.specialty() != null) parts.add("specialty='" + q.specialty() + "'");
        if (q.city() != null) parts.add("city='" + q.city() + "'");
        if (q.offset() > 0) parts.add("offset=" + q.offset());
        return String.join(", ", parts);
    }

    private static String row(String name, long[] nanos, int rows) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return String.format(Locale.ROOT, "| %s | %d | %.2f ms | %.2f ms | %s |%n", name, nanos.length,
            sorted[sorted.length / 2] / 1e6, sorted[(int) (sorted.length * 0.99)] / 1e6, rows < 0 ? "" : rows);
    }

    /** The floor: elapsed seconds, and CPU seconds of psql plus PostgreSQL. */
    record Floor(double elapsed, double cpu) {
    }

    /** psql \copy of the raw file into an unindexed text table: the physical floor, client process included. */
    private static Floor psqlCopy(EmbeddedPostgres pg, ProcessCpu cpu, Path file, int columns) throws Exception {
        String table = "floor_" + columns;
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + table);
            st.execute("CREATE TABLE " + table + " (" + IntStream.rangeClosed(1, columns + 1)
                .mapToObj(i -> "c" + i + " text").collect(Collectors.joining(", ")) + ")");
            st.execute("CHECKPOINT");
        }
        String copy = "\\copy " + table + " FROM '" + file + "' WITH (FORMAT csv, DELIMITER '|', HEADER true, QUOTE E'\\x01')";
        Path times = Files.createTempFile("psql-time", ".txt");
        double pg0 = cpu.settledPostgresSeconds();
        long start = System.nanoTime();
        Process p = new ProcessBuilder("/usr/bin/time", "-f", "%U %S", "-o", times.toString(), "/usr/bin/psql", "-q",
            "-h", "localhost", "-p", String.valueOf(pg.getPort()), "-U", "postgres", "-d", "postgres",
            "-v", "ON_ERROR_STOP=1", "-c", copy).inheritIO().start();
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException("psql \\copy failed");
        }
        double seconds = secs(start);
        // the backend that served psql has ended by now: its time is in the postmaster's children time
        double postgres = cpu.settledPostgresSeconds() - pg0;
        String[] userSystem = Files.readString(times).trim().split("\\s+");
        Files.delete(times);
        double psql = Double.parseDouble(userSystem[userSystem.length - 2]) + Double.parseDouble(userSystem[userSystem.length - 1]);
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("DROP TABLE " + table);
            st.execute("CHECKPOINT");
        }
        return new Floor(seconds, psql + postgres);
    }

    private static void print(String s) {
        System.out.print(s);
        System.out.flush();
    }

    private static double secs(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static double mb(Path file) throws IOException {
        return Files.size(file) / 1e6;
    }
}
