package fr.mssante.operator.smime.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import fr.mssante.operator.smime.keystore.KeyEntry;
import fr.mssante.operator.smime.keystore.PrivateKeyStore;

/** In-memory key store for tests. */
public final class MapKeyStore implements PrivateKeyStore {
    private final Map<String, List<KeyEntry>> keys = new HashMap<>();

    public MapKeyStore put(String owner, TestPki.Issued issued) {
        keys.computeIfAbsent(owner, o -> new ArrayList<>()).add(issued.entry(owner));
        return this;
    }

    @Override
    public List<KeyEntry> keysFor(String owner) {
        return keys.getOrDefault(owner, List.of());
    }
}
