package fr.mssante.operator.smime.policy;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

import fr.mssante.operator.smime.keystore.KeyEntry;

/**
 * What to do with an outbound message.
 *
 * @param action SEND (possibly signed and/or encrypted), REFUSE (bounce {@code reason} to the sender), or RETRY
 *     (a store could not be read)
 * @param signingKey sign with this key when present
 * @param encryptTo encrypt to these certificates when not empty (the recipients' and, when known, the sender's)
 * @param withoutCertificate recipients for whom no valid certificate is known
 * @param reason the bounce text for REFUSE / the cause for RETRY
 */
public record OutboundDecision(Action action, EffectivePolicy policy, Optional<KeyEntry> signingKey,
                               List<X509Certificate> encryptTo, List<String> withoutCertificate, Optional<String> reason) {
    public enum Action { SEND, REFUSE, RETRY }

    public OutboundDecision {
        encryptTo = List.copyOf(encryptTo);
        withoutCertificate = List.copyOf(withoutCertificate);
    }

    public boolean sign() {
        return action == Action.SEND && signingKey.isPresent();
    }

    public boolean encrypt() {
        return action == Action.SEND && !encryptTo.isEmpty();
    }

    static OutboundDecision refuse(EffectivePolicy policy, List<String> withoutCertificate, String reason) {
        return new OutboundDecision(Action.REFUSE, policy, Optional.empty(), List.of(), withoutCertificate, Optional.of(reason));
    }
}
