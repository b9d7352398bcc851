package fr.mssante.operator.directory.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import fr.mssante.operator.directory.text.Normaliser;

/**
 * The extraction files we import, the columns we keep from each (found by header name), the columns we derive (folded
 * search columns), how a file is recognised from its header and which column identifies an entry for the diff.
 */
public enum Dataset {

    /** Extraction_Correspondance_MSSante: one line per MSSanté mailbox (BAL). */
    MAILBOX("mailbox", "address_key", List.of("kind", "address"), "adressebal",
        List.of(
            Column.of("kind", "Type de BAL"),
            Column.of("address", "Adresse BAL"),
            Column.of("id_type", "Type Identifiant PP"),
            Column.of("id_pp", "Identifiant PP"),
            Column.of("national_id", "Identification nationale PP"),
            Column.of("structure_id_type", "Type identifiant structure"),
            Column.of("structure_id", "Identification Structure"),
            Column.of("service", "Service de rattachement"),
            Column.of("civility", "Civilité d'exercice"),
            Column.of("last_name", "Nom d'exercice"),
            Column.of("first_name", "Prénom d'exercice"),
            Column.of("category_code", "Catégorie profession"),
            Column.of("category_label", "Libellé de catégorie profession", "Libellé catégorie profession"),
            Column.of("profession_code", "Code Profession"),
            Column.of("profession_label", "Libellé Profession"),
            Column.of("specialty_code", "Code savoir-faire"),
            Column.of("specialty_label", "Libellé savoir-faire"),
            Column.of("dematerialisation", "Dématérialisation"),
            Column.of("org_name", "Raison Sociale structure BAL"),
            Column.of("org_trade_name", "Enseigne commerciale structure BAL"),
            Column.of("addr_complement", "L2COMPLEMENTLOCALISATION"),
            Column.of("addr_distribution", "L3COMPLEMENTDISTRIBUTION"),
            Column.of("street_number", "L4NUMEROVOIE"),
            Column.of("street_number_ext", "L4COMPLEMENTNUMEROVOIE"),
            Column.of("street_type", "NL4TYPEVOIE", "L4TYPEVOIE"),
            Column.of("street_name", "L4LIBELLEVOIE"),
            Column.of("locality", "L5LIEUDITMENTION"),
            Column.of("delivery_line", "L6LIGNEACHEMINEMENT"),
            Column.of("postal_code", "Code postal"),
            Column.of("department", "Département"),
            Column.of("country", "Pays")),
        List.of("address_key", "city", "norm_name", "norm_last", "norm_first", "norm_city", "norm_profession",
            "norm_specialty", "norm_org")),

    /** PS_LibreAcces_Personne_activite: one line per activity of a health professional (52 or 56 columns). */
    ACTIVITY("activity", "national_id", List.of("national_id"), "codemodeexercice",
        Stream.concat(Stream.of(
            Column.of("id_type", "Type d'identifiant PP"),
            Column.of("id_pp", "Identifiant PP"),
            Column.of("national_id", "Identification nationale PP"),
            Column.of("civility_code", "Code civilité d'exercice"),
            Column.of("civility", "Libellé civilité d'exercice"),
            Column.of("last_name", "Nom d'exercice"),
            Column.of("first_name", "Prénom d'exercice"),
            Column.of("profession_code", "Code profession"),
            Column.of("profession_label", "Libellé profession"),
            Column.of("category_code", "Code catégorie professionnelle"),
            Column.of("category_label", "Libellé catégorie professionnelle"),
            Column.of("specialty_type_code", "Code type savoir-faire"),
            Column.of("specialty_type_label", "Libellé type savoir-faire"),
            Column.of("specialty_code", "Code savoir-faire"),
            Column.of("specialty_label", "Libellé savoir-faire"),
            Column.of("mode_code", "Code mode exercice"),
            Column.of("mode_label", "Libellé mode exercice"),
            Column.of("siret", "Numéro SIRET site"),
            Column.of("siren", "Numéro SIREN site"),
            Column.of("finess", "Numéro FINESS site"),
            Column.of("finess_legal", "Numéro FINESS établissement juridique"),
            Column.of("structure_tech_id", "Identifiant technique de la structure"),
            Column.of("org_name", "Raison sociale site"),
            Column.of("org_trade_name", "Enseigne commerciale site")),
            Stream.of(
            Column.of("addr_recipient", "Complément destinataire (coord. structure)"),
            Column.of("addr_complement", "Complément point géographique (coord. structure)"),
            Column.of("street_number", "Numéro Voie (coord. structure)"),
            Column.of("street_number_ext", "Indice répétition voie (coord. structure)"),
            Column.of("street_type_code", "Code type de voie (coord. structure)"),
            Column.of("street_type", "Libellé type de voie (coord. structure)"),
            Column.of("street_name", "Libellé Voie (coord. structure)"),
            Column.of("addr_distribution", "Mention distribution (coord. structure)"),
            Column.of("cedex", "Bureau cedex (coord. structure)"),
            Column.of("postal_code", "Code postal (coord. structure)"),
            Column.of("commune_code", "Code commune (coord. structure)"),
            Column.of("city", "Libellé commune (coord. structure)"),
            Column.of("country_code", "Code pays (coord. structure)"),
            Column.of("country", "Libellé pays (coord. structure)"),
            Column.of("phone", "Téléphone (coord. structure)"),
            Column.of("phone2", "Téléphone 2 (coord. structure)"),
            Column.of("fax", "Télécopie (coord. structure)"),
            Column.of("email", "Adresse e-mail (coord. structure)"),
            Column.of("department_code", "Code Département (structure)"),
            Column.of("department", "Libellé Département (structure)"),
            Column.of("former_structure_id", "Ancien identifiant de la structure"),
            Column.of("registration_authority", "Autorité d'enregistrement"),
            Column.of("sector_code", "Code secteur d'activité"),
            Column.of("sector_label", "Libellé secteur d'activité"),
            Column.of("pharma_section_code", "Code section tableau pharmaciens"),
            Column.of("pharma_section_label", "Libellé section tableau pharmaciens"),
            Column.of("role_code", "Code rôle", "Code fonction"),
            Column.of("role_label", "Libellé rôle", "Libellé fonction"),
            Column.of("activity_kind_code", "Code genre activité", "Code genre d'activité"),
            Column.of("activity_kind_label", "Libellé genre activité", "Libellé genre d'activité"))).toList(),
        List.of("norm_name", "norm_last", "norm_first", "norm_city", "norm_profession", "norm_specialty")),

