package fr.mssante.operator.audit;

import java.io.IOException;
import java.io.Writer;
import java.util.Arrays;
import java.util.List;

/** The CSV export of the trail (RFC 4180: CRLF line ends, a header line, fields quoted when needed, quotes doubled). */
public final class AuditCsv {
    public static final List<String> HEADER = List.of("id", "at", "type", "actor", "mailbox", "messageId", "peer",
        "outcome", "reason", "detail");

    private AuditCsv() {
    }

    public static void write(List<AuditRow> rows, Writer out) throws IOException {
        line(out, HEADER);
        for (AuditRow row : rows) {
            line(out, Arrays.asList(String.valueOf(row.id()), row.at().toString(), row.type(), row.actor(),
                row.mailbox(), row.messageId(), row.peer(), row.outcome(), row.reason(), row.detail()));
        }
        out.flush();
    }

    private static void line(Writer out, List<String> fields) throws IOException {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(field(fields.get(i)));
        }
        out.write("\r\n");
    }

    static String field(String value) {
        if (value == null) {
            return "";
        }
        // a leading =, +, - or @ would be a formula to a spreadsheet: quoted and prefixed with a quote character
        String safe = !value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        if (safe.indexOf(',') >= 0 || safe.indexOf('"') >= 0 || safe.indexOf('\r') >= 0 || safe.indexOf('\n') >= 0
            || !safe.equals(value)) {
            return '"' + safe.replace("\"", "\"\"") + '"';
        }
        return safe;
    }
}
