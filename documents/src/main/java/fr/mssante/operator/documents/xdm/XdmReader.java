package fr.mssante.operator.documents.xdm;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.mssante.operator.documents.xml.HardenedXml;
import fr.mssante.operator.documents.xml.XmlLimits;
import fr.mssante.operator.documents.xml.XmlNode;
import fr.mssante.operator.documents.xml.XmlRejectedException;
import fr.mssante.operator.documents.xml.XmlRejection;
import fr.mssante.operator.documents.zip.ArchiveEntry;
import fr.mssante.operator.documents.zip.UnzippedArchive;

/**
 * Reads an unzipped IHE XDM package (ITI-32): every {@code IHE_XDM/<subset>/METADATA.XML} (any subset folder name:
 * {@code SUBSET01}, ANS DRIM-M's {@code SS000001}…, any case), the ebRS {@code SubmitObjectsRequest} in it, and the
 * archive entry each document entry's {@code URI} slot names (relative to the subset folder, to {@code IHE_XDM/} as
 * in DRIM-M's {@code SS000001/KOS_1_1.DCM}, or to the root). METADATA.XML is parsed without namespace processing,
 * matching elements by local name, so fragments with undeclared prefixes (the DRIM-M sample) are read too; it goes
 * through {@link HardenedXml} like any XML here (no DOCTYPE).
 */
public final class XdmReader {
    private static final Logger LOG = LoggerFactory.getLogger(XdmReader.class);
    private static final Pattern METADATA = Pattern.compile("(?i)^(IHE_XDM/[^/]+/)METADATA\\.XML$");
    private static final Pattern SPLIT_URI = Pattern.compile("^(\\d+)\\|(.*)$");

    static final String SUBMISSION_SET_UNIQUE_ID = "urn:uuid:96fdda7c-d067-4183-912e-bf5ee74998a8";
    static final String SUBMISSION_SET_PATIENT_ID = "urn:uuid:6b5aea1a-874d-4603-a4bc-96a0a7b38446";
    static final String DOCUMENT_UNIQUE_ID = "urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab";
    static final String DOCUMENT_PATIENT_ID = "urn:uuid:58a6f841-87b3-4a3e-92fd-a8ffeff98427";
    static final String TYPE_CODE = "urn:uuid:f0306f51-975f-434e-a61c-c59651d33983";
    static final String CLASS_CODE = "urn:uuid:41a5887f-8865-4c09-adf7-e362475b143a";
    static final String FORMAT_CODE = "urn:uuid:a09d5840-386c-46f2-b5ad-9c3699a4309d";
    static final String CONFIDENTIALITY_CODE = "urn:uuid:f4f85eac-e6cb-4883-b524-f2705394840f";

    private final XmlLimits limits;

    public XdmReader(XmlLimits limits) {
        this.limits = limits;
    }

    public XdmReader() {
        this(XmlLimits.DEFAULT);
    }

    public XdmPackage read(UnzippedArchive archive) throws XdmRejectedException {
        List<XdmIssue> issues = new ArrayList<>();
        boolean index = archive.findIgnoreCase("INDEX.HTM").isPresent();
        boolean readme = archive.findIgnoreCase("README.TXT").isPresent();
        if (!index) {
            issues.add(new XdmIssue(XdmIssue.Code.NO_INDEX_HTM, "/", "INDEX.HTM is missing at the archive root"));
        }
        if (!readme) {
            issues.add(new XdmIssue(XdmIssue.Code.NO_README_TXT, "/", "README.TXT is missing at the archive root"));
        }
        List<ArchiveEntry> metadataFiles = archive.files().stream()
            .filter(e -> METADATA.matcher(e.name()).matches())
            .sorted(Comparator.comparing(ArchiveEntry::name))
            .toList();
        if (metadataFiles.isEmpty()) {
            throw new XdmRejectedException(XdmRejection.NO_METADATA, "no IHE_XDM/<subset>/METADATA.XML in the archive");
        }
        List<XdmSubset> subsets = new ArrayList<>();
        for (ArchiveEntry metadata : metadataFiles) {
            Matcher matcher = METADATA.matcher(metadata.name());
            matcher.matches();
            subsets.add(readSubset(matcher.group(1), metadata, archive, issues));
        }
        LOG.debug("XDM package: {} subset(s), {} document(s), {} issue(s)", subsets.size(),
            subsets.stream().mapToInt(s -> s.documents().size()).sum(), issues.size());
        return new XdmPackage(subsets, index, readme, issues);
    }

