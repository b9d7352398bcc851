package fr.mssante.operator.extensions.citizen;

import java.sql.SQLException;
import java.util.Optional;

import javax.inject.Inject;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.protocols.smtp.hook.RcptHook;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.mssante.operator.citizen.CitizenRules.SpaceState;
import fr.mssante.operator.citizen.PatientDomains;
import fr.mssante.operator.citizen.Reason;

/**
 * RCPT TO a patient domain, before anything is relayed or stored: the local part must be a valid INS (15 characters,
 * NIR and key; else {@code 550 5.1.3}, with what is wrong), and in a patient domain we serve the citizen must exist
 * ({@code 550 5.1.1}) with an open space ({@code 550 5.2.1}). The replies carry the stable reason code and the French
 * "message non distribué" text (without accents: SMTP replies are US-ASCII). Place it before ValidRcptHandler.
 *
 * <pre>{@code <handler class="fr.mssante.operator.extensions.citizen.RefuseUndeliverableCitizen"/>}</pre>
 */
public class RefuseUndeliverableCitizen implements RcptHook {
    private static final Logger LOGGER = LoggerFactory.getLogger(RefuseUndeliverableCitizen.class);

    private final CitizenBridge bridge;

    @Inject
    public RefuseUndeliverableCitizen(CitizenBridge bridge) {
        this.bridge = bridge;
    }

    @Override
    public HookResult doRcpt(SMTPSession session, MaybeSender sender, MailAddress rcpt) {
        Optional<PatientDomains.Parsed> citizen = bridge.patientDomains().citizen(rcpt.asString());
        if (citizen.isEmpty()) {
            return HookResult.DECLINED;
        }
        if (!citizen.get().valid()) {
            return deny(Reason.INVALID_INS.smtpText() + " (" + Reason.ascii(citizen.get().problem().orElse("")) + ")");
        }
        try {
            SpaceState space = bridge.space(citizen.get().address());
            return switch (space) {
                case UNKNOWN -> deny(Reason.UNKNOWN_CITIZEN.smtpText());
                case CLOSED -> deny(Reason.SPACE_CLOSED.smtpText());
                default -> HookResult.DECLINED;
            };
        } catch (SQLException e) {
            LOGGER.error("Cannot read the citizen register", e);
            return HookResult.builder().hookReturnCode(HookReturnCode.denySoft()).smtpReturnCode("451")
                .smtpDescription("4.3.0 Temporary failure, try again later").build();
        }
    }

    private static HookResult deny(String description) {
        return HookResult.builder().hookReturnCode(HookReturnCode.deny()).smtpReturnCode("550").smtpDescription(description).build();
    }
}
