package fr.mssante.operator.directory.fhir;

/** The FHIR API answered with an error (OperationOutcome) or something unreadable. */
public class FhirException extends Exception {

    private final int status;

    public FhirException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
