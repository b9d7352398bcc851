package fr.mssante.operator.directory.load;

/**
 * Safety rules and storage mode of an import.
 *
 * @param maxVanishedRatio reject when more than this share of the current entries (keys) would disappear (0.20)
 * @param maxMalformedRatio reject when more than this share of the data lines are malformed (0.01)
 * @param unloggedTables load full imports into UNLOGGED generation tables: faster, but PostgreSQL empties them after
 *                       a crash (the directory is then empty until the next import). Default false: crash-safe tables.
 * @param force apply even when a safety rule says no (an operator who checked the file)
 * @param rebuild load a whole new generation even when the file could be applied incrementally ({@link ImportMode})
 */
public record ImportOptions(double maxVanishedRatio, double maxMalformedRatio, boolean unloggedTables, boolean force,
                            boolean rebuild) {

    public static ImportOptions defaults() {
        return new ImportOptions(0.20, 0.01, false, false, false);
    }

    public ImportOptions withForce(boolean value) {
        return new ImportOptions(maxVanishedRatio, maxMalformedRatio, unloggedTables, value, rebuild);
    }

    public ImportOptions withUnloggedTables(boolean value) {
        return new ImportOptions(maxVanishedRatio, maxMalformedRatio, value, force, rebuild);
    }

    public ImportOptions withMaxVanishedRatio(double value) {
        return new ImportOptions(value, maxMalformedRatio, unloggedTables, force, rebuild);
    }

    public ImportOptions withRebuild(boolean value) {
        return new ImportOptions(maxVanishedRatio, maxMalformedRatio, unloggedTables, force, value);
    }
}
