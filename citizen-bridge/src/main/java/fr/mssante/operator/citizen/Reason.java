package fr.mssante.operator.citizen;

import java.text.Normalizer;

/**
 * Why a citizen message is (not) delivered: a stable code (the health space and the audit trail use it), the
 * enhanced SMTP status of a refusal and the French text shown to people ("message non distribué"). {@link #OK} and
 * {@link #PHARMACY_WINDOW} allow.
 */
public enum Reason {
    OK(true, "2.0.0", "message autorisé"),
    PHARMACY_WINDOW(true, "2.0.0", "message autorisé : la pharmacie vous a écrit récemment, vous pouvez lui envoyer une ordonnance"),
    INVALID_INS(false, "5.1.3", "message non distribué : l'adresse du patient n'est pas un INS valide"),
    UNKNOWN_CITIZEN(false, "5.1.1", "message non distribué : ce patient n'a pas de messagerie de santé ici"),
    SPACE_CLOSED(false, "5.2.1", "message non distribué : le patient a fermé sa messagerie de santé"),
    NOT_A_PROFESSIONAL(false, "5.7.1",
        "message non distribué : seule une messagerie de professionnel, d'établissement ou d'application de santé peut écrire à un patient"),
    NO_CONVERSATION(false, "5.7.1",
        "message non distribué : un patient ne peut que répondre à un message qu'un professionnel de santé lui a envoyé"),
    CONVERSATION_ENDED(false, "5.7.1", "message non distribué : le professionnel de santé a clos cette conversation"),
    TOO_LARGE(false, "5.3.4", "message non distribué : un message échangé avec un patient ne peut dépasser 25 Mo");

    private final boolean allows;
    private final String status;
    private final String french;

    Reason(boolean allows, String status, String french) {
        this.allows = allows;
        this.status = status;
        this.french = french;
    }

    public boolean allows() {
        return allows;
    }

    /** The enhanced status code (RFC 3463) of the refusal. */
    public String status() {
        return status;
    }

    /** The text for people. */
    public String french() {
        return french;
    }

    /**
     * The text for SMTP replies and DSN diagnostics (US-ASCII): status, code and the French text without accents,
     * e.g. {@code 5.7.1 [CONVERSATION_ENDED] message non distribue : ...}.
     */
    public String smtpText() {
        return status + " [" + name() + "] " + ascii(french);
    }

    /** The text without accents, US-ASCII only (SMTP replies). */
    public static String ascii(String text) {
        return Normalizer.normalize(text, Normalizer.Form.NFD).replaceAll("\\p{M}", "").replaceAll("[^\\x20-\\x7E]", "?");
    }
}
