package fr.mssante.operator.dmp.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** {@link DocumentMetadata} as the JSON stored in {@code dmp.submission.metadata}. */
final class MetadataJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
        .registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private MetadataJson() {
    }

    static String write(DocumentMetadata metadata) {
        try {
            return MAPPER.writeValueAsString(metadata);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise the document metadata", e);
        }
    }

    static DocumentMetadata read(String json) {
        try {
            return MAPPER.readValue(json, DocumentMetadata.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable metadata in dmp.submission", e);
        }
    }
}
