package fr.mssante.operator.citizen;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * What the rules remember of conversations: the messages professionals sent to citizens (by Message-ID), which
 * conversations a professional ended (FIN), the last message of each professional to each citizen. The mail server
 * keeps it in PostgreSQL ({@code mss.citizen_message}, {@code mss.citizen_thread}).
 */
public interface ConversationStore {
    /**
     * One message a professional sent to a citizen.
     *
     * @param threadId     the Message-ID of the message that started the conversation
     * @param professional the professional's address (the envelope sender)
     * @param replyTo      where the citizen is asked to reply (Reply-To), when different
     * @param ended        the professional ended this conversation (FIN)
     */
    record SentMessage(String messageId, String threadId, String professional, Optional<String> replyTo, Instant sentAt,
                       boolean ended) {
        /** Is {@code address} the professional this message asks the citizen to answer? */
        public boolean answeredBy(String address) {
            return professional.equalsIgnoreCase(address) || replyTo.map(address::equalsIgnoreCase).orElse(false);
        }
    }

    /** The messages among {@code messageIds} that a professional sent to {@code citizen}. */
    List<SentMessage> sentTo(String citizen, Collection<String> messageIds);

    /**
     * Records a citizen's reply inside the conversation of a message it refers to (same professional), so that the
     * professional's answer to that reply — which may name only the reply — stays in the same conversation (and its
     * FIN ends it). Nothing is recorded when no referenced message belongs to a conversation with that professional.
     */
    void recordReply(String citizen, String professional, String messageId, List<String> references, Instant at);

    /** When {@code professional} last wrote to {@code citizen} (the citizen's own replies do not count). */
    Optional<Instant> lastMessage(String professional, String citizen);

    /**
     * Records a message a professional sent to a citizen: it joins the conversation of a message it refers to (same
     * professional, same citizen) or starts one; {@code ends} closes that conversation.
     */
    void recordSent(String citizen, String professional, Optional<String> replyTo, String messageId, List<String> references,
                    boolean ends, Instant at);
}
