package fr.mssante.operator.healthspace.mailbox;

import java.util.List;

/** A message opened: its summary, its text (plain text; an HTML-only body is reduced to text) and its attachments. */
public record MessageContent(MessageSummary summary, List<String> to, String text, List<AttachmentInfo> attachments) {
}
