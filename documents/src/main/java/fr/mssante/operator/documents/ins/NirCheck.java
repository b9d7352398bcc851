package fr.mssante.operator.documents.ins;

/**
 * Outcome of {@link Nir#check(String)}.
 *
 * @param status      VALID or why not
 * @param expectedKey the key the first 13 characters call for ({@code -1} when they are not a number)
 * @param provisional first digit 7 or 8: a provisional number (NIA) [assumed from the NIR structure]
 */
public record NirCheck(Status status, int expectedKey, boolean provisional) {
    public enum Status {
        VALID,
        WRONG_LENGTH,
        INVALID_CHARACTERS,
        WRONG_KEY
    }

    public boolean valid() {
        return status == Status.VALID;
    }
}
