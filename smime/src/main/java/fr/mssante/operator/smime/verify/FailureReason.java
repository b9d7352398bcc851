package fr.mssante.operator.smime.verify;

import java.util.Locale;

/** Why a signer (or a whole message) is 'bad'. Rendered in headers as lower-case with dashes. */
public enum FailureReason {
    /** The content digest or the signature value does not match: content or signature altered. */
    TAMPERED,
    /** The signer certificate is not in the message. */
    NO_CERTIFICATE,
    /** The signer certificate is expired at verification time, or was not valid at the signing time it claims. */
    EXPIRED,
    NOT_YET_VALID,
    /** No path to a configured root. */
    UNKNOWN_CA,
    REVOKED,
    /** Revocation is required by configuration and the status could not be established: the signer is bad. */
    REVOCATION_UNKNOWN,
    /**
     * The revocation status could not be established (no CRL or OCSP answer, source unreachable or stale): the signer
     * is reported {@code undetermined}, never good. The only reason that does not make a signer bad.
     */
    REVOCATION_UNDETERMINED,
    /** Key usage or extended key usage forbids e-mail signatures. */
    WRONG_KEY_USAGE,
    /** No address of the certificate matches the From address. */
    SIGNER_NOT_FROM,
    /** The structure could not be parsed (CMS, MIME), or an unsupported algorithm. */
    MALFORMED;

    public String token() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
