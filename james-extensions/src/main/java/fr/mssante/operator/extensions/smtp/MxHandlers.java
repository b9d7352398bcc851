package fr.mssante.operator.extensions.smtp;

import java.util.List;

import org.apache.james.protocols.lib.handler.HandlersPackage;
import org.apache.james.protocols.smtp.core.ReceivedDataLineFilter;
import org.apache.james.smtpserver.CoreCmdHandlerLoader;

/**
 * The core SMTP handlers of the MX ({@code <handlerchain coreHandlersPackage=...>}): James's {@link CoreCmdHandlerLoader}
 * with {@link WriteReceivedHeader} instead of {@link ReceivedDataLineFilter} (RFC 3848 {@code ESMTPS} over the trust
 * space's mutual TLS).
 */
public class MxHandlers implements HandlersPackage {
    @Override
    public List<String> getHandlers() {
        return new CoreCmdHandlerLoader().getHandlers().stream()
            .map(handler -> handler.equals(ReceivedDataLineFilter.class.getName()) ? WriteReceivedHeader.class.getName() : handler)
            .toList();
    }
}
