package fr.mssante.operator.directory.fhir;

/**
 * An MSSanté mailbox read from a FHIR resource's {@code telecom} with the {@code as-ext-mailbox-mss-metadata}
 * extension. {@code type}: ORG, APP, PER or CAB (TRE_R257); {@code owner} is "Practitioner/123" and the like.
 */
public record FhirMailbox(String address, String type, String description, String service, String responsible,
                          boolean listeRouge, String owner, String nationalId) {
}
