package fr.mssante.operator.smime.policy;

/**
 * The resolved policy of a mailbox (never INHERIT).
 *
 * @param signOrigin where the sign mode comes from: "default", "operator", "domain:&lt;d&gt;", "mailbox:&lt;a&gt;"
 */
public record EffectivePolicy(SignMode sign, String signOrigin, EncryptMode encrypt, String encryptOrigin) {
}
