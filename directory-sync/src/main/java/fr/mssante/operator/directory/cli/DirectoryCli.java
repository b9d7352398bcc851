package fr.mssante.operator.directory.cli;

import fr.mssante.operator.directory.db.DirectoryDatabase;
import fr.mssante.operator.directory.load.DirectoryImporter;
import fr.mssante.operator.directory.load.ImportOptions;
import fr.mssante.operator.directory.load.ImportResult;
import fr.mssante.operator.directory.load.ImportStatus;
import fr.mssante.operator.directory.lookup.DirectoryLookup;
import fr.mssante.operator.directory.lookup.MailboxEntry;
import fr.mssante.operator.directory.lookup.SearchQuery;
import fr.mssante.operator.directory.parse.LineIssue;
import fr.mssante.operator.directory.source.SourceOpener;
import fr.mssante.operator.directory.synthetic.SyntheticExtractionGenerator;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code directory import FILE|URL [--force] [--unlogged] [--max-vanished RATIO]},
 * {@code directory search WORDS [--city C] [--profession P]}, {@code directory generate mailboxes|activities FILE LINES}.
 * The database comes from MSS_DB_URL (jdbc:postgresql://...), MSS_DB_USER and MSS_DB_PASSWORD.
 * Exit codes: 0 applied, 2 usage or configuration error, 3 rejected by a safety rule, 4 failed.
 */
public final class DirectoryCli {

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;
    private final boolean terminal;

    DirectoryCli(Map<String, String> env, PrintStream out, PrintStream err, boolean terminal) {
        this.env = env;
        this.out = out;
        this.err = err;
        this.terminal = terminal;
    }

    public static void main(String[] args) {
        System.exit(new DirectoryCli(System.getenv(), System.out, System.err, System.console() != null).run(args));
    }

    int run(String[] args) {
        if (args.length == 0) {
            return usage();
        }
        try {
            switch (args[0]) {
                case "import":
                    return importCommand(args);
                case "search":
                    return searchCommand(args);
                case "generate":
                    if (args.length < 4) {
                        return usage();
                    }
                    SyntheticExtractionGenerator.main(java.util.Arrays.copyOfRange(args, 1, args.length));
                    return 0;
                default:
                    return usage();
            }
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println("error: " + e);
            return 4;
        }
    }

    private int importCommand(String[] args) throws Exception {
        String source = null;
        ImportOptions options = ImportOptions.defaults();
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--force" -> options = options.withForce(true);
                case "--unlogged" -> options = options.withUnloggedTables(true);
                case "--max-vanished" -> options = options.withMaxVanishedRatio(Double.parseDouble(value(args, ++i)));
                default -> {
                    if (source != null || args[i].startsWith("--")) {
                        throw new IllegalArgumentException("unexpected argument " + args[i]);
                    }
                    source = args[i];
                }
            }
        }
        if (source == null) {
            throw new IllegalArgumentException("import needs a FILE or URL");
        }
        DataSource ds = dataSource();
        DirectoryDatabase.migrate(ds);
        DirectoryImporter importer = new DirectoryImporter(ds, SourceOpener.withDefaults(), Clock.systemUTC());
        ProgressLine progress = new ProgressLine(out, terminal);
        List<ImportResult> results = importer.importSource(source, options, progress);
        progress.done();
        int code = 0;
        for (ImportResult r : results) {
            printSummary(r);
            code = Math.max(code, r.status() == ImportStatus.APPLIED ? 0 : r.status() == ImportStatus.REJECTED ? 3 : 4);
        }
        return code;
    }

    void printSummary(ImportResult r) {
        out.printf(Locale.ROOT, "%s: %s (import #%d, %s)%n", r.entry(), r.status(), r.importId(),
            r.dataset() == null ? "unknown file" : r.dataset());
        if (r.reason() != null) {
            out.println("  reason: " + r.reason());
        }
        if (r.parse() != null) {
            out.printf(Locale.ROOT, "  lines %,d, loaded %,d, malformed %,d, duplicates %,d%s%n", r.parse().dataLines(),
                r.parse().accepted(), r.parse().malformed(), r.parse().duplicates(),
                r.parse().missingColumns().isEmpty() ? "" : ", columns absent: " + r.parse().missingColumns());
            r.parse().issues().stream().filter(i -> i.kind() == LineIssue.Kind.MALFORMED).limit(10)
                .forEach(i -> out.printf(Locale.ROOT, "  line %d: %s%n", i.line(), i.message()));
        }
        if (r.diff() != null) {
            out.printf(Locale.ROOT, "  entries %,d -> %,d: added %,d, removed %,d, changed %,d%n", r.diff().previousKeys(),
                r.diff().newKeys(), r.diff().added(), r.diff().removed(), r.diff().changed());
        }
        double seconds = r.totalTime().toMillis() / 1000.0;
        out.printf(Locale.ROOT, "  time %.1f s (load %.1f s)%s%n", seconds, r.loadTime().toMillis() / 1000.0,
            r.parse() == null || seconds == 0 ? "" : String.format(Locale.ROOT, ", %,.0f rows/s", r.parse().accepted() / seconds));
    }

    private int searchCommand(String[] args) throws Exception {
        List<String> words = new ArrayList<>();
        String city = null;
        String profession = null;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--city" -> city = value(args, ++i);
                case "--profession" -> profession = value(args, ++i);
                default -> words.add(args[i]);
            }
        }
        DirectoryLookup lookup = new DirectoryLookup(dataSource());
        for (MailboxEntry m : lookup.search(new SearchQuery(String.join(" ", words), profession, null, city, null, 0, 50))
            .items()) {
            out.printf(Locale.ROOT, "%-45s %-4s %-30s %-25s %s%n", m.address(), m.kind(), m.displayName(),
                m.profession() == null ? "" : m.profession(), m.city() == null ? "" : m.city());
        }
        return 0;
    }

    DataSource dataSource() {
        String url = env.get("MSS_DB_URL");
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("MSS_DB_URL is not set (jdbc:postgresql://host:port/db)");
        }
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(url);
        if (env.get("MSS_DB_USER") != null) {
            ds.setUser(env.get("MSS_DB_USER"));
        }
        if (env.get("MSS_DB_PASSWORD") != null) {
            ds.setPassword(env.get("MSS_DB_PASSWORD"));
        }
        return ds;
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private int usage() {
        err.println("usage: directory import FILE|URL [--force] [--unlogged] [--max-vanished RATIO]");
        err.println("       directory search WORDS... [--city CITY] [--profession PROFESSION]");
        err.println("       directory generate mailboxes|activities FILE LINES [revision]");
        err.println("env:   MSS_DB_URL, MSS_DB_USER, MSS_DB_PASSWORD");
        return 2;
    }
}
