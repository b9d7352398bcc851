package fr.mssante.operator.extensions.webadmin;

import javax.inject.Inject;

import org.apache.james.webadmin.mdc.RequestId;
import org.apache.james.webadmin.mdc.RequestLogger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import spark.Request;

import fr.mssante.operator.audit.AuditJournal;

/**
 * The WebAdmin request log line, without the request body and without the query string. James 3.8.1's default logger
 * puts {@code request.body()} into the log's MDC: that copies secrets (mailbox passwords, one-time codes, PKCS#12
 * uploads) into any MDC-aware log appender, and, since Spark does not cache a chunked body, it consumes the body of a
 * {@code Transfer-Encoding: chunked} request before the route reads it (the route then sees an empty body). Applying
 * to every request, this logger replaces James's: the first logger that applies is the only one used. Paths name
 * patients ({@code /mss/citizens/<INS>}): they are logged through the audit trail's rule ({@link AuditJournal#forLog}).
 */
public final class BodylessRequestLogger implements RequestLogger {
    private static final Logger LOGGER = LoggerFactory.getLogger(BodylessRequestLogger.class);

    private final AuditJournal journal;

    @Inject
    public BodylessRequestLogger(AuditJournal journal) {
        this.journal = journal;
    }

    @Override
    public boolean applies(Request request) {
        return true;
    }

    @Override
    public void log(Request request, RequestId requestId) {
        if (LOGGER.isDebugEnabled()) {
            LOGGER.debug("WebAdmin request {} {} {} from {}", requestId.asString(), request.requestMethod(),
                journal.forLog(request.pathInfo()), request.ip());
        }
    }
}
