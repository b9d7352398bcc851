package fr.mssante.operator.extensions.citizen;

import java.sql.SQLException;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

import javax.inject.Provider;
import javax.mail.Message;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;
import javax.sql.DataSource;

import org.apache.james.core.Domain;
import org.apache.james.domainlist.api.DomainList;
import org.apache.mailet.MailetContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.mssante.operator.authentication.CitizenMailboxes;
import fr.mssante.operator.citizen.Citizen;
import fr.mssante.operator.citizen.CitizenMails;
import fr.mssante.operator.citizen.CitizenRegister;
import fr.mssante.operator.citizen.CitizenRules;
import fr.mssante.operator.citizen.CitizenRules.SpaceState;
import fr.mssante.operator.citizen.CitizenSettings;
import fr.mssante.operator.citizen.Ins;
import fr.mssante.operator.citizen.LoginCodes;
import fr.mssante.operator.citizen.PatientDomains;
import fr.mssante.operator.citizen.PostgresConversations;
import fr.mssante.operator.extensions.audit.MessageEvent;
import fr.mssante.operator.extensions.audit.MessageEventLog;

/**
 * The server side of citizen messaging, shared by the SMTP hook, the mailets, the WebAdmin routes and authentication:
 * the patient domains (served here when in our domain list), the register, the rules ({@link CitizenRules}, the one
 * implementation), login codes, the mails to citizens' personal addresses, and the audit of citizen events.
 */
public class CitizenBridge implements CitizenMailboxes {
    private static final Logger LOGGER = LoggerFactory.getLogger(CitizenBridge.class);

    private final CitizenSettings settings;
    private final CitizenRegister register;
    private final CitizenRules rules;
    private final LoginCodes loginCodes;
    private final DomainList domains;
    private final MessageEventLog audit;
    private final Provider<MailetContext> mailetContext;
    private final Clock clock;

    public CitizenBridge(CitizenSettings settings, DataSource dataSource, DomainList domains, MessageEventLog audit,
                         Provider<MailetContext> mailetContext, Clock clock) {
        this.settings = settings;
        this.register = new CitizenRegister(dataSource, clock);
        this.rules = new CitizenRules(settings.rules(), new PostgresConversations(dataSource), clock);
        this.loginCodes = new LoginCodes(dataSource, clock);
        this.domains = domains;
        this.audit = audit;
        this.mailetContext = mailetContext;
        this.clock = clock;
    }

    public CitizenSettings settings() {
        return settings;
    }

    public PatientDomains patientDomains() {
        return settings.patientDomains();
    }

    public CitizenRegister register() {
        return register;
    }

    public CitizenRules rules() {
        return rules;
    }

    public LoginCodes loginCodes() {
        return loginCodes;
    }

    public Clock clock() {
        return clock;
    }

    /** Do we serve this patient domain (is it in our domain list)? */
    public boolean serves(String domain) {
        try {
            return settings.patientDomains().domains().contains(domain.toLowerCase(Locale.ROOT))
                && domains.containsDomain(Domain.of(domain));
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the domain list", e);
        }
    }

    /** The first patient domain we serve (development: patient.mss.test), if any. */
    public Optional<String> servedDomain() {
        return settings.patientDomains().domains().stream().filter(this::serves).sorted().findFirst();
    }

    /** The state of a citizen's space for the rules: served here (open, closed, unknown) or another operator's. */
    public SpaceState space(String address) throws SQLException {
        String domain = address.substring(address.lastIndexOf('@') + 1);
        if (!serves(domain)) {
            return SpaceState.NOT_SERVED_HERE;
        }
        return register.findByAddress(address)
            .map(citizen -> citizen.state() == Citizen.State.OPEN ? SpaceState.OPEN : SpaceState.CLOSED)
            .orElse(SpaceState.UNKNOWN);
    }

    @Override
    public Optional<String> gatewaySubject() {
        return settings.healthSpaceCertificateDn();
    }

    @Override
    public boolean isCitizenAddress(String address) {
        return settings.patientDomains().contains(address);
    }

    @Override
    public Optional<String> refusal(String address) {
        try {
            return switch (space(address)) {
                case OPEN -> Optional.empty();
                case CLOSED -> Optional.of("the citizen closed their space");
                case UNKNOWN -> Optional.of("no such citizen here");
                case NOT_SERVED_HERE -> Optional.of("patient domain not served here");
            };
        } catch (SQLException e) {
            LOGGER.error("Cannot read the citizen register", e);
            return Optional.of("internal error");
        }
    }

    /** Mails a citizen's personal address from {@code ne-pas-repondre@<patient domain>} (no health content: callers pass only {@link CitizenMails} texts). */
    public void mailPersonalAddress(Citizen citizen, String subject, String body) throws MessagingException {
        String domain = citizen.address().substring(citizen.address().lastIndexOf('@') + 1);
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        message.setFrom(new InternetAddress(CitizenMails.noReply(domain)));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(citizen.personalEmail()));
        message.setSubject(subject, "UTF-8");
        message.setSentDate(Date.from(clock.instant()));
        message.setHeader("Auto-Submitted", "auto-generated");
        message.setText(body, "UTF-8");
        message.saveChanges();
        mailetContext.get().sendMail(message);
    }

    /** A citizen event in the audit trail (identifiers only; the audit layer hashes patient addresses). */
    public void audit(String event, String citizenAddress, Optional<String> messageId, Optional<String> sender, String detail) {
        try {
            audit.append(new MessageEvent(event, "citizen", messageId, sender, List.of(citizenAddress), Optional.empty(), 0,
                Optional.of(detail)));
        } catch (SQLException e) {
            LOGGER.error("Cannot audit the citizen event {}", event, e);
        }
    }

    /** Parses an INS from a route parameter; a bad one is a 400. */
    public static Ins ins(String value) {
        return Ins.parse(value).orElseThrow(() -> new IllegalArgumentException(
            Ins.problem(value).orElse("not an INS")));
    }
}