    /** PS_LibreAcces_SavoirFaire: specialties, competences and qualifications per professional. */
    SKILL("skill", "national_id", List.of("national_id"), "codetypesavoirfaire",
        List.of(
            Column.of("id_type", "Type d'identifiant PP"),
            Column.of("id_pp", "Identifiant PP"),
            Column.of("national_id", "Identification nationale PP"),
            Column.of("last_name", "Nom d'exercice"),
            Column.of("first_name", "Prénom d'exercice"),
            Column.of("profession_code", "Code profession"),
            Column.of("profession_label", "Libellé profession"),
            Column.of("category_code", "Code catégorie professionnelle"),
            Column.of("category_label", "Libellé catégorie professionnelle"),
            Column.of("specialty_type_code", "Code type savoir-faire"),
            Column.of("specialty_type_label", "Libellé type savoir-faire"),
            Column.of("specialty_code", "Code savoir-faire"),
            Column.of("specialty_label", "Libellé savoir-faire")),
        List.of("norm_name")),

    /** PS_LibreAcces_Dipl_AutExerc: diplomas and practice authorisations per professional. */
    DIPLOMA("diploma", "national_id", List.of("national_id"), "codetypediplomeobtenu",
        List.of(
            Column.of("id_type", "Type d'identifiant PP"),
            Column.of("id_pp", "Identifiant PP"),
            Column.of("national_id", "Identification nationale PP"),
            Column.of("last_name", "Nom d'exercice"),
            Column.of("first_name", "Prénom d'exercice"),
            Column.of("diploma_type_code", "Code type diplôme obtenu"),
            Column.of("diploma_type_label", "Libellé type diplôme obtenu"),
            Column.of("diploma_code", "Code diplôme obtenu"),
            Column.of("diploma_label", "Libellé diplôme obtenu"),
            Column.of("authorisation_type_code", "Code type autorisation"),
            Column.of("authorisation_type_label", "Libellé type autorisation"),
            Column.of("discipline_code", "Code discipline autorisation"),
            Column.of("discipline_label", "Libellé discipline autorisation")),
        List.of("norm_name"));

    /**
     * The version of what {@link #derive} and the parser store for a line. An incremental import keeps the rows of
     * unchanged lines as they are, so it is only allowed over data stored with the same version (and header layout,
     * see {@link ParsedHeader#layout()}); change this number whenever a derived column or the kept columns change.
     */
    public static final int STORAGE_VERSION = 1;

    /** Last stored column: the fingerprint of the source line, compared by the diff. */
    public static final String ROW_HASH = "row_hash";

    private final String table;
    private final String diffKey;
    private final List<String> required;
    private final String signatureHeader;
    private final List<Column> columns;
    private final List<String> derived;

    Dataset(String table, String diffKey, List<String> required, String signatureHeader, List<Column> columns,
            List<String> derived) {
        this.table = table;
        this.diffKey = diffKey;
        this.required = required;
        this.signatureHeader = signatureHeader;
        this.columns = columns;
        this.derived = derived;
    }

    /** Base name of the tables: view {@code directory.<table>}, generations {@code directory.<table>_g<n>}. */
    public String table() {
        return table;
    }

