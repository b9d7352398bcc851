package fr.mssante.operator.extensions.headers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import javax.mail.Header;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.mssante.operator.documents.headers.ServerAssertedHeaderFilter;

/**
 * Removes every top-level header whose name starts with the server's own prefix ({@code X-MSS-} by default), so that
 * no sender can forge what the server asserts (S/MIME verdicts, trust-space results, document findings...).
 * Must be the first mailet of the root processor.
 *
 * <pre>{@code
 * <mailet match="All" class="fr.mssante.operator.extensions.headers.RemoveServerAssertedHeaders"/>
 * }</pre>
 *
 * Parameters: {@code prefix} (optional, default {@code X-MSS-}, case-insensitive); {@code keep} (optional, comma list
 * of header names that senders do set with that prefix and keep, e.g. {@code X-MSS-MES}: the ENS end-of-exchange
 * header a professional sends to a citizen).
 */
public class RemoveServerAssertedHeaders extends GenericMailet {
    private static final Logger LOGGER = LoggerFactory.getLogger(RemoveServerAssertedHeaders.class);
    static final String DEFAULT_PREFIX = ServerAssertedHeaderFilter.PREFIX;

    record Parameters(String prefix, Set<String> keep) {
        Parameters {
            if (prefix.isBlank()) {
                throw new IllegalArgumentException("prefix must not be blank");
            }
            prefix = prefix.toLowerCase(Locale.ROOT);
            keep = Set.copyOf(keep.stream().map(name -> name.trim().toLowerCase(Locale.ROOT)).filter(name -> !name.isEmpty()).toList());
        }
    }

    private Parameters parameters;

    @Override
    public void init() throws MessagingException {
        checkInitParameters(Set.of("prefix", "keep"));
        parameters = new Parameters(getInitParameter("prefix", DEFAULT_PREFIX),
            Set.of(getInitParameter("keep", "").split(",")));
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        MimeMessage message = mail.getMessage();
        List<String> forged = new ArrayList<>();
        for (Header header : Collections.list(message.getAllHeaders())) {
            String name = header.getName().toLowerCase(Locale.ROOT);
            if (name.startsWith(parameters.prefix()) && !parameters.keep().contains(name)) {
                forged.add(header.getName());
            }
        }
        if (forged.isEmpty()) {
            return;
        }
        for (String name : forged) {
            message.removeHeader(name);
        }
        message.saveChanges();
        LOGGER.debug("Removed {} sender-supplied server header(s) {} from {}", forged.size(), forged, mail.getName());
    }

    @Override
    public String getMailetInfo() {
        return "Removes sender-supplied X-MSS-* headers";
    }
}
