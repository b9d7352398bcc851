package fr.mssante.operator.server.directory;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.mssante.operator.database.ScheduledRuns;
import fr.mssante.operator.directory.load.DirectoryImporter;
import fr.mssante.operator.directory.load.ImportListener;
import fr.mssante.operator.directory.load.ImportOptions;
import fr.mssante.operator.directory.load.ImportResult;
import fr.mssante.operator.directory.source.DownloadLimits;
import fr.mssante.operator.directory.source.SourceOpener;

/**
 * The daily import of the national directory extractions in the running stack ({@code MSS_DIRECTORY_SOURCES}, at
 * {@code MSS_DIRECTORY_IMPORT_TIME}, Europe/Paris). Each source is imported with the importer's safety rules (a
 * truncated or suspicious file keeps the current data); results are in the import history and the log.
 */
public final class DailyDirectoryImport implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(DailyDirectoryImport.class);
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    private final ScheduledExecutorService scheduler;

    private DailyDirectoryImport(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

    public static DailyDirectoryImport start(DataSource dataSource, List<String> sources, LocalTime at,
                                             DownloadLimits limits, Clock clock,
                                             ScheduledRuns runs) {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "directory-import");
            thread.setDaemon(true);
            return thread;
        });
        DirectoryImporter importer = new DirectoryImporter(dataSource, SourceOpener.withDefaults(limits), clock);
        Runnable importAll = () -> {
            try {
                // several nodes (issue 18): today's import runs on the first node that claims it
                if (!runs.claim("directory-import", ScheduledRuns.daily(
                    LocalDate.now(clock.withZone(PARIS))))) {
                    LOGGER.info("Directory import: today's run is another node's");
                    return;
                }
            } catch (SQLException e) {
                LOGGER.warn("Cannot claim today's directory import ({}); importing here", e.getMessage());
            }
            for (String source : sources) {
                try {
                    for (ImportResult result : importer.importSource(source, ImportOptions.defaults(), ImportListener.NONE)) {
                        LOGGER.info("Directory import of {}: {} ({}){}{}", result.entry(), result.status(),
                            result.mode() == null ? "not started" : result.mode(),
                            result.diff() == null ? "" : String.format(Locale.ROOT, ", +%d -%d ~%d",
                                result.diff().added(), result.diff().removed(), result.diff().changed()),
                            result.reason() == null ? "" : ": " + result.reason());
                    }
                } catch (Exception e) {
                    LOGGER.error("Directory import of {} failed; current data kept", source, e);
                }
            }
        };
        long delay = delayUntil(at, ZonedDateTime.now(clock.withZone(PARIS))).toMillis();
        scheduler.scheduleAtFixedRate(importAll, delay, TimeUnit.DAYS.toMillis(1), TimeUnit.MILLISECONDS);
        LOGGER.info("Daily directory import of {} source(s) at {} Europe/Paris (next in {} min)", sources.size(), at, delay / 60_000);
        return new DailyDirectoryImport(scheduler);
    }

    /** Time from {@code now} to the next {@code at} (today if still ahead, else tomorrow). */
    static Duration delayUntil(LocalTime at, ZonedDateTime now) {
        ZonedDateTime next = now.with(at);
        if (!next.isAfter(now)) {
            next = next.plusDays(1);
        }
        return Duration.between(now, next);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
