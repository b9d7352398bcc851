package fr.mssante.operator.directory.cli;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;

import javax.sql.DataSource;

import org.postgresql.ds.PGSimpleDataSource;

import fr.mssante.operator.directory.db.DirectoryDatabase;
import fr.mssante.operator.directory.fhir.AnnuaireFhirClient;
import fr.mssante.operator.directory.fhir.RateLimiter;
import fr.mssante.operator.directory.load.DirectoryImporter;
import fr.mssante.operator.directory.load.ImportOptions;
import fr.mssante.operator.directory.load.ImportResult;
import fr.mssante.operator.directory.load.ImportStatus;
import fr.mssante.operator.directory.lookup.DirectoryLookup;
import fr.mssante.operator.directory.lookup.MailboxEntry;
import fr.mssante.operator.directory.lookup.SearchQuery;
import fr.mssante.operator.directory.parse.LineIssue;
import fr.mssante.operator.directory.publication.Depublication;
import fr.mssante.operator.directory.publication.DepublicationDecision;
import fr.mssante.operator.directory.publication.MailboxPublication;
import fr.mssante.operator.directory.publication.PublicationAudience;
import fr.mssante.operator.directory.publication.PublicationReport;
import fr.mssante.operator.directory.publication.PublishedMailboxSource;
import fr.mssante.operator.directory.publication.UnusedMailboxPolicy;
import fr.mssante.operator.directory.refresh.MailboxRefresh;
import fr.mssante.operator.directory.source.SourceOpener;
import fr.mssante.operator.directory.synthetic.SyntheticExtractionGenerator;

/**
 * {@code directory import FILE|URL [--force] [--rebuild] [--unlogged] [--max-vanished RATIO]},
 * {@code directory search WORDS [--city C] [--profession P]}, {@code directory generate mailboxes|activities FILE LINES},
 * {@code directory publish --out FILE [--public]}, {@code directory unused}, {@code directory refresh ADDRESS}.
 * The database comes from MSS_DB_URL (jdbc:postgresql://...), MSS_DB_USER and MSS_DB_PASSWORD. {@code publish} and
 * {@code unused} read our mailboxes through a {@link PublishedMailboxSource.Provider}: the one given to
 * {@link #main(String[], PublishedMailboxSource.Provider)}, else the first found by {@link ServiceLoader}.
 * Exit codes: 0 applied, 2 usage or configuration error, 3 rejected by a safety rule, 4 failed.
 */
public final class DirectoryCli {

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;
    private final boolean terminal;
    private final PublishedMailboxSource.Provider mailboxes;
    private final Clock clock;

    DirectoryCli(Map<String, String> env, PrintStream out, PrintStream err, boolean terminal) {
        this(env, out, err, terminal, null, Clock.systemUTC());
    }

    DirectoryCli(Map<String, String> env, PrintStream out, PrintStream err, boolean terminal,
                 PublishedMailboxSource.Provider mailboxes, Clock clock) {
        this.env = env;
        this.out = out;
        this.err = err;
        this.terminal = terminal;
        this.mailboxes = mailboxes;
        this.clock = clock;
    }

    public static void main(String[] args) {
        main(args, ServiceLoader.load(PublishedMailboxSource.Provider.class).findFirst().orElse(null));
    }

