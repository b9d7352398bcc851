package fr.mssante.operator.dmp.connector.transport;

import org.junit.jupiter.api.Test;
import org.openehealth.ipf.commons.ihe.xds.core.responses.ErrorCode;
import org.openehealth.ipf.commons.ihe.xds.core.responses.ErrorInfo;
import org.openehealth.ipf.commons.ihe.xds.core.responses.Response;
import org.openehealth.ipf.commons.ihe.xds.core.responses.Severity;
import org.openehealth.ipf.commons.ihe.xds.core.responses.Status;

import static org.assertj.core.api.Assertions.assertThat;

/** How registry responses become outbox outcomes. */
class Iti41TransportTest {
    private static Response failure(ErrorCode code, String context) {
        Response r = new Response(Status.FAILURE);
        r.getErrors().add(new ErrorInfo(code, context, Severity.ERROR, null, null));
        return r;
    }

    @Test
    void successIsAccepted() {
        assertThat(Iti41Transport.outcome(new Response(Status.SUCCESS))).isEqualTo(new FilingOutcome.Accepted(null));
    }

    @Test
    void registryErrorsAreRejectionsWithTheirText() {
        assertThat(Iti41Transport.outcome(failure(ErrorCode.UNKNOWN_PATIENT_ID, "no DMP")))
            .isEqualTo(new FilingOutcome.Rejected("XDSUnknownPatientId: no DMP"));
        Response custom = new Response(Status.FAILURE);
        custom.getErrors().add(new ErrorInfo(ErrorCode._USER_DEFINED, "refused", Severity.ERROR, null,
            "DMPAccessDenied"));
        assertThat(Iti41Transport.outcome(custom)).isEqualTo(new FilingOutcome.Rejected("DMPAccessDenied: refused"));
    }

    @Test
    void aDuplicateMeansAlreadyFiled() {
        assertThat(Iti41Transport.outcome(failure(ErrorCode.DUPLICATE_UNIQUE_ID_IN_REGISTRY, "x")))
            .isInstanceOf(FilingOutcome.Accepted.class);
        assertThat(Iti41Transport.outcome(failure(ErrorCode.NON_IDENTICAL_HASH, "x")))
            .isInstanceOf(FilingOutcome.Rejected.class);
    }

    @Test
    void aBusyRegistryIsRetried() {
        assertThat(Iti41Transport.outcome(failure(ErrorCode.REGISTRY_BUSY, "later")))
            .isEqualTo(new FilingOutcome.Retry("registry busy: XDSRegistryBusy: later"));
    }
}
