package fr.mssante.operator.citizen;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** A {@link ConversationStore} in memory (tests, tools); the server's is PostgreSQL. */
public final class InMemoryConversations implements ConversationStore {
    private record Row(String citizen, String messageId, String threadId, String professional, Optional<String> replyTo, Instant at,
                       boolean fromCitizen) {
    }

    private final List<Row> rows = new ArrayList<>();
    private final Set<String> ended = new HashSet<>();

    @Override
    public synchronized List<SentMessage> sentTo(String citizen, Collection<String> messageIds) {
        return rows.stream().filter(row -> row.citizen().equals(citizen) && messageIds.contains(row.messageId()))
            .map(row -> new SentMessage(row.messageId(), row.threadId(), row.professional(), row.replyTo(), row.at(),
                ended.contains(row.threadId())))
            .toList();
    }

    @Override
    public synchronized Optional<Instant> lastMessage(String professional, String citizen) {
        return rows.stream().filter(row -> row.citizen().equals(citizen) && row.professional().equals(professional) && !row.fromCitizen())
            .map(Row::at).max(Instant::compareTo);
    }

    @Override
    public synchronized void recordSent(String citizen, String professional, Optional<String> replyTo, String messageId,
                                        List<String> references, boolean ends, Instant at) {
        String thread = rows.stream().filter(row -> row.citizen().equals(citizen) && row.professional().equals(professional)
                && references.contains(row.messageId()))
            .map(Row::threadId).findFirst().orElse(messageId);
        rows.add(new Row(citizen, messageId, thread, professional, replyTo, at, false));
        if (ends) {
            ended.add(thread);
        }
    }

    @Override
    public synchronized void recordReply(String citizen, String professional, String messageId, List<String> references, Instant at) {
        rows.stream().filter(row -> row.citizen().equals(citizen) && row.professional().equals(professional)
                && references.contains(row.messageId()))
            .map(Row::threadId).findFirst()
            .ifPresent(thread -> rows.add(new Row(citizen, messageId, thread, professional, Optional.empty(), at, true)));
    }
}
