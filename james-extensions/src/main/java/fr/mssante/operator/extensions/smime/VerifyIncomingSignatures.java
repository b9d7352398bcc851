package fr.mssante.operator.extensions.smime;

import java.util.Map;
import java.util.Set;

import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.mssante.operator.smime.encrypt.CertificateRepository;
import fr.mssante.operator.smime.verify.OverallStatus;
import fr.mssante.operator.smime.verify.SignatureVerifier;
import fr.mssante.operator.smime.verify.SignerResult;
import fr.mssante.operator.smime.verify.SignerStatus;
import fr.mssante.operator.smime.verify.VerificationResult;

/**
 * Verifies S/MIME signatures (multipart/signed and opaque signed-data, any number of signers) and records the
 * verdict per signer in {@code X-MSS-SMIME-*} headers and {@code mss.smime.*} attributes. Sender-supplied headers of
 * that name never survive (they are removed first thing in {@code root}, and again here). Malformed CMS never stops
 * the mail: it is delivered marked bad.
 *
 * <pre>{@code <mailet match="All" class="fr.mssante.operator.extensions.smime.VerifyIncomingSignatures"/>}</pre>
 *
 * Must run before any mailet that re-encodes the message (it would break the signed bytes).
 */
public class VerifyIncomingSignatures extends GenericMailet {
    private static final Logger LOGGER = LoggerFactory.getLogger(VerifyIncomingSignatures.class);

    private final SignatureVerifier verifier;
    private final CertificateRepository certificates;

    @Inject
    public VerifyIncomingSignatures(SignatureVerifier verifier, CertificateRepository certificates) {
        this.verifier = verifier;
        this.certificates = certificates;
    }

    @Override
    public void init() throws MessagingException {
        checkInitParameters(Set.of());
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        MimeMessage message = mail.getMessage();
        VerificationResult result;
        try {
            result = verifier.verify(message);
        } catch (RuntimeException e) {
            LOGGER.warn("Signature verification of {} failed unexpectedly; marked malformed", mail.getName(), e);
            result = VerificationResult.malformed(false);
        }
        if (result.status() == OverallStatus.NONE && result.malformed().isEmpty()) {
            return;
        }
        result.headers().apply(message);
        message.saveChanges();
        for (Map.Entry<String, String> attribute : result.attributes().entrySet()) {
            mail.setAttribute(new Attribute(AttributeName.of(attribute.getKey()), AttributeValue.of(attribute.getValue())));
        }
        learnCertificates(result);
        LOGGER.debug("S/MIME verdict for {}: {} ({} signer(s))", mail.getName(), result.status(), result.signers().size());
    }

    /** A good signer's certificate is how a correspondent publishes it: keep it for encrypting to them later. */
    private void learnCertificates(VerificationResult result) {
        for (SignerResult signer : result.signers()) {
            if (signer.status() == SignerStatus.GOOD && signer.email().isPresent() && signer.certificate().isPresent()) {
                try {
                    certificates.store(signer.email().get(), signer.certificate().get(), CertificateRepository.Source.SIGNATURE);
                } catch (RuntimeException e) {
                    LOGGER.warn("Cannot record the certificate of signer {}", signer.subject(), e);
                }
            }
        }
    }

    @Override
    public String getMailetInfo() {
        return "Verifies S/MIME signatures into X-MSS-SMIME-* headers";
    }
}