    private XdmSubset readSubset(String directory, ArchiveEntry metadata, UnzippedArchive archive, List<XdmIssue> issues)
        throws XdmRejectedException {
        XmlNode root;
        try {
            root = HardenedXml.parseTree(metadata.content().openStream(), false, limits);
        } catch (XmlRejectedException e) {
            XdmRejection reason = e.reason() == XmlRejection.DOCTYPE_FORBIDDEN
                ? XdmRejection.METADATA_DOCTYPE_FORBIDDEN : XdmRejection.METADATA_MALFORMED;
            throw new XdmRejectedException(reason, metadata.name() + ": " + e.getMessage());
        }
        Optional<String> setUniqueId = Optional.empty();
        Optional<CxIdentifier> setPatient = Optional.empty();
        for (XmlNode registryPackage : descendants(root, "RegistryPackage")) {
            Optional<String> uniqueId = externalIdentifier(registryPackage, SUBMISSION_SET_UNIQUE_ID, "XDSSubmissionSet.uniqueId");
            if (uniqueId.isPresent()) {
                setUniqueId = uniqueId;
                setPatient = externalIdentifier(registryPackage, SUBMISSION_SET_PATIENT_ID, "XDSSubmissionSet.patientId")
                    .flatMap(CxIdentifier::parse);
                break;
            }
        }
        List<XdmDocumentEntry> documents = new ArrayList<>();
        for (XmlNode extrinsic : descendants(root, "ExtrinsicObject")) {
            documents.add(documentEntry(directory, extrinsic, archive, issues));
        }
        if (documents.isEmpty()) {
            issues.add(new XdmIssue(XdmIssue.Code.NO_DOCUMENT_ENTRY, directory, "METADATA.XML lists no document"));
        }
        return new XdmSubset(directory, setUniqueId, setPatient, documents);
    }

    private XdmDocumentEntry documentEntry(String directory, XmlNode extrinsic, UnzippedArchive archive, List<XdmIssue> issues) {
        String id = extrinsic.nonBlankAttribute("id").orElse("?");
        String where = directory + "#" + id;
        Optional<String> uri = uri(extrinsic);
        Optional<ArchiveEntry> entry = Optional.empty();
        if (uri.isEmpty()) {
            issues.add(new XdmIssue(XdmIssue.Code.URI_MISSING, where, "document entry without a URI slot"));
        } else {
            entry = resolve(directory, uri.get(), archive);
            if (entry.isEmpty()) {
                issues.add(new XdmIssue(XdmIssue.Code.URI_NOT_IN_ARCHIVE, where, "URI '" + printable(uri.get()) + "' names no archive entry"));
            }
        }
        Optional<String> hash = slot(extrinsic, "hash");
        Optional<Long> size = slot(extrinsic, "size").flatMap(XdmReader::parseLong);
        if (entry.isPresent()) {
            ArchiveEntry resolved = entry.get();
            if (hash.isPresent() && !hash.get().equalsIgnoreCase(resolved.content().sha1Hex())) {
                issues.add(new XdmIssue(XdmIssue.Code.HASH_MISMATCH, where, "hash slot differs from the SHA-1 of " + resolved.name()));
            }
            if (size.isPresent() && size.get() != resolved.content().size()) {
                issues.add(new XdmIssue(XdmIssue.Code.SIZE_MISMATCH, where,
                    "size slot " + size.get() + " but " + resolved.name() + " has " + resolved.content().size() + " bytes"));
            }
        }
        List<XdsCode> confidentiality = new ArrayList<>();
        for (XmlNode classification : extrinsic.children("Classification")) {
            if (CONFIDENTIALITY_CODE.equals(classification.attribute("classificationScheme").orElse(""))) {
                code(classification).ifPresent(confidentiality::add);
            }
        }
        return new XdmDocumentEntry(
            id,
            extrinsic.nonBlankAttribute("mimeType").orElse(""),
            externalIdentifier(extrinsic, DOCUMENT_UNIQUE_ID, "XDSDocumentEntry.uniqueId"),
            externalIdentifier(extrinsic, DOCUMENT_PATIENT_ID, "XDSDocumentEntry.patientId").flatMap(CxIdentifier::parse),
            uri,
            entry,
            classification(extrinsic, TYPE_CODE),
            classification(extrinsic, CLASS_CODE),
            classification(extrinsic, FORMAT_CODE),
            confidentiality,
            localizedString(extrinsic, "Name"),
            hash,
            size,
            slot(extrinsic, "creationTime"));
    }

