package fr.mssante.operator.healthspace.mailbox;

import java.util.Optional;

/** The two folders the health space shows: what the citizen received and what they sent. */
public enum Box {
    INBOX("INBOX", "inbox"), SENT("Sent", "sent");

    private final String folder;
    private final String slug;

    Box(String folder, String slug) {
        this.folder = folder;
        this.slug = slug;
    }

    public String folder() {
        return folder;
    }

    /** The name in URLs. */
    public String slug() {
        return slug;
    }

    public static Optional<Box> ofSlug(String slug) {
        for (Box box : values()) {
            if (box.slug.equals(slug)) {
                return Optional.of(box);
            }
        }
        return Optional.empty();
    }
}
