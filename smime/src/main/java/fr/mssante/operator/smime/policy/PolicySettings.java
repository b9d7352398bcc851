package fr.mssante.operator.smime.policy;

import java.util.Objects;

/** The settings stored at one level; INHERIT defers to the level above. */
public record PolicySettings(SignMode sign, EncryptMode encrypt) {
    public static final PolicySettings INHERIT = new PolicySettings(SignMode.INHERIT, EncryptMode.INHERIT);

    public PolicySettings {
        Objects.requireNonNull(sign);
        Objects.requireNonNull(encrypt);
    }
}
