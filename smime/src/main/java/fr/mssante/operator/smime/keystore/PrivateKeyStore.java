package fr.mssante.operator.smime.keystore;

import java.util.List;

/** Keys held for our mailboxes (decryption, signing). */
public interface PrivateKeyStore {
    /** Every key of a mailbox, newest first (expired ones included: old mail is still to be decrypted). */
    List<KeyEntry> keysFor(String owner);
}
