package fr.mssante.operator.dmp.standin.http;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import fr.mssante.operator.dmp.standin.store.DocumentStore;
import fr.mssante.operator.dmp.standin.store.StoredDocument;

/**
 * Read-only JSON view of the filed documents: {@code GET /documents} (oldest first, {@code ?limit=}, max 1000) and
 * {@code GET /documents/{uniqueId}}. No content, only metadata.
 */
public final class DocumentsServlet extends HttpServlet {
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final transient DocumentStore store;

    public DocumentsServlet(DocumentStore store) {
        this.store = store;
    }

    /** What the view shows of one document. */
    public record DocumentView(String uniqueId, String patientId, String typeCode, String classCode,
                               String formatCode, String confidentialityCode, String state, String title,
                               String mimeType, long size, String hash, String submissionSetUniqueId,
                               String author, String vihfSubject, String vihfIssuer, Instant receivedAt) {
        static DocumentView of(StoredDocument d) {
            return new DocumentView(d.uniqueId(), d.patientId(), d.typeCode(), d.classCode(), d.formatCode(),
                d.confidentialityCode(), d.state(), d.title(), d.mimeType(), d.size(), d.hash(),
                d.submissionSetUniqueId(), d.authorPerson(), d.vihfSubject(), d.vihfIssuer(), d.receivedAt());
        }
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        try {
            String path = req.getPathInfo();
            if (path == null || path.equals("/")) {
                int limit = parseLimit(req.getParameter("limit"));
                JSON.writeValue(resp.getOutputStream(), Map.of("count", store.count(),
                    "documents", store.list(limit).stream().map(DocumentView::of).toList()));
                return;
            }
            String uniqueId = URLDecoder.decode(path.substring(1), StandardCharsets.UTF_8);
            Optional<StoredDocument> d = store.find(uniqueId);
            if (d.isEmpty()) {
                resp.setStatus(HttpServletResponse.SC_NOT_FOUND);
                JSON.writeValue(resp.getOutputStream(), Map.of("error", "no document " + uniqueId));
                return;
            }
            JSON.writeValue(resp.getOutputStream(), DocumentView.of(d.get()));
        } catch (SQLException e) {
            resp.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            JSON.writeValue(resp.getOutputStream(), Map.of("error", "database unavailable"));
        } catch (IllegalArgumentException e) {
            resp.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            JSON.writeValue(resp.getOutputStream(), Map.of("error", e.getMessage()));
        }
    }

    private static int parseLimit(String s) {
        if (s == null) {
            return 1000;
        }
        try {
            int limit = Integer.parseInt(s);
            if (limit < 1 || limit > 1000) {
                throw new IllegalArgumentException("limit must be between 1 and 1000");
            }
            return limit;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("limit must be an integer");
        }
    }
}
