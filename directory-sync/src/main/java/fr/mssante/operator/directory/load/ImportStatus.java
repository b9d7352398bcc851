package fr.mssante.operator.directory.load;

public enum ImportStatus {
    /** Now the current data. */
    APPLIED,
    /** Loaded but refused by a safety rule; the current data is kept. */
    REJECTED,
    /** Could not be read or loaded; the current data is kept. */
    FAILED
}