    /** For the server's launcher, which knows how to read its mailbox register. */
    public static void main(String[] args, PublishedMailboxSource.Provider mailboxes) {
        System.exit(new DirectoryCli(System.getenv(), System.out, System.err, System.console() != null, mailboxes,
            Clock.systemUTC()).run(args));
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
                case "publish":
                    return publishCommand(args);
                case "unused":
                    return unusedCommand(args);
                case "refresh":
                    return refreshCommand(args);
                case "generate":
                    if (args.length < 4) {
                        return usage();
                    }
                    SyntheticExtractionGenerator.main(Arrays.copyOfRange(args, 1, args.length));
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
                case "--rebuild" -> options = options.withRebuild(true);
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
        DirectoryImporter importer = new DirectoryImporter(ds, SourceOpener.withDefaults(), clock);
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
        out.printf(Locale.ROOT, "%s: %s (import #%d, %s%s)%n", r.entry(), r.status(), r.importId(),
            r.dataset() == null ? "unknown file" : r.dataset(),
            r.mode() == null ? "" : ", " + r.mode().name().toLowerCase(Locale.ROOT));
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

    private int publishCommand(String[] args) throws Exception {
        Path file = null;
        PublicationAudience audience = PublicationAudience.NATIONAL_DIRECTORY;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> file = Path.of(value(args, ++i));
                case "--public" -> audience = PublicationAudience.PUBLIC;
                default -> throw new IllegalArgumentException("unexpected argument " + args[i]);
            }
        }
        if (file == null) {
            throw new IllegalArgumentException("publish needs --out FILE");
        }
        PublicationReport report = new MailboxPublication(clock).publish(mailboxSource(), audience, file);
        out.printf(Locale.ROOT, "%s: %d mailboxes in %d resources (%s)%n", file, report.published(),
            report.resources(), audience == PublicationAudience.PUBLIC ? "public" : "for the national directory");
        out.printf(Locale.ROOT, "  not published: %d inactive or unpublished, %d red-listed left out, %d rejected%n",
            report.notPublishable(), report.redListedLeftOut(), report.rejected().size());
        report.rejected().stream().limit(20).forEach(r -> out.printf(Locale.ROOT, "  rejected %s: %s%n", r.address(),
            r.reason()));
        return 0;
    }

    /**
     * {@code refresh ADDRESS}: asks the Annuaire Santé FHIR API (MSS_ANNUAIRE_API_KEY, MSS_ANNUAIRE_URL) who
     * publishes the address and keeps the answer for look-ups until the extraction lists it.
     */
    private int refreshCommand(String[] args) throws Exception {
        if (args.length != 2) {
            return usage();
        }
        String key = env.getOrDefault("MSS_ANNUAIRE_API_KEY", "");
        if (key.isBlank()) {
            err.println("error: MSS_ANNUAIRE_API_KEY is not set (the Annuaire Santé API key, ESANTE-API-KEY header)");
            return 2;
        }
        URI base = URI.create(env.getOrDefault("MSS_ANNUAIRE_URL",
            AnnuaireFhirClient.PRODUCTION.toString()));
        AnnuaireFhirClient client = new AnnuaireFhirClient(
            HttpClient.newHttpClient(), base, key,
            RateLimiter.annuaireSante(clock));
        var found = new MailboxRefresh(client, dataSource(), clock).refresh(args[1]);
        if (found.isEmpty()) {
            out.printf(Locale.ROOT, "%s: not published in the national directory%n", args[1]);
            return 4;
        }
        var m = found.get();
        out.printf(Locale.ROOT, "%s: %s, published by %s%s%s%n", m.address(), m.type(), m.owner(),
            m.nationalId() == null ? "" : " (" + m.nationalId() + ")", m.listeRouge() ? ", liste rouge" : "");
        return 0;
    }

    private int unusedCommand(String[] args) throws Exception {
        if (args.length > 1) {
            throw new IllegalArgumentException("unexpected argument " + args[1]);
        }
        UnusedMailboxPolicy policy = UnusedMailboxPolicy.fromEnvironment(env);
        List<DepublicationDecision> decisions = new Depublication(policy, clock).decide(mailboxSource());
        for (DepublicationDecision d : decisions) {
            out.printf(Locale.ROOT, "%-45s %-10s since %s%n", d.address(), d.reason(), d.unusedSince());
        }
        out.printf(Locale.ROOT, "%d published mailboxes unused for %s%n", decisions.size(), policy.unusedFor());
        return 0;
    }

    private PublishedMailboxSource mailboxSource() {
        if (mailboxes == null) {
            throw new IllegalArgumentException("publication needs the mail server's mailbox register: run it through "
                + "the server's launcher (no PublishedMailboxSource.Provider on the class path)");
        }
        return mailboxes.open(dataSource());
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
        err.println("usage: directory import FILE|URL [--force] [--rebuild] [--unlogged] [--max-vanished RATIO]");
        err.println("       directory search WORDS... [--city CITY] [--profession PROFESSION]");
        err.println("       directory generate mailboxes|activities FILE LINES [revision]");
        err.println("       directory publish --out FILE [--public]");
        err.println("       directory unused");
        err.println("       directory refresh ADDRESS   (Annuaire Santé FHIR API: MSS_ANNUAIRE_API_KEY, MSS_ANNUAIRE_URL)");
        err.println("env:   MSS_DB_URL, MSS_DB_USER, MSS_DB_PASSWORD, " + UnusedMailboxPolicy.SETTING + " (default P12M)");
        return 2;
    }
}
