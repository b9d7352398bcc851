package fr.mssante.operator.directory.publication;

/** Who receives an export; decides what happens to red-listed mailboxes and restricted data. */
public enum PublicationAudience {
    /**
     * The national directory (Annuaire Santé). Every publishable mailbox is sent, red-listed ones with
     * {@code listeRouge = true}: the IG's metadata extension carries that flag precisely so that the directory knows
     * the mailbox exists (and routes to it) but does not disclose it. Restricted data ({@code responsible}) included.
     */
    NATIONAL_DIRECTORY,
    /**
     * Anyone else (a public address book, a file given to a partner): red-listed mailboxes are left out entirely
     * and restricted data ({@code responsible}, marked "[DR]" in the IG) is not written.
     */
    PUBLIC
}
