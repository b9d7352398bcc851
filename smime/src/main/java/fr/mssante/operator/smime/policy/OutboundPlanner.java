package fr.mssante.operator.smime.policy;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.mssante.operator.smime.crypto.Certificates;
import fr.mssante.operator.smime.encrypt.CertificateDirectory;
import fr.mssante.operator.smime.keystore.KeyEntry;
import fr.mssante.operator.smime.keystore.PrivateKeyStore;

/**
 * Applies the sender's effective policy to one outbound message: signing key (the mailbox's, else the operator's),
 * encryption certificates, or a refusal with a bounce reason.
 */
public final class OutboundPlanner {
    private static final Logger LOG = LoggerFactory.getLogger(OutboundPlanner.class);

    private final PolicyResolver resolver;
    private final PrivateKeyStore keys;
    private final CertificateDirectory directory;
    private final Optional<String> operatorKeyOwner;
    private final Clock clock;

    /** @param operatorKeyOwner owner name of the operator's signing key in the key store, if any */
    public OutboundPlanner(PolicyResolver resolver, PrivateKeyStore keys, CertificateDirectory directory,
                           Optional<String> operatorKeyOwner, Clock clock) {
        this.resolver = resolver;
        this.keys = keys;
        this.directory = directory;
        this.operatorKeyOwner = operatorKeyOwner;
        this.clock = clock;
    }

    public OutboundDecision decide(String sender, Collection<String> recipients) {
        EffectivePolicy policy = null;
        try {
            policy = resolver.resolve(sender);
            return decide(policy, sender.trim().toLowerCase(Locale.ROOT), recipients);
        } catch (RuntimeException e) {
            LOG.warn("S/MIME outbound decision failed: {}", e.toString());
            return new OutboundDecision(OutboundDecision.Action.RETRY, policy, Optional.empty(), List.of(), List.of(),
                    Optional.of("S/MIME stores unavailable"));
        }
    }

    private OutboundDecision decide(EffectivePolicy policy, String sender, Collection<String> recipients) {
        Instant now = clock.instant();
        Optional<KeyEntry> senderKey = keys.keysFor(sender).stream()
                .filter(k -> Certificates.isValidAt(k.certificate(), now) && Certificates.allowsSigning(k.certificate()))
                .findFirst();
        Optional<KeyEntry> signingKey = Optional.empty();
        if (policy.sign() == SignMode.ALWAYS) {
            signingKey = senderKey.or(() -> operatorKeyOwner.flatMap(owner -> keys.keysFor(owner).stream()
                    .filter(k -> Certificates.isValidAt(k.certificate(), now)).findFirst()));
            if (signingKey.isEmpty()) {
                return OutboundDecision.refuse(policy, List.of(), "Message refused: the S/MIME policy of " + sender
                        + " requires a signature, but no valid signing certificate is available.");
            }
        }
        List<X509Certificate> encryptTo = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        if (policy.encrypt() != EncryptMode.NEVER) {
            for (String recipient : recipients) {
                Optional<X509Certificate> certificate = encryptionCertificate(recipient, now);
                certificate.ifPresentOrElse(encryptTo::add, () -> missing.add(recipient.trim().toLowerCase(Locale.ROOT)));
            }
            if (!missing.isEmpty()) {
                if (policy.encrypt() == EncryptMode.REQUIRED) {
                    return OutboundDecision.refuse(policy, missing, "Message refused: the S/MIME policy of " + sender
                            + " requires encryption, but no valid certificate is known for: " + String.join(", ", missing) + ".");
                }
                encryptTo.clear();
            } else {
                senderKey.ifPresent(k -> encryptTo.add(k.certificate()));
            }
        }
        return new OutboundDecision(OutboundDecision.Action.SEND, policy, signingKey, encryptTo, missing, Optional.empty());
    }

    private Optional<X509Certificate> encryptionCertificate(String recipient, Instant now) {
        return directory.certificatesFor(recipient.trim().toLowerCase(Locale.ROOT)).stream()
                .filter(c -> Certificates.isValidAt(c, now) && Certificates.allowsEncryption(c)
                        && Certificates.allowsEmailProtection(c))
                .max(Comparator.comparing(X509Certificate::getNotAfter));
    }
}
