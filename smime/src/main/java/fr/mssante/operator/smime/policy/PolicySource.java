package fr.mssante.operator.smime.policy;

import java.util.Optional;

public interface PolicySource {
    /** @param key "" for OPERATOR, the lower-case domain for DOMAIN, the lower-case address for MAILBOX */
    Optional<PolicySettings> find(PolicyScope scope, String key);
}
