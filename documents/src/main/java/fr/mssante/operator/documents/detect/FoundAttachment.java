package fr.mssante.operator.documents.detect;

import java.util.Optional;

import fr.mssante.operator.documents.content.Content;

/**
 * A health-document attachment found in a message.
 *
 * @param kind        what it is
 * @param filename    its file name (Content-Disposition filename or Content-Type name), decoded
 * @param contentType its base MIME type, lower case ({@code application/zip})
 * @param partPath    where it sits: {@code 2.1} = second part of the message, first part inside it
 * @param content     the decoded bytes
 */
public record FoundAttachment(AttachmentKind kind, Optional<String> filename, String contentType, String partPath, Content content) {
}
