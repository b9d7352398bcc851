package fr.mssante.operator.dmp.outbox;

import java.time.Instant;

/**
 * A document version taken for filing and not refused (QUEUED, SENDING or ACCEPTED), as a replacement check needs
 * it: ids only, no content.
 *
 * @param documentUniqueId its unique id
 * @param setId            its CDA setId, may be null
 * @param authorNationalId its author's national id, may be null
 * @param institutionId    its institution's national id, may be null
 * @param createdAt        when it was taken
 */
public record FiledDocument(String documentUniqueId, String setId, String authorNationalId, String institutionId,
                            Instant createdAt) {
}
