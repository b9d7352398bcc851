package fr.mssante.operator.smime.policy;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Mailbox → domain → operator → configured defaults; the first level that is not INHERIT wins, per setting. */
public final class PolicyResolver {
    private final PolicySource source;
    private final PolicySettings defaults;

    /** @param defaults used when every level inherits; must not contain INHERIT */
    public PolicyResolver(PolicySource source, PolicySettings defaults) {
        if (defaults.sign() == SignMode.INHERIT || defaults.encrypt() == EncryptMode.INHERIT) {
            throw new IllegalArgumentException("default S/MIME policy cannot be INHERIT");
        }
        this.source = source;
        this.defaults = defaults;
    }

    public EffectivePolicy resolve(String mailbox) {
        String address = mailbox.trim().toLowerCase(Locale.ROOT);
        int at = address.lastIndexOf('@');
        String domain = at < 0 ? "" : address.substring(at + 1);
        List<Level> levels = List.of(
                new Level("mailbox:" + address, source.find(PolicyScope.MAILBOX, address)),
                new Level("domain:" + domain, domain.isEmpty() ? Optional.empty() : source.find(PolicyScope.DOMAIN, domain)),
                new Level("operator", source.find(PolicyScope.OPERATOR, "")));
        SignMode sign = defaults.sign();
        String signOrigin = "default";
        for (Level level : levels) {
            if (level.settings.isPresent() && level.settings.get().sign() != SignMode.INHERIT) {
                sign = level.settings.get().sign();
                signOrigin = level.origin;
                break;
            }
        }
        EncryptMode encrypt = defaults.encrypt();
        String encryptOrigin = "default";
        for (Level level : levels) {
            if (level.settings.isPresent() && level.settings.get().encrypt() != EncryptMode.INHERIT) {
                encrypt = level.settings.get().encrypt();
                encryptOrigin = level.origin;
                break;
            }
        }
        return new EffectivePolicy(sign, signOrigin, encrypt, encryptOrigin);
    }

    private record Level(String origin, Optional<PolicySettings> settings) {
    }
}