    /** Candidates: relative to the subset folder, to {@code IHE_XDM/}, to the root; exact, then ignoring case. */
    private static Optional<ArchiveEntry> resolve(String directory, String uri, UnzippedArchive archive) {
        String path = uri.startsWith("./") ? uri.substring(2) : uri;
        if (path.isEmpty() || path.startsWith("/") || path.contains("\\") || path.contains("..")) {
            return Optional.empty();
        }
        List<String> candidates = List.of(directory + path, "IHE_XDM/" + path, path);
        for (String candidate : candidates) {
            Optional<ArchiveEntry> found = archive.find(candidate).filter(e -> !e.directory());
            if (found.isPresent()) {
                return found;
            }
        }
        for (String candidate : candidates) {
            Optional<ArchiveEntry> found = archive.findIgnoreCase(candidate).filter(e -> !e.directory());
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /** The URI slot; long URIs may be split over several values {@code 1|…}, {@code 2|…} (ebRS 2.1 XDM). */
    private static Optional<String> uri(XmlNode extrinsic) {
        List<String> values = slotValues(extrinsic, "URI");
        if (values.isEmpty()) {
            return Optional.empty();
        }
        if (values.size() > 1 && values.stream().allMatch(v -> SPLIT_URI.matcher(v).matches())) {
            List<String[]> parts = new ArrayList<>();
            for (String value : values) {
                Matcher m = SPLIT_URI.matcher(value);
                m.matches();
                parts.add(new String[] {m.group(1), m.group(2)});
            }
            parts.sort(Comparator.comparing(p -> parseLong(p[0]).orElse(Long.MAX_VALUE)));
            StringBuilder joined = new StringBuilder();
            parts.forEach(p -> joined.append(p[1]));
            return Optional.of(joined.toString()).filter(s -> !s.isBlank());
        }
        return Optional.of(values.get(0)).filter(s -> !s.isBlank());
    }

    private static Optional<XdsCode> classification(XmlNode extrinsic, String scheme) {
        for (XmlNode classification : extrinsic.children("Classification")) {
            if (scheme.equals(classification.attribute("classificationScheme").orElse(""))) {
                return code(classification);
            }
        }
        return Optional.empty();
    }

    private static Optional<XdsCode> code(XmlNode classification) {
        Optional<String> code = classification.nonBlankAttribute("nodeRepresentation");
        return code.map(c -> new XdsCode(c, slot(classification, "codingScheme").orElse(""), localizedString(classification, "Name")));
    }

    private static Optional<String> externalIdentifier(XmlNode object, String scheme, String name) {
        for (XmlNode identifier : object.children("ExternalIdentifier")) {
            boolean byScheme = scheme.equals(identifier.attribute("identificationScheme").orElse(""));
            boolean byName = localizedString(identifier, "Name").map(name::equals).orElse(false);
            if (byScheme || byName) {
                return identifier.nonBlankAttribute("value");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> slot(XmlNode object, String name) {
        List<String> values = slotValues(object, name);
        return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    private static List<String> slotValues(XmlNode object, String name) {
        for (XmlNode slot : object.children("Slot")) {
            if (name.equals(slot.attribute("name").orElse(""))) {
                List<String> values = new ArrayList<>();
                slot.child("ValueList").ifPresent(list -> list.children("Value").forEach(v -> v.nonBlankText().ifPresent(values::add)));
                return values;
            }
        }
        return List.of();
    }

    private static Optional<String> localizedString(XmlNode object, String element) {
        return object.child(element).flatMap(n -> n.child("LocalizedString")).flatMap(s -> s.nonBlankAttribute("value"));
    }

    private static List<XmlNode> descendants(XmlNode node, String name) {
        List<XmlNode> found = new ArrayList<>();
        collect(node, name, found, 0);
        return found;
    }

    private static void collect(XmlNode node, String name, List<XmlNode> found, int depth) {
        if (node.name().equals(name)) {
            found.add(node);
            return;
        }
        if (depth > 16) {
            return;
        }
        for (XmlNode child : node.children()) {
            collect(child, name, found, depth + 1);
        }
    }

    private static Optional<Long> parseLong(String value) {
        try {
            return Optional.of(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String printable(String value) {
        String cut = value.length() > 80 ? value.substring(0, 80) + "…" : value;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
