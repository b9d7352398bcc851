package fr.mssante.operator.dmp.standin.vihf;

/** The VIHF is missing, badly signed, untrusted, expired or incomplete; the message says which. */
public class VihfException extends Exception {
    public VihfException(String message) {
        super(message);
    }

    public VihfException(String message, Throwable cause) {
        super(message, cause);
    }
}
