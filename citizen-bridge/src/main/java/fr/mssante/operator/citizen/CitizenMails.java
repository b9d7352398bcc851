package fr.mssante.operator.citizen;

import java.util.Locale;

/**
 * The only texts the server mails to a citizen's personal address: they carry no health data (no subject, no
 * sender name beyond "un professionnel de santé", no attachment, no content), only a link to the health space.
 */
public final class CitizenMails {
    public static final String NOTIFICATION_SUBJECT = "Nouveau message dans votre messagerie de santé";
    public static final String LOGIN_CODE_SUBJECT = "Votre code de connexion à votre messagerie de santé";
    /** The local part of the sender of these mails, in a patient domain we serve. */
    public static final String NO_REPLY = "ne-pas-repondre";

    private CitizenMails() {
    }

    /** Body of the notification of a new message. */
    public static String notification(String healthSpaceUrl) {
        return "Bonjour,\r\n\r\n"
            + "Un professionnel de santé vous a envoyé un message dans votre messagerie de santé.\r\n"
            + "Pour le lire, connectez-vous à votre espace santé :\r\n"
            + healthSpaceUrl + "\r\n\r\n"
            + "Ce courriel est envoyé automatiquement ; merci de ne pas y répondre.\r\n";
    }

    /** Body of the one-time login code mail. */
    public static String loginCode(String code, long validityMinutes, String healthSpaceUrl) {
        return "Bonjour,\r\n\r\n"
            + "Votre code de connexion à votre messagerie de santé est : " + code + "\r\n"
            + "Il est valable " + validityMinutes + " minutes et ne sert qu'une fois.\r\n"
            + "Si vous n'avez pas demandé ce code, ignorez ce courriel.\r\n\r\n"
            + healthSpaceUrl + "\r\n\r\n"
            + "Ce courriel est envoyé automatiquement ; merci de ne pas y répondre.\r\n";
    }

    /** The sender of these mails in {@code patientDomain}. */
    public static String noReply(String patientDomain) {
        return NO_REPLY + "@" + patientDomain.toLowerCase(Locale.ROOT);
    }
}
