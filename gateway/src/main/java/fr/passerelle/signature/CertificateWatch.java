package fr.passerelle.signature;

import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.passerelle.tenant.Commune;

/**
 * Watches the communes' signing certificates so that nobody learns of an expiry from Hélios: each
 * {@link #check()} reads every commune's certificate and says whether it can sign now and
 * whether it expires within the warning delay. A commune whose keystore cannot be read counts
 * as not usable (its flows would wait BLOCKED). Passwords are read, never logged.
 */
public final class CertificateWatch {

    private static final Logger LOG = LoggerFactory.getLogger(CertificateWatch.class);

    /** One commune's certificate at the last check; {@code problem} says why it is not usable. */
    public record State(String commune, String subject, Instant notBefore, Instant notAfter, long daysLeft,
                        boolean usable, boolean expiringSoon, String problem) {
    }

    private final List<Commune> communes;
    private final boolean demoKeys;
    private final Path keysDir;
    private final CommuneKeyStore keyStore;
    private final Duration warning;
    private final Clock clock;
    private volatile Map<String, State> states = Map.of();

    /** Keystores are {@code keysDir} resolved with each commune's signingKey. */
    public CertificateWatch(Collection<Commune> communes, Path keysDir, CommuneKeyStore keyStore, Duration warning,
                            Clock clock) {
        this(communes, keysDir, keyStore, warning, clock, false);
    }

    /**
     * @param demoKeys true when a missing keystore is made at the commune's first signature (demo
     *                 keys): such a commune is not watched until it has one
     */
    public CertificateWatch(Collection<Commune> communes, Path keysDir, CommuneKeyStore keyStore, Duration warning,
                            Clock clock, boolean demoKeys) {
        this.demoKeys = demoKeys;
        this.communes = List.copyOf(communes);
        this.keysDir = keysDir;
        this.keyStore = keyStore;
        this.warning = warning;
        this.clock = clock;
    }

    /** Reads every certificate again, logs those expiring or unusable, and returns the states by commune id. */
    public Map<String, State> check() {
        Instant now = clock.instant();
        Map<String, State> result = new LinkedHashMap<>();
        for (Commune commune : communes) {
            if (demoKeys && !java.nio.file.Files.exists(keysDir.resolve(commune.signingKey()))) {
                continue;
            }
            State state = state(commune, now);
            result.put(commune.id(), state);
            if (!state.usable()) {
                LOG.warn("signing certificate of {} not usable: {}", commune.id(), state.problem());
            } else if (state.expiringSoon()) {
                LOG.warn("signing certificate of {} expires in {} days ({})", commune.id(), state.daysLeft(),
                        state.notAfter());
            }
        }
        states = Map.copyOf(result);
        return result;
    }

    /** The states of the last check (empty before the first). */
    public Map<String, State> states() {
        return states;
    }

    private State state(Commune commune, Instant now) {
        Path keystore = keysDir.resolve(commune.signingKey());
        X509Certificate cert;
        try {
            cert = keyStore.load(commune.id(), keystore).certificate();
        } catch (IOException | RuntimeException e) {
            return new State(commune.id(), null, null, null, 0, false, false, e.getMessage());
        }
        long days = CertificateExpiry.daysLeft(cert, now);
        boolean usable = CertificateExpiry.validAt(cert, now);
        String problem = null;
        if (!usable) {
            problem = now.isAfter(cert.getNotAfter().toInstant())
                    ? "expired on " + cert.getNotAfter().toInstant() : "not valid before " + cert.getNotBefore().toInstant();
        }
        return new State(commune.id(), CertificateExpiry.name(cert.getSubjectX500Principal()),
                cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant(), days, usable,
                usable && CertificateExpiry.expiringWithin(cert, warning, now), problem);
    }
}
