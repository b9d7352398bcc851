package fr.mssante.operator.directory.load;

/** Receives progress reports (about every 50,000 rows and at each phase change). */
@FunctionalInterface
public interface ImportListener {

    ImportListener NONE = progress -> { };

    void onProgress(ImportProgress progress);
}
