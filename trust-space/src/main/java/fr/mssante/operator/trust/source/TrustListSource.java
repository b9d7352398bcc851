package fr.mssante.operator.trust.source;

import java.io.IOException;

/** Where the liste blanche is read from. */
public interface TrustListSource {
    /** Reads the whole document. */
    FetchedDocument fetch() throws IOException;

    /** The file path or URL, for logs and the refresh history. */
    String describe();
}
