package fr.mssante.operator.extensions.smtp;

/**
 * An SMTP hook that writes its own audit row when it refuses (e.g. {@code TRUST_SPACE_REFUSED}), so that
 * {@link RecordSmtpRefusals} does not record the same refusal twice.
 */
public interface AuditsItsRefusals {
}
