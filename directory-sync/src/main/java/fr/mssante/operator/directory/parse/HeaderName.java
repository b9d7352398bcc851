package fr.mssante.operator.directory.parse;

import fr.mssante.operator.directory.text.Normaliser;

/** Comparison key of a header name: "Libellé civilité d'exercice" and "LIBELLE CIVILITE D EXERCICE" are equal. */
public final class HeaderName {

    private HeaderName() {
    }

    public static String key(String header) {
        return Normaliser.fold(header).replace(" ", "");
    }
}