    /** The column identifying an entry when two imports are compared. */
    public String diffKey() {
        return diffKey;
    }

    public List<String> requiredColumns() {
        return required;
    }

    public List<Column> columns() {
        return columns;
    }

    /** The columns computed from the file's (folded search columns, keys), without {@link #ROW_HASH}. */
    public List<String> derivedColumns() {
        return derived;
    }

    /** Every stored column: the file's, the derived ones (in {@link #derive}'s order), then {@link #ROW_HASH}. */
    public List<String> storedColumns() {
        List<String> all = new ArrayList<>();
        columns.forEach(c -> all.add(c.name()));
        all.addAll(derived);
        all.add(ROW_HASH);
        return all;
    }

    /**
     * Recognises the dataset of a file from its header keys ({@link HeaderName#key}); the most specific first, since
     * SavoirFaire's columns are a subset of Personne_activite's.
     */
    public static Optional<Dataset> recognise(Set<String> headerKeys) {
        for (Dataset d : List.of(MAILBOX, ACTIVITY, DIPLOMA, SKILL)) {
            if (headerKeys.contains(d.signatureHeader)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /** Column name -> index in the stored row. */
    public Map<String, Integer> storedIndex() {
        List<String> all = storedColumns();
        return IntStream.range(0, all.size()).boxed()
            .collect(Collectors.toMap(all::get, Function.identity()));
    }

    /**
     * Fills the derived columns of a row whose file columns are set. Returns an error message if the row is not
     * acceptable, or null.
     */
    String derive(RawRow row) {
        for (String name : required) {
            String v = row.get(name);
            if (v == null || v.isBlank()) {
                return "empty " + name;
            }
        }
        String first = row.get("first_name");
        String last = row.get("last_name");
        String personName = join(first, last);
        switch (this) {
            case MAILBOX -> {
                String address = row.get("address");
                int at = address.indexOf('@');
                if (at <= 0 || at == address.length() - 1) {
                    return "invalid mailbox address";
                }
                String city = cityOf(row.get("delivery_line"), row.get("postal_code"));
                String orgName = join(row.get("org_name"), row.get("service"));
                row.set("address_key", addressKey(address));
                row.set("city", city);
                String normLast = Normaliser.foldOrNull(last);
                String normFirst = Normaliser.foldOrNull(first);
                row.set("norm_name", personName.isEmpty() ? Normaliser.foldOrNull(orgName)
                    : emptyToNull(join(normFirst, normLast)));
                row.set("norm_last", normLast);
                row.set("norm_first", normFirst);
                row.set("norm_city", Normaliser.foldOrNull(city));
                row.set("norm_profession", Normaliser.foldOrNull(row.get("profession_label")));
                row.set("norm_specialty", Normaliser.foldOrNull(row.get("specialty_label")));
                row.set("norm_org", Normaliser.foldOrNull(join(row.get("org_name"), row.get("org_trade_name"))));
            }
            case ACTIVITY -> {
                String normLast = Normaliser.foldOrNull(last);
                String normFirst = Normaliser.foldOrNull(first);
                row.set("norm_name", emptyToNull(join(normFirst, normLast)));
                row.set("norm_last", normLast);
                row.set("norm_first", normFirst);
                row.set("norm_city", Normaliser.foldOrNull(row.get("city")));
                row.set("norm_profession", Normaliser.foldOrNull(row.get("profession_label")));
                row.set("norm_specialty", Normaliser.foldOrNull(row.get("specialty_label")));
            }
            default -> row.set("norm_name", Normaliser.foldOrNull(personName));
        }
        return null;
    }

    /** The lookup key of a mailbox address: the address lower-cased (addresses compare case-insensitively). */
    static String addressKey(String address) {
        return address.toLowerCase(Locale.ROOT);
    }

    /** "75014 PARIS CEDEX 14" -> "PARIS"; falls back to the whole line without the postal code. */
    static String cityOf(String deliveryLine, String postalCode) {
        if (deliveryLine == null || deliveryLine.isBlank()) {
            return null;
        }
        String s = deliveryLine.trim();
        if (postalCode != null && !postalCode.isBlank() && s.startsWith(postalCode.trim())) {
            s = s.substring(postalCode.trim().length()).trim();
        } else if (s.length() > 6 && s.substring(0, 5).chars().allMatch(Character::isDigit) && s.charAt(5) == ' ') {
            s = s.substring(6).trim();
        }
        int cedex = s.toUpperCase(Locale.ROOT).indexOf(" CEDEX");
        if (cedex > 0) {
            s = s.substring(0, cedex).trim();
        }
        return s.isEmpty() ? null : s;
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }

    /** "a b" from two optional parts; fold(a + " " + b) equals join(fold(a), fold(b)). */
    private static String join(String a, String b) {
        String x = a == null ? "" : a.trim();
        String y = b == null ? "" : b.trim();
        return (x + " " + y).trim();
    }
}
