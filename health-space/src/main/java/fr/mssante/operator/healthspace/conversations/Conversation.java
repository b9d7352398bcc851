package fr.mssante.operator.healthspace.conversations;

import java.time.Instant;
import java.util.List;

import fr.mssante.operator.healthspace.mailbox.Box;
import fr.mssante.operator.healthspace.mailbox.MessageSummary;

/** A thread: its messages oldest first. */
public record Conversation(List<MessageSummary> messages) {
    public MessageSummary first() {
        return messages.get(0);
    }

    public MessageSummary last() {
        return messages.get(messages.size() - 1);
    }

    public Instant lastDate() {
        return last().date();
    }

    public String subject() {
        return first().subject();
    }

    public boolean unread() {
        return messages.stream().anyMatch(message -> !message.seen());
    }

    /** The professional of the conversation: the sender of its first received message. */
    public String correspondent() {
        return messages.stream().filter(message -> message.box() == Box.INBOX)
            .findFirst().map(message -> message.fromName().isBlank() ? message.fromAddress() : message.fromName())
            .orElse("");
    }
}
