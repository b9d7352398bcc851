package fr.mssante.operator.directory.load;

/** How an import reached the database. */
public enum ImportMode {

    /**
     * A new generation table loaded whole, indexed, compared with the current one and switched in: the first import
     * of a dataset, a file whose header layout differs from the stored data's, or an operator's {@code --rebuild}.
     */
    FULL,

    /**
     * The daily case: the lines already stored byte for byte are only counted; the new and changed lines are loaded
     * into a staging table and applied to the current generation, with the removed ones, in one transaction.
     */
    INCREMENTAL
}
