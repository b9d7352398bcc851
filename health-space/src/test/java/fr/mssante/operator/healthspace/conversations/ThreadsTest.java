package fr.mssante.operator.healthspace.conversations;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import fr.mssante.operator.healthspace.mailbox.Box;
import fr.mssante.operator.healthspace.mailbox.MessageSummary;

/** Conversations by References / In-Reply-To, even when a message of the chain is missing. */
class ThreadsTest {
    @Test
    void repliesJoinTheirConversationNewestConversationFirst() {
        MessageSummary start = message(Box.INBOX, 1, "<a@x>", "", List.of(), 1);
        MessageSummary reply = message(Box.SENT, 1, "<b@x>", "<a@x>", List.of(), 2);
        // its parent <c@x> is missing from the mailbox, but its References name <a@x>
        MessageSummary later = message(Box.INBOX, 2, "<d@x>", "<c@x>", List.of("<a@x>", "<c@x>"), 4);
        MessageSummary alone = message(Box.INBOX, 3, "<e@x>", "", List.of(), 3);
        MessageSummary noId = message(Box.INBOX, 4, "", "", List.of(), 0);

        List<Conversation> conversations = Threads.group(List.of(later, alone, noId, reply, start));

        assertThat(conversations).hasSize(3);
        assertThat(conversations.get(0).messages()).containsExactly(start, reply, later);
        assertThat(conversations.get(1).messages()).containsExactly(alone);
        assertThat(conversations.get(2).messages()).containsExactly(noId);
        assertThat(conversations.get(0).correspondent()).isEqualTo("Dr House");
    }

    private static MessageSummary message(Box box, long uid, String id, String inReplyTo, List<String> references, int day) {
        return new MessageSummary(box, uid, id, inReplyTo, references, box == Box.SENT ? "c@patient.mss.test" : "h@demo.mss.test",
            box == Box.SENT ? "Citoyen" : "Dr House", "Objet", Instant.parse("2026-12-01T10:00:00Z").plusSeconds(day * 86400L),
            true, false);
    }
}
