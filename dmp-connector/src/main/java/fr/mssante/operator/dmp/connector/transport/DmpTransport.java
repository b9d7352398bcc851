package fr.mssante.operator.dmp.connector.transport;

import org.openehealth.ipf.commons.ihe.xds.core.requests.ProvideAndRegisterDocumentSet;
import org.w3c.dom.Element;

/** Sends one ITI-41 request with its {@code wsse:Security} header. Never throws: failures are outcomes. */
public interface DmpTransport extends AutoCloseable {
    FilingOutcome provideAndRegister(ProvideAndRegisterDocumentSet request, Element securityHeader);

    @Override
    default void close() {
    }
}
