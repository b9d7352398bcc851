package fr.mssante.operator.citizen;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import fr.mssante.operator.vocabulary.MailboxKind;

/**
 * The rules of citizen messaging (mssante-rules.md §8; ENS v1.3), one implementation for SMTP time, the pipeline and
 * the health space's reply button:
 * <ul>
 *   <li>only a professional mailbox (PER, ORG, APP, CAB) starts a conversation with a citizen;</li>
 *   <li>a citizen replies only inside a conversation a professional started (In-Reply-To / References naming a
 *       message that professional sent to this citizen), and not once the professional ended it
 *       ({@code X-MSS-MES: FIN} or a subject starting {@code [FIN]});</li>
 *   <li>exception: a citizen may write to a listed pharmacy ORG mailbox within {@link Settings#pharmacyWindow()}
 *       after that pharmacy's last message to them (a new prescription, without a conversation);</li>
 *   <li>25 Mo at most, either way; nothing reaches a closed space.</li>
 * </ul>
 */
public final class CitizenRules {
    /** ENS: 25 Mo maximum for a message exchanged with a citizen. */
    public static final long MAX_SIZE = 25L * 1024 * 1024;
    /** The header a professional sets to end an exchange (ENS v1.3). */
    public static final String END_HEADER = "X-MSS-MES";

    /**
     * @param pharmacyMailboxes the pharmacies' ORG mailboxes a citizen may write to (MSS_CITIZEN_PHARMACY_MAILBOXES)
     * @param pharmacyWindow    how long after a pharmacy's last message (MSS_CITIZEN_PHARMACY_WINDOW)
     * @param maxSize           bytes (25 Mo)
     */
    public record Settings(Set<String> pharmacyMailboxes, Duration pharmacyWindow, long maxSize) {
        public Settings {
            pharmacyMailboxes = Set.copyOf(pharmacyMailboxes.stream().map(address -> address.trim().toLowerCase(Locale.ROOT))
                .filter(address -> !address.isEmpty()).toList());
            if (pharmacyWindow.isNegative()) {
                throw new IllegalArgumentException("the pharmacy window must not be negative");
            }
        }
    }

    /** Citizen's space, as the register says (a citizen of a patient domain we do not serve: {@link #NOT_SERVED_HERE}). */
    public enum SpaceState {
        OPEN, CLOSED, UNKNOWN, NOT_SERVED_HERE
    }

    private final Settings settings;
    private final ConversationStore conversations;
    private final Clock clock;

    public CitizenRules(Settings settings, ConversationStore conversations, Clock clock) {
        this.settings = settings;
        this.conversations = conversations;
        this.clock = clock;
    }

    public Settings settings() {
        return settings;
    }

    /** Does this message end its conversation ({@code X-MSS-MES: FIN} or a subject starting {@code [FIN]})? */
    public static boolean ends(Optional<String> mesHeader, Optional<String> subject) {
        return mesHeader.map(value -> value.trim().equalsIgnoreCase("FIN")).orElse(false)
            || subject.map(value -> value.stripLeading().toUpperCase(Locale.ROOT).startsWith("[FIN]")).orElse(false);
    }

    /** A message to a citizen: its space, who sends it ({@code senderKind} empty: not a professional mailbox), its size. */
    public Decision toCitizen(SpaceState space, Optional<MailboxKind> senderKind, long size) {
        Optional<Decision> common = space(space);
        if (common.isPresent()) {
            return common.get();
        }
        if (senderKind.isEmpty()) {
            return Decision.refused(Reason.NOT_A_PROFESSIONAL);
        }
        return size > settings.maxSize() ? Decision.refused(Reason.TOO_LARGE) : Decision.OK;
    }

    /**
     * A message from {@code citizen} to {@code recipient} (a professional): allowed inside an open conversation of
     * that professional, or to a listed pharmacy within its window.
     *
     * @param references the Message-IDs of In-Reply-To and References
     */
    public Decision fromCitizen(String citizen, SpaceState space, String recipient, List<String> references, long size) {
        Optional<Decision> common = space(space);
        if (common.isPresent()) {
            return common.get();
        }
        if (size > settings.maxSize()) {
            return Decision.refused(Reason.TOO_LARGE);
        }
        return replyPermission(citizen, recipient, references);
    }

    /** The reply rule alone (the health space's reply button, before anything is written). */
    public Decision replyPermission(String citizen, String recipient, List<String> references) {
        String to = recipient.trim().toLowerCase(Locale.ROOT);
        List<ConversationStore.SentMessage> conversation = conversations.sentTo(key(citizen), references).stream()
            .filter(message -> message.answeredBy(to)).toList();
        if (conversation.stream().anyMatch(message -> !message.ended())) {
            return Decision.OK;
        }
        if (settings.pharmacyMailboxes().contains(to)) {
            Optional<Instant> last = conversations.lastMessage(to, key(citizen));
            if (last.isPresent() && !last.get().plus(settings.pharmacyWindow()).isBefore(clock.instant())) {
                return new Decision(Reason.PHARMACY_WINDOW);
            }
        }
        return Decision.refused(conversation.isEmpty() ? Reason.NO_CONVERSATION : Reason.CONVERSATION_ENDED);
    }

    /**
     * May the citizen reply to the message(s) {@code references} (the health space's reply button)? The recipient is
     * the one the conversation names (Reply-To, else the professional).
     */
    public Decision replyPermission(String citizen, SpaceState space, List<String> references) {
        Optional<Decision> common = space(space);
        if (common.isPresent()) {
            return common.get();
        }
        List<ConversationStore.SentMessage> found = conversations.sentTo(key(citizen), references);
        if (found.stream().anyMatch(message -> !message.ended())) {
            return Decision.OK;
        }
        for (ConversationStore.SentMessage message : found) {
            String to = message.replyTo().orElse(message.professional());
            if (settings.pharmacyMailboxes().contains(to) && replyPermission(citizen, to, List.of()).allowed()) {
                return new Decision(Reason.PHARMACY_WINDOW);
            }
        }
        return Decision.refused(found.isEmpty() ? Reason.NO_CONVERSATION : Reason.CONVERSATION_ENDED);
    }

    /** A professional's message was delivered to (or relayed towards) a citizen: remember it. */
    public void recordSent(String citizen, String professional, Optional<String> replyTo, String messageId,
                           List<String> references, boolean ends) {
        conversations.recordSent(key(citizen), key(professional), replyTo.map(CitizenRules::key)
                .filter(address -> !address.equals(key(professional))), MessageIds.bare(messageId), references, ends,
            clock.instant());
    }

    /** A citizen's reply was let through to {@code professional}: it joins the conversation it answers. */
    public void recordReply(String citizen, String professional, String messageId, List<String> references) {
        conversations.recordReply(key(citizen), key(professional), MessageIds.bare(messageId), references, clock.instant());
    }

    private static Optional<Decision> space(SpaceState space) {
        return switch (space) {
            case CLOSED -> Optional.of(Decision.refused(Reason.SPACE_CLOSED));
            case UNKNOWN -> Optional.of(Decision.refused(Reason.UNKNOWN_CITIZEN));
            default -> Optional.empty();
        };
    }

    private static String key(String address) {
        return address.trim().toLowerCase(Locale.ROOT);
    }
}
