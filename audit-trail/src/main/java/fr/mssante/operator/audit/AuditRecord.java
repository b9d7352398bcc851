package fr.mssante.operator.audit;

import java.util.List;
import java.util.Objects;

/**
 * One event to write to the audit trail: identifiers, envelope and our own vocabulary, never content. There is no
 * field for a subject, a body or an attachment name, and {@link AuditJournal#append} hashes patient addresses
 * wherever they appear. {@code reason} and {@code detail} are texts this server composes (codes, route, counts), never
 * text taken from a message. Built with {@link #of(String)}; nullable fields are simply absent.
 */
public record AuditRecord(String type, String mailName, String actor, String mailbox, String messageId, String sender,
                          List<String> recipients, String peer, String outcome, String reason, String detail,
                          long sizeBytes) {
    public AuditRecord {
        AuditTypes.requireValid(type);
        Objects.requireNonNull(mailName, "mailName");
        recipients = recipients == null ? List.of() : List.copyOf(recipients);
    }

    public static AuditRecord of(String type) {
        return new AuditRecord(type, "-", null, null, null, null, List.of(), null, null, null, null, 0);
    }

    public AuditRecord mailName(String value) {
        return new AuditRecord(type, value, actor, mailbox, messageId, sender, recipients, peer, outcome, reason, detail, sizeBytes);
    }

    public AuditRecord actor(String value) {
        return new AuditRecord(type, mailName, value, mailbox, messageId, sender, recipients, peer, outcome, reason, detail, sizeBytes);
    }

    public AuditRecord mailbox(String value) {
        return new AuditRecord(type, mailName, actor, value, messageId, sender, recipients, peer, outcome, reason, detail, sizeBytes);
    }

    public AuditRecord messageId(String value) {
        return new AuditRecord(type, mailName, actor, mailbox, value, sender, recipients, peer, outcome, reason, detail, sizeBytes);
    }

    public AuditRecord sender(String value) {
        return new AuditRecord(type, mailName, actor, mailbox, messageId, value, recipients, peer, outcome, reason, detail, sizeBytes);
    }

    public AuditRecord recipients(List<String> value) {
        return new AuditRecord(type, mailName, actor, mailbox, messageId, sender, value, peer, outcome, reason, detail, sizeBytes);
    }

    public AuditRecord peer(String value) {
        return new AuditRecord(type, mailName, actor, mailbox, messageId, sender, recipients, value, outcome, reason, detail, sizeBytes);
    }

    public AuditRecord outcome(String value) {
        return new AuditRecord(type, mailName, actor, mailbox, messageId, sender, recipients, peer, value, reason, detail, sizeBytes);
    }

    public AuditRecord reason(String value) {
        return new AuditRecord(type, mailName, actor, mailbox, messageId, sender, recipients, peer, outcome, value, detail, sizeBytes);
    }

    public AuditRecord detail(String value) {
        return new AuditRecord(type, mailName, actor, mailbox, messageId, sender, recipients, peer, outcome, reason, value, sizeBytes);
    }

    public AuditRecord sizeBytes(long value) {
        return new AuditRecord(type, mailName, actor, mailbox, messageId, sender, recipients, peer, outcome, reason, detail, value);
    }
}
