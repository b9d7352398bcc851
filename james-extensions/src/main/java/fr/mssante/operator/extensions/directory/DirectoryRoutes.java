package fr.mssante.operator.extensions.directory;

import java.io.FileNotFoundException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;
import javax.sql.DataSource;

import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import spark.Service;

import fr.mssante.operator.directory.load.DirectoryImporter;
import fr.mssante.operator.directory.load.ImportListener;
import fr.mssante.operator.directory.load.ImportOptions;
import fr.mssante.operator.directory.load.ImportRecords;
import fr.mssante.operator.directory.load.ImportResult;
import fr.mssante.operator.directory.lookup.DirectoryLookup;
import fr.mssante.operator.directory.source.DownloadLimits;
import fr.mssante.operator.directory.source.SourceOpener;
import fr.mssante.operator.extensions.webadmin.JsonRoute;

/**
 * WebAdmin routes (JWT-protected) of the national directory, the console's "directory sync" page:
 * <ul>
 *   <li>{@code GET /mss/directory/imports?dataset=&offset=&limit=}: the import history, newest first (mode, status,
 *       reason, line counts, diff counts);</li>
 *   <li>{@code GET /mss/directory/imports/{id}}: one import with its first reported lines (line numbers and reasons,
 *       never the line's content);</li>
 *   <li>{@code GET /mss/directory/imports/{id}/changes?change=ADDED|REMOVED|CHANGED&offset=&limit=}: its stored diff;</li>
 *   <li>{@code POST /mss/directory/imports?source=&force=&rebuild=}: imports now, in the background (202; one
 *       import runs and one more may wait, 409 beyond). The source is an {@code https://} URL or a file under
 *       {@code var/directory/} of the server's working directory: the console never reads other local files. A URL
 *       is downloaded within {@link DownloadLimits} (a byte cap, {@code MSS_DIRECTORY_DOWNLOAD_MAX_BYTES}; redirects
 *       followed only to the same scheme, host and port); a refusal is the import's FAILED reason in the history;</li>
 *   <li>{@code GET /mss/directory/mailboxes/{address}}: a look-up, as the pipeline sees it.</li>
 * </ul>
 */
public class DirectoryRoutes implements Routes {
    private static final Logger LOGGER = LoggerFactory.getLogger(DirectoryRoutes.class);
    static final String BASE = "/mss/directory";

    private final ImportRecords records;
    private final DirectoryLookup lookup;
    private final DirectoryImporter importer;
    private final Path importDirectory;
    private final ExecutorService imports = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(1), runnable -> {
            Thread thread = new Thread(runnable, "directory-import-now");
            thread.setDaemon(true);
            return thread;
        });
    private final JsonTransformer json = new JsonTransformer();

    @Inject
    public DirectoryRoutes(DataSource dataSource, FileSystem fileSystem, DownloadLimits limits,
                           Clock clock) throws FileNotFoundException {
        this(dataSource, fileSystem.getBasedir().toPath().resolve("var/directory"), limits, clock);
    }

    /** @param limits download bounds of an https source (byte cap, same-host redirects only) */
    DirectoryRoutes(DataSource dataSource, Path importDirectory, DownloadLimits limits, Clock clock) {
        this.records = new ImportRecords(dataSource);
        this.lookup = new DirectoryLookup(dataSource);
        this.importer = new DirectoryImporter(dataSource, SourceOpener.withDefaults(limits), clock);
        this.importDirectory = importDirectory.toAbsolutePath().normalize();
    }

    @Override
    public String getBasePath() {
        return BASE;
    }

    @Override
    public void define(Service service) {
        service.get(BASE + "/imports", JsonRoute.of((request, response) -> records.imports(
            request.queryParams("dataset"), intParam(request.queryParams("offset"), 0),
            intParam(request.queryParams("limit"), 20))), json);
        service.get(BASE + "/imports/:id", JsonRoute.of((request, response) -> {
            Optional<Map<String, Object>> run = records.find(id(request.params("id")), 100);
            if (run.isEmpty()) {
                response.status(404);
                return Map.of("error", "no import " + request.params("id"));
            }
            return run.get();
        }), json);
        service.get(BASE + "/imports/:id/changes", JsonRoute.of((request, response) -> records.changes(
            id(request.params("id")), request.queryParams("change"), intParam(request.queryParams("offset"), 0),
            intParam(request.queryParams("limit"), 50))), json);
        service.post(BASE + "/imports", JsonRoute.of((request, response) -> {
            String source = allowedSource(request.queryParams("source"));
            ImportOptions options = ImportOptions.defaults()
                .withForce(Boolean.parseBoolean(request.queryParams("force")))
                .withRebuild(Boolean.parseBoolean(request.queryParams("rebuild")));
            try {
                imports.execute(() -> run(source, options));
            } catch (RejectedExecutionException e) {
                response.status(409);
                return Map.of("error", "an import started from the console is running and another is waiting");
            }
            response.status(202);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("source", source);
            body.put("status", "STARTED");
            body.put("history", BASE + "/imports");
            return body;
        }), json);
        service.get(BASE + "/mailboxes/:address", JsonRoute.of((request, response) -> {
            var entry = lookup.byAddress(request.params("address"));
            if (entry.isEmpty()) {
                response.status(404);
                return Map.of("error", "not in the directory");
            }
            return entry.get();
        }), json);
    }

    private void run(String source, ImportOptions options) {
        try {
            for (ImportResult result : importer.importSource(source, options, ImportListener.NONE)) {
                LOGGER.info("Directory import from the console, {}: {} ({})", result.entry(), result.status(),
                    result.mode());
            }
        } catch (Exception e) {
            LOGGER.error("Directory import from the console failed; current data kept", e);
        }
    }

    /** An https URL, or a file under the import directory (no other local file is readable from the console). */
    String allowedSource(String source) {
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("source is required: an https:// URL or a file under " + importDirectory);
        }
        if (source.regionMatches(true, 0, "https://", 0, 8)) {
            URI.create(source);
            return source;
        }
        Path file = importDirectory.resolve(source).toAbsolutePath().normalize();
        if (!file.startsWith(importDirectory) || !Files.isRegularFile(file)) {
            throw new IllegalArgumentException("source must be an https:// URL or an existing file under "
                + importDirectory);
        }
        return file.toString();
    }

    private static long id(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("import ids are numbers");
        }
    }

    private static int intParam(String value, int fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number: " + value.toLowerCase(Locale.ROOT));
        }
    }
}
