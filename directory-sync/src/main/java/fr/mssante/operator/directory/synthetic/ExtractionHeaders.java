package fr.mssante.operator.directory.synthetic;

import java.util.List;
import java.util.stream.Stream;

/**
 * Header lines of the Annuaire Santé extraction files as published (transcribed in
 * shared/notes/health-formats.md §1), each ending with the trailing '|'.
 */
public final class ExtractionHeaders {

    public static final List<String> MSSANTE = List.of("Type de BAL", "Adresse BAL", "Type Identifiant PP",
        "Identifiant PP", "Identification nationale PP", "Type identifiant structure", "Identification Structure",
        "Service de rattachement", "Civilité d'exercice", "Nom d'exercice", "Prénom d'exercice",
        "Catégorie profession", "Libellé de catégorie profession", "Code Profession", "Libellé Profession",
        "Code savoir-faire", "Libellé savoir-faire", "Dématérialisation", "Raison Sociale structure BAL",
        "Enseigne commerciale structure BAL", "L2COMPLEMENTLOCALISATION", "L3COMPLEMENTDISTRIBUTION", "L4NUMEROVOIE",
        "L4COMPLEMENTNUMEROVOIE", "NL4TYPEVOIE", "L4LIBELLEVOIE", "L5LIEUDITMENTION", "L6LIGNEACHEMINEMENT",
        "Code postal", "Département", "Pays");

    private static final List<String> ADDRESS = List.of("Complément destinataire", "Complément point géographique",
        "Numéro Voie", "Indice répétition voie", "Code type de voie", "Libellé type de voie", "Libellé Voie",
        "Mention distribution", "Bureau cedex", "Code postal", "Code commune", "Libellé commune", "Code pays",
        "Libellé pays", "Téléphone", "Téléphone 2", "Télécopie", "Adresse e-mail");

    /** The older 52-column Personne_activite. */
    public static final List<String> PERSONNE_ACTIVITE_52 = personneActivite52();

    /** The newer 56-column Personne_activite. */
    public static final List<String> PERSONNE_ACTIVITE_56 = concat(PERSONNE_ACTIVITE_52,
        List.of("Code rôle", "Libellé rôle", "Code genre activité", "Libellé genre activité"));

    private static final List<String> PERSON = List.of("Type d'identifiant PP", "Identifiant PP",
        "Identification nationale PP", "Nom d'exercice", "Prénom d'exercice");

    public static final List<String> SAVOIR_FAIRE = concat(PERSON, List.of("Code profession", "Libellé profession",
        "Code catégorie professionnelle", "Libellé catégorie professionnelle", "Code type savoir-faire",
        "Libellé type savoir-faire", "Code savoir-faire", "Libellé savoir-faire"));

    public static final List<String> DIPL_AUT_EXERC = concat(PERSON, List.of("Code type diplôme obtenu",
        "Libellé type diplôme obtenu", "Code diplôme obtenu", "Libellé diplôme obtenu", "Code type autorisation",
        "Libellé type autorisation", "Code discipline autorisation", "Libellé discipline autorisation"));

    private ExtractionHeaders() {
    }

    /** The header line: names joined by '|', with the trailing '|'. */
    public static String line(List<String> names) {
        return String.join("|", names) + "|";
    }

    private static List<String> personneActivite52() {
        List<String> start = List.of("Type d'identifiant PP", "Identifiant PP", "Identification nationale PP",
            "Code civilité d'exercice", "Libellé civilité d'exercice", "Code civilité", "Libellé civilité",
            "Nom d'exercice", "Prénom d'exercice", "Code profession", "Libellé profession",
            "Code catégorie professionnelle", "Libellé catégorie professionnelle", "Code type savoir-faire",
            "Libellé type savoir-faire", "Code savoir-faire", "Libellé savoir-faire", "Code mode exercice",
            "Libellé mode exercice", "Numéro SIRET site", "Numéro SIREN site", "Numéro FINESS site",
            "Numéro FINESS établissement juridique", "Identifiant technique de la structure", "Raison sociale site",
            "Enseigne commerciale site");
        List<String> address = ADDRESS.stream().map(a -> a + " (coord. structure)").toList();
        List<String> end = List.of("Code Département (structure)", "Libellé Département (structure)",
            "Ancien identifiant de la structure", "Autorité d'enregistrement", "Code secteur d'activité",
            "Libellé secteur d'activité", "Code section tableau pharmaciens", "Libellé section tableau pharmaciens");
        return concat(concat(start, address), end);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }
}
