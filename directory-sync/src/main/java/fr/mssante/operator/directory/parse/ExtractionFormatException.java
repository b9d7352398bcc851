package fr.mssante.operator.directory.parse;

/** The file cannot be imported at all (no header, unknown layout, missing required column). */
public class ExtractionFormatException extends Exception {

    public ExtractionFormatException(String message) {
        super(message);
    }
}
