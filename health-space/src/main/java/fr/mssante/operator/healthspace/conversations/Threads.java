package fr.mssante.operator.healthspace.conversations;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import fr.mssante.operator.healthspace.mailbox.MessageIds;
import fr.mssante.operator.healthspace.mailbox.MessageSummary;

/**
 * Groups messages into conversations by their threading headers (RFC 5322 {@code Message-ID}, {@code In-Reply-To},
 * {@code References}): two messages are in one conversation when one refers to the other, directly or through a
 * chain, even when a message of the chain is missing. Conversations newest first, messages oldest first.
 */
public final class Threads {
    private Threads() {
    }

    public static List<Conversation> group(List<MessageSummary> messages) {
        Map<String, String> parent = new HashMap<>();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            MessageSummary message = messages.get(i);
            String own = message.messageId().isBlank() ? "#" + i : message.messageId();
            keys.add(own);
            parent.putIfAbsent(own, own);
            List<String> related = new ArrayList<>(message.references());
            if (!message.inReplyTo().isBlank()) {
                related.addAll(MessageIds.parse(message.inReplyTo()));
            }
            for (String id : related) {
                parent.putIfAbsent(id, id);
                union(parent, own, id);
            }
        }
        Map<String, List<MessageSummary>> groups = new LinkedHashMap<>();
        for (int i = 0; i < messages.size(); i++) {
            groups.computeIfAbsent(find(parent, keys.get(i)), root -> new ArrayList<>()).add(messages.get(i));
        }
        List<Conversation> conversations = new ArrayList<>();
        for (List<MessageSummary> group : groups.values()) {
            group.sort(Comparator.comparing(MessageSummary::date).thenComparing(MessageSummary::uid));
            conversations.add(new Conversation(List.copyOf(group)));
        }
        conversations.sort(Comparator.comparing(Conversation::lastDate).reversed());
        return conversations;
    }

    private static String find(Map<String, String> parent, String id) {
        String root = id;
        while (!parent.get(root).equals(root)) {
            root = parent.get(root);
        }
        String current = id;
        while (!parent.get(current).equals(root)) {
            String next = parent.get(current);
            parent.put(current, root);
            current = next;
        }
        return root;
    }

    private static void union(Map<String, String> parent, String a, String b) {
        String rootA = find(parent, a);
        String rootB = find(parent, b);
        if (!rootA.equals(rootB)) {
            parent.put(rootB, rootA);
        }
    }
}
