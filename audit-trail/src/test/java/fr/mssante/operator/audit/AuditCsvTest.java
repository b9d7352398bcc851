package fr.mssante.operator.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

class AuditCsvTest {
    @Test
    void rfc4180HeaderQuotingAndCrlf() throws Exception {
        StringWriter out = new StringWriter();
        AuditCsv.write(List.of(new AuditRow(7, Instant.parse("2026-12-07T08:00:00Z"), "ADMIN_CHANGE", "console:op",
            "a@b.test", null, "127.0.0.1", "SUCCESS", "status 204", "PUT /domains/x, \"quoted\"\nline")), out);
        assertThat(out.toString()).isEqualTo("id,at,type,actor,mailbox,messageId,peer,outcome,reason,detail\r\n"
            + "7,2026-12-07T08:00:00Z,ADMIN_CHANGE,console:op,a@b.test,,127.0.0.1,SUCCESS,status 204,"
            + "\"PUT /domains/x, \"\"quoted\"\"\nline\"\r\n");
    }

    @Test
    void aFormulaIsNeverHandedToASpreadsheet() {
        assertThat(AuditCsv.field("=HYPERLINK(\"x\")")).isEqualTo("\"'=HYPERLINK(\"\"x\"\")\"");
        assertThat(AuditCsv.field("plain")).isEqualTo("plain");
    }
}
