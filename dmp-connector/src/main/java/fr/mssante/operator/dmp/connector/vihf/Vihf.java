package fr.mssante.operator.dmp.connector.vihf;

/** Namespaces and attribute names of the VIHF assertion (CI-SIS, as summarised in shared/notes/health-formats.md). */
public final class Vihf {
    public static final String SAML_NS = "urn:oasis:names:tc:SAML:2.0:assertion";
    public static final String WSSE_NS =
        "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
    public static final String XSI_NS = "http://www.w3.org/2001/XMLSchema-instance";
    public static final String XS_NS = "http://www.w3.org/2001/XMLSchema";
    public static final String XMLNS_NS = "http://www.w3.org/2000/xmlns/";
    public static final String HL7_NS = "urn:hl7-org:v3";

    public static final String SUBJECT_ID = "urn:oasis:names:tc:xspa:1.0:subject:subject-id";
    public static final String SUBJECT_ROLE = "urn:oasis:names:tc:xacml:2.0:subject:role";
    public static final String PURPOSE_OF_USE = "urn:oasis:names:tc:xspa:1.0:subject:purposeofuse";
    public static final String RESOURCE_ID = "urn:oasis:names:tc:xacml:2.0:resource:resource-id";
    public static final String VIHF_VERSION = "VIHF_Version";
    public static final String AUTHENTICATION_MODE = "Authentification_Mode";
    public static final String RESOURCE_URN = "Ressource_URN";
    public static final String SECTEUR_ACTIVITE = "Secteur_Activite";
    public static final String STRUCTURE_ID = "Identifiant_Structure";
    public static final String LPS_ID = "LPS_ID";
    public static final String LPS_NAME = "LPS_Nom";
    public static final String LPS_VERSION = "LPS_Version";
    public static final String LPS_HOMOLOGATION = "LPS_ID_HOMOLOGATION_DMP";

    private Vihf() {
    }
}
