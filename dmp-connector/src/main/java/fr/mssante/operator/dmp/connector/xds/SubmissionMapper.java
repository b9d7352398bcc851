package fr.mssante.operator.dmp.connector.xds;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Objects;
import java.util.UUID;

import jakarta.activation.DataHandler;
import jakarta.mail.util.ByteArrayDataSource;

import org.openehealth.ipf.commons.ihe.xds.core.metadata.Association;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssociationLabel;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssociationType;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Author;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AvailabilityStatus;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Document;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntryType;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Hl7v2Based;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Identifiable;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.LocalizedString;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Organization;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.PatientInfo;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Person;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.SubmissionSet;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Timestamp;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.XpnName;
import org.openehealth.ipf.commons.ihe.xds.core.requests.ProvideAndRegisterDocumentSet;

import fr.mssante.operator.dmp.outbox.Code;
import fr.mssante.operator.dmp.outbox.DocumentAuthor;
import fr.mssante.operator.dmp.outbox.DocumentMetadata;
import fr.mssante.operator.dmp.outbox.Institution;
import fr.mssante.operator.dmp.outbox.PatientIdentity;
import fr.mssante.operator.dmp.outbox.Submission;

/**
 * Maps an outbox {@link Submission} to an ITI-41 request, following the DMP's XDS.b metadata: patientId as CX
 * {@code matricule^^^&OID&ISO^NH}, authorPerson as XCN with the IdNat_PS ({@code &1.2.250.1.71.4.2.1&ISO^D^^^IDNPS}),
 * authorInstitution as XON ({@code &1.2.250.1.71.4.2.2&ISO^IDNST}), classCode from the typeCode table, SHA-1 and size
 * computed here, facility / practice / contentType codes from configuration.
 */
public final class SubmissionMapper {
    public static final String IDNPS_OID = "1.2.250.1.71.4.2.1";
    public static final String IDNST_OID = "1.2.250.1.71.4.2.2";
    private static final Code NORMAL = new Code("N", "2.16.840.1.113883.5.25", "Normal");
    private static final DateTimeFormatter BIRTH_DATE = DateTimeFormatter.BASIC_ISO_DATE;

    private final XdsDefaults defaults;
    private final Clock clock;

