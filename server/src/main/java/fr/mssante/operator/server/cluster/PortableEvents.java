package fr.mssante.operator.server.cluster;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.apache.james.events.Event;
import org.apache.james.mailbox.events.MailboxEvents;
import org.apache.james.mailbox.model.MessageId;
import org.apache.james.mailbox.model.MessageMetaData;
import org.apache.james.mailbox.model.ThreadId;
import org.apache.james.mailbox.model.UpdatedFlags;

/**
 * Mailbox events made serialisable by James's JSON event serializer. On JPA, message ids are James's
 * {@code DefaultMessageId}, which refuses to serialise ("Capabilities should prevent calling this method": the JPA
 * mailbox has no message-id capability, nothing reads them). The events that carry them (Added, Expunged,
 * FlagsUpdated) are copied with a placeholder id; every other field, the UIDs, flags and MODSEQs that IMAP sessions
 * use, is kept.
 */
final class PortableEvents {
    private PortableEvents() {
    }

    static Event portable(Event event) {
        if (event instanceof MailboxEvents.Added added) {
            return new MailboxEvents.Added(added.getSessionId(), added.getUsername(), added.getMailboxPath(),
                added.getMailboxId(), new TreeMap<>(portable(added.getAdded())), added.getEventId(), added.isDelivery());
        }
        if (event instanceof MailboxEvents.Expunged expunged) {
            return new MailboxEvents.Expunged(expunged.getSessionId(), expunged.getUsername(), expunged.getMailboxPath(),
                expunged.getMailboxId(), portable(expunged.getExpunged()), expunged.getEventId());
        }
        if (event instanceof MailboxEvents.FlagsUpdated flags) {
            return new MailboxEvents.FlagsUpdated(flags.getSessionId(), flags.getUsername(), flags.getMailboxPath(),
                flags.getMailboxId(), flags.getUpdatedFlags().stream()
                    .map(updated -> UpdatedFlags.builder().uid(updated.getUid()).modSeq(updated.getModSeq())
                        .oldFlags(updated.getOldFlags()).newFlags(updated.getNewFlags())
                        .messageId(updated.getMessageId().map(id -> (MessageId) PlaceholderMessageId.INSTANCE))
                        .build())
                    .toList(), flags.getEventId());
        }
        return event;
    }

    private static <K> Map<K, MessageMetaData> portable(Map<K, MessageMetaData> metaData) {
        return metaData.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, entry -> {
            MessageMetaData data = entry.getValue();
            return new MessageMetaData(data.getUid(), data.getModSeq(), data.getFlags(), data.getSize(),
                data.getInternalDate(), data.getSaveDate(), PlaceholderMessageId.INSTANCE,
                ThreadId.fromBaseMessageId(PlaceholderMessageId.INSTANCE));
        }));
    }

    /** Stands for a message id nobody reads (JPA): serialisable, always the same. */
    static final class PlaceholderMessageId implements MessageId {
        static final PlaceholderMessageId INSTANCE = new PlaceholderMessageId();
        static final MessageId.Factory FACTORY = new MessageId.Factory() {
            @Override
            public MessageId fromString(String serialized) {
                return INSTANCE;
            }

            @Override
            public MessageId generate() {
                return INSTANCE;
            }
        };

        @Override
        public String serialize() {
            return "none";
        }

        @Override
        public boolean isSerializable() {
            return true;
        }
    }
}
