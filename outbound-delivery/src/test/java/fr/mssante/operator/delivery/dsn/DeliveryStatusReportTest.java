package fr.mssante.operator.delivery.dsn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import fr.mssante.operator.delivery.dsn.DeliveryStatusReport.Action;
import fr.mssante.operator.delivery.dsn.DeliveryStatusReport.Recipient;

class DeliveryStatusReportTest {
    private static final ZonedDateTime ARRIVAL = ZonedDateTime.parse("2026-12-07T06:30:00+01:00");

    @Test
    void aRemoteReplyGivesItsEnhancedCodeAsStatusAndGoesWholeIntoAnSmtpDiagnostic() {
        Recipient recipient = Recipient.of("dr.b@operateur-b.test", Optional.of("dr.b@operateur-b.test"), Action.FAILED,
            Optional.of("550 5.1.1 <dr.b@operateur-b.test>: unknown\nuser"), Optional.of("mx.operateur-b.test"), "5.0.0", Optional.empty());

        assertThat(recipient.status()).isEqualTo("5.1.1");
        assertThat(recipient.diagnosticCode()).contains("smtp; 550 5.1.1 <dr.b@operateur-b.test>: unknown user");
        assertThat(recipient.remoteMta()).contains("mx.operateur-b.test");
    }

    @Test
    void aRefusalOfOursHasAnXMssDiagnosticAndItsCodeOrTheDefault() {
        Recipient listed = Recipient.of("x@hors-liste.test", Optional.empty(), Action.FAILED,
            Optional.of("550 5.7.1 recipient domain hors-liste.test not in the liste blanche"), Optional.empty(), "5.0.0", Optional.empty());
        assertThat(listed.status()).isEqualTo("5.7.1");
        assertThat(listed.diagnosticCode()).contains("X-MSS; 550 5.7.1 recipient domain hors-liste.test not in the liste blanche");

        Recipient virus = Recipient.of("x@a.test", Optional.empty(), Action.FAILED,
            Optional.of("Message refusé : virus"), Optional.empty(), "5.7.1", Optional.empty());
        assertThat(virus.status()).isEqualTo("5.7.1");
        assertThat(virus.diagnosticCode()).contains("X-MSS; Message refus? : virus");

        Recipient codeOnly = Recipient.of("x@a.test", Optional.empty(), Action.FAILED,
            Optional.of("550 - Requested action not taken"), Optional.empty(), "5.1.1", Optional.empty());
        assertThat(codeOnly.status()).isEqualTo("5.0.0");
    }

    @Test
    void aCodeThatDoesNotFitTheActionIsNotTaken() {
        Recipient delayed = Recipient.of("x@a.test", Optional.empty(), Action.DELAYED,
            Optional.of("550 5.1.1 no"), Optional.of("mx.a.test"), "4.4.7", Optional.empty());
        assertThat(delayed.status()).isEqualTo("4.4.7");
        assertThatThrownBy(() -> new Recipient("x@a.test", Optional.empty(), Action.DELIVERED, "5.0.0",
            Optional.empty(), Optional.empty(), Optional.empty())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Recipient("x@a.test", Optional.empty(), Action.FAILED, "550 5.7.1 text",
            Optional.empty(), Optional.empty(), Optional.empty())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rendersThePerMessageThenOneBlockPerRecipientWithCrlf() {
        DeliveryStatusReport report = new DeliveryStatusReport("mx1.operateur-a.test", Optional.of("env-1"),
            Optional.of("client.test"), ARRIVAL, List.of(
                Recipient.of("a@b.test", Optional.of("alias@b.test"), Action.FAILED, Optional.of("550 5.1.1 no such user"),
                    Optional.of("mx.b.test"), "5.0.0", Optional.of(ARRIVAL)),
                Recipient.of("c@b.test", Optional.empty(), Action.DELIVERED, Optional.empty(), Optional.empty(), "2.0.0", Optional.empty())));

        assertThat(report.render()).isEqualTo("Original-Envelope-Id: env-1\r\n"
            + "Reporting-MTA: dns; mx1.operateur-a.test\r\n"
            + "Received-From-MTA: dns; client.test\r\n"
            + "Arrival-Date: Mon, 07 Dec 2026 06:30:00 +0100\r\n"
            + "\r\n"
            + "Original-Recipient: rfc822; alias@b.test\r\n"
            + "Final-Recipient: rfc822; a@b.test\r\n"
            + "Action: failed\r\n"
            + "Status: 5.1.1\r\n"
            + "Remote-MTA: dns; mx.b.test\r\n"
            + "Diagnostic-Code: smtp; 550 5.1.1 no such user\r\n"
            + "Last-Attempt-Date: Mon, 07 Dec 2026 06:30:00 +0100\r\n"
            + "\r\n"
            + "Final-Recipient: rfc822; c@b.test\r\n"
            + "Action: delivered\r\n"
            + "Status: 2.0.0\r\n");
    }
}
