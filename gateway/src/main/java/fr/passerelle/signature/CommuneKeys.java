package fr.passerelle.signature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import fr.passerelle.tenant.Commune;

/**
 * The signing keys of the communes, loaded from their PKCS#12 (tenants.yaml signingKey, relative
 * to the data folder) and kept while the file is unchanged: replacing a commune's keystore takes
 * effect at its next signature, without restart. Demo communes get a self-signed key the first
 * time one is needed when demo keys are enabled (one at a time, so that two threads never make two
 * different keys for one commune).
 */
public final class CommuneKeys {

    private record Loaded(long modified, SigningKey key) {
    }

    private final Path dataDir;
    private final CommuneKeyStore store;
    private final boolean demoKeys;
    private final Map<String, Loaded> cache = new ConcurrentHashMap<>();

    public CommuneKeys(Path dataDir, CommuneKeyStore store, boolean demoKeys) {
        this.dataDir = dataDir;
        this.store = store;
        this.demoKeys = demoKeys;
    }

    public Path keystore(Commune commune) {
        return dataDir.resolve(commune.signingKey());
    }

    /** The commune's key, creating the demo key when allowed and missing. */
    public synchronized SigningKey key(Commune commune) throws IOException {
        Path keystore = keystore(commune);
        if (demoKeys) {
            DemoKeys.ensure(commune.id(), commune.name(), keystore);
        }
        long modified = Files.getLastModifiedTime(keystore).toMillis();
        Loaded loaded = cache.get(commune.id());
        if (loaded == null || loaded.modified() != modified) {
            loaded = new Loaded(modified, store.load(commune.id(), keystore));
            cache.put(commune.id(), loaded);
        }
        return loaded.key();
    }

    /** Demo keys for the communes that have none yet, when demo keys are enabled; answers how many were made. */
    public synchronized int ensureDemoKeys(java.util.Collection<Commune> communes) throws IOException {
        int made = 0;
        if (demoKeys) {
            for (Commune commune : communes) {
                if (DemoKeys.ensure(commune.id(), commune.name(), keystore(commune))) {
                    made++;
                }
            }
        }
        return made;
    }
}
