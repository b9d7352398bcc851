package fr.mssante.operator.healthspace.webadmin;

/**
 * Whether the citizen may reply to a message ({@code GET /mss/citizens/{ins}/reply-permission}): the server's one
 * implementation of the rule, the same as at SMTP time. {@code reasonCode} is one of {@code OK}, {@code PHARMACY_WINDOW},
 * {@code NO_CONVERSATION}, {@code CONVERSATION_ENDED}, {@code SPACE_CLOSED}.
 */
public record ReplyPermission(boolean allowed, String reason, String reasonCode) {
}