    public SubmissionMapper(XdsDefaults defaults, Clock clock) {
        this.defaults = Objects.requireNonNull(defaults, "defaults");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Patient id as CX; throws IllegalArgumentException when the INS or its OID is malformed. */
    public static String patientCx(PatientIdentity patient) {
        String ins = patient.insMatricule().trim();
        String oid = patient.insOid().trim();
        if (!ins.matches("[0-9A-Za-z]{13,15}")) {
            throw new IllegalArgumentException("malformed INS matricule");
        }
        if (!oid.matches("[0-2](\\.(0|[1-9][0-9]*))+")) {
            throw new IllegalArgumentException("malformed INS OID: " + oid);
        }
        return ins + "^^^&" + oid + "&ISO^NH";
    }

    public MappedSubmission map(Submission submission) {
        DocumentMetadata m = submission.metadata();
        byte[] bytes = submission.document();
        String sha1 = sha1(bytes);
        String cx = patientCx(m.patient());
        Identifiable patientId = Hl7v2Based.parse(cx, Identifiable.class);
        Instant now = clock.instant();

        Author author = author(m.author(), m.institution());

        DocumentEntry entry = new DocumentEntry();
        entry.setEntryUuid("urn:uuid:" + UUID.randomUUID());
        entry.setUniqueId(m.documentUniqueId());
        entry.setType(DocumentEntryType.STABLE);
        entry.setAvailabilityStatus(AvailabilityStatus.APPROVED);
        entry.setPatientId(patientId);
        entry.setSourcePatientId(Hl7v2Based.parse(cx, Identifiable.class));
        entry.setSourcePatientInfo(patientInfo(m.patient(), cx));
        entry.setTypeCode(code(m.typeCode()));
        entry.setClassCode(code(defaults.classCodes().classCodeFor(m.typeCode())));
        entry.setFormatCode(code(m.formatCode()));
        entry.getConfidentialityCodes().add(code(m.confidentiality() == null ? NORMAL : m.confidentiality()));
        entry.setHealthcareFacilityTypeCode(code(defaults.healthcareFacilityTypeCode()));
        entry.setPracticeSettingCode(code(defaults.practiceSettingCode()));
        entry.setCreationTime(timestamp(m.creationTime()));
        if (m.serviceStart() != null) {
            entry.setServiceStartTime(timestamp(m.serviceStart()));
        }
        if (m.serviceStop() != null) {
            entry.setServiceStopTime(timestamp(m.serviceStop()));
        }
        entry.setLanguageCode(m.languageCode() == null ? "fr-FR" : m.languageCode());
        if (m.title() != null && !m.title().isBlank()) {
            entry.setTitle(new LocalizedString(m.title(), "fr-FR", "UTF-8"));
        }
        entry.setMimeType(submission.mimeType());
        entry.setHash(sha1);
        entry.setSize((long) bytes.length);
        if (author != null) {
            entry.getAuthors().add(author);
        }

        String submissionSetUniqueId = uuidOid(UUID.randomUUID());
        SubmissionSet set = new SubmissionSet();
        set.setEntryUuid("urn:uuid:" + UUID.randomUUID());
        set.setUniqueId(submissionSetUniqueId);
        set.setSourceId(defaults.sourceId());
        set.setSubmissionTime(timestamp(now));
        set.setPatientId(Hl7v2Based.parse(cx, Identifiable.class));
        set.setContentTypeCode(code(defaults.contentTypeCode()));
        set.setAvailabilityStatus(AvailabilityStatus.APPROVED);
        if (author != null) {
            set.getAuthors().add(author(m.author(), m.institution()));
        }

        Association hasMember = new Association(AssociationType.HAS_MEMBER, "urn:uuid:" + UUID.randomUUID(),
            set.getEntryUuid(), entry.getEntryUuid());
        hasMember.setLabel(AssociationLabel.ORIGINAL);

        ProvideAndRegisterDocumentSet request = new ProvideAndRegisterDocumentSet();
        request.setSubmissionSet(set);
        request.getDocuments().add(new Document(entry,
            new DataHandler(new ByteArrayDataSource(bytes, submission.mimeType()))));
        request.getAssociations().add(hasMember);
        return new MappedSubmission(request, cx, submissionSetUniqueId, sha1, bytes.length);
    }

    private static Author author(DocumentAuthor a, Institution institution) {
        if (a == null && institution == null) {
            return null;
        }
        Author author = new Author();
        if (a != null && a.nationalId() != null) {
            String xcn = hl7(a.nationalId()) + "^" + hl7(a.familyName()) + "^" + hl7(a.givenName())
                + "^^^^^^&" + IDNPS_OID + "&ISO^D^^^IDNPS";
            author.setAuthorPerson(Hl7v2Based.parse(xcn, Person.class));
        } else if (a != null) {
            author.setAuthorPerson(new Person(null, new XpnName(a.familyName(), a.givenName(), null, null, null,
                null)));
        }
        if (a != null && a.role() != null) {
            author.getAuthorRole().add(identifiable(a.role()));
        }
        if (a != null && a.specialty() != null) {
            author.getAuthorSpecialty().add(identifiable(a.specialty()));
        }
        if (institution != null && institution.name() != null) {
            String xon = hl7(institution.name()) + (institution.id() == null ? ""
                : "^^^^^&" + IDNST_OID + "&ISO^IDNST^^^" + hl7(institution.id()));
            author.getAuthorInstitution().add(Hl7v2Based.parse(xon, Organization.class));
        }
        return author;
    }

    private static Identifiable identifiable(Code code) {
        return Hl7v2Based.parse(hl7(code.code()) + "^^^&" + code.codeSystem() + "&ISO", Identifiable.class);
    }

    private static PatientInfo patientInfo(PatientIdentity p, String cx) {
        PatientInfo info = new PatientInfo();
        info.getIds().add(Hl7v2Based.parse(cx, Identifiable.class));
        if (p.birthName() != null || p.givenNames() != null) {
            info.getNames().add(new XpnName(p.birthName(), p.givenNames(), null, null, null, null));
        }
        if (p.birthDate() != null) {
            info.setDateOfBirth(BIRTH_DATE.format(p.birthDate()));
        }
        if (p.sex() != null) {
            info.setGender(p.sex());
        }
        return info;
    }

    private static org.openehealth.ipf.commons.ihe.xds.core.metadata.Code code(Code c) {
        return new org.openehealth.ipf.commons.ihe.xds.core.metadata.Code(c.code(),
            c.displayName() == null ? null : new LocalizedString(c.displayName(), "fr-FR", "UTF-8"), c.codeSystem());
    }

    private static Timestamp timestamp(Instant instant) {
        return new Timestamp(instant.atZone(ZoneOffset.UTC), Timestamp.Precision.SECOND);
    }

    /** HL7 v2 delimiters are not allowed inside a component: names lose them rather than break the field. */
    private static String hl7(String value) {
        return value == null ? "" : value.replaceAll("[\\^&~|\\\\]", " ").trim();
    }

    static String sha1(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An OID under {@code 2.25} from a UUID (ITU-T X.667): unique without any registration. */
    static String uuidOid(UUID uuid) {
        ByteBuffer b = ByteBuffer.allocate(16);
        b.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        return "2.25." + new BigInteger(1, b.array());
    }
}
