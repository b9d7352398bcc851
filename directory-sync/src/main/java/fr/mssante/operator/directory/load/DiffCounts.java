package fr.mssante.operator.directory.load;

/** Entries (mailbox addresses, or professionals for the PS files) compared with the current import. */
public record DiffCounts(long previousKeys, long newKeys, long added, long removed, long changed) {

    public double vanishedRatio() {
        return previousKeys == 0 ? 0 : (double) removed / previousKeys;
    }
}
