package fr.mssante.operator.documents.detect;

import java.util.List;

/** What {@link AttachmentDetector} found: the attachments, in message order, and what it could not inspect. */
public record Detection(List<FoundAttachment> attachments, List<DetectionIssue> issues) {
    public Detection {
        attachments = List.copyOf(attachments);
        issues = List.copyOf(issues);
    }

    public List<FoundAttachment> of(AttachmentKind kind) {
        return attachments.stream().filter(a -> a.kind() == kind).toList();
    }
}
