package fr.mssante.operator.extensions.authentication;

import javax.inject.Inject;

import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.message.request.LoginRequest;
import org.apache.james.imap.processor.LoginProcessor;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.metrics.api.MetricFactory;

/** IMAP LOGIN: James's, with the client address passed to our password check (throttle, audit). */
public class LoginImapSession extends LoginProcessor {
    @Inject
    public LoginImapSession(MailboxManager mailboxManager, StatusResponseFactory factory, MetricFactory metricFactory) {
        super(mailboxManager, factory, metricFactory);
    }

    @Override
    protected void processRequest(LoginRequest request, ImapSession session, Responder responder) {
        ImapClientAddress.during(session, () -> super.processRequest(request, session, responder));
    }
}
