package fr.mssante.operator.directory.publication;

import java.util.List;

/**
 * What an export contained.
 *
 * @param published           mailboxes written
 * @param resources           FHIR resources in the Bundle (Practitioner, PractitionerRole, Organization)
 * @param redListedLeftOut    red-listed mailboxes not written (public audience only)
 * @param notPublishable      mailboxes not active or already unpublished
 * @param rejected            mailboxes that cannot be described (no holder id…), with the reason
 */
public record PublicationReport(int published, int resources, int redListedLeftOut, int notPublishable,
                                List<Rejected> rejected) {

    public record Rejected(String address, String reason) {
    }
}
