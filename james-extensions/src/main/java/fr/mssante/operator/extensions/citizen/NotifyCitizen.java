package fr.mssante.operator.extensions.citizen;

import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.mssante.operator.citizen.Citizen;
import fr.mssante.operator.citizen.CitizenMails;
import fr.mssante.operator.extensions.database.MailEffects;

/**
 * After delivery into a citizen's mailbox: a notification to the citizen's personal e-mail with no health data — no
 * subject, no sender name beyond "un professionnel de santé", no attachment, only the link to the health space
 * ({@link CitizenMails#notification}). Audited (CITIZEN_NOTIFIED). Other recipients are left alone. Once per citizen, even
 * when the processor runs again for the mail after a database outage ({@link MailEffects}).
 *
 * <pre>{@code <mailet match="All" class="fr.mssante.operator.extensions.citizen.NotifyCitizen"/>}</pre>
 */
public class NotifyCitizen extends GenericMailet {
    private static final Logger LOGGER = LoggerFactory.getLogger(NotifyCitizen.class);
    private static final String NOTIFIED = "citizen-notified";
    private final CitizenBridge bridge;

    @Inject
    public NotifyCitizen(CitizenBridge bridge) {
        this.bridge = bridge;
    }

    @Override
    public void init() throws MessagingException {
        checkInitParameters(Set.of());
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        // once per citizen: the processor may run again for this mail after a database outage
        for (MailAddress recipient : MailEffects.pending(mail, NOTIFIED)) {
            if (!bridge.patientDomains().contains(recipient.asString())) {
                continue;
            }
            try {
                Optional<Citizen> citizen = bridge.register().findByAddress(recipient.asString())
                    .filter(found -> found.state() == Citizen.State.OPEN);
                if (citizen.isPresent()) {
                    bridge.mailPersonalAddress(citizen.get(), CitizenMails.NOTIFICATION_SUBJECT,
                        CitizenMails.notification(bridge.settings().healthSpaceUrl()));
                    MailEffects.record(mail, NOTIFIED, recipient);
                    bridge.audit("CITIZEN_NOTIFIED", citizen.get().address(), Optional.ofNullable(mail.getMessage().getMessageID()),
                        Optional.empty(), "notification mailed to the personal address");
                }
            } catch (SQLException | MessagingException e) {
                // the message is delivered; a missing notification must not bounce it
                LOGGER.warn("{}: could not notify a citizen of a new message", mail.getName(), e);
            }
        }
    }

    @Override
    public String getMailetInfo() {
        return "Notifies citizens of a new message, without its content";
    }
}
