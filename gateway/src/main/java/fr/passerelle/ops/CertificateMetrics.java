package fr.passerelle.ops;

import java.util.Collection;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import fr.passerelle.signature.CertificateWatch;
import fr.passerelle.tenant.Commune;

/**
 * passerelle_signing_certificate_expiry_timestamp_seconds{commune}: when each commune's signing
 * certificate expires, in seconds since the epoch (a base unit: the alert computes "expires within
 * N days" as {@code (metric - time()) / 86400}); NaN while the commune has no certificate.
 */
public final class CertificateMetrics {

    private CertificateMetrics() {
    }

    public static void register(MeterRegistry meters, CertificateWatch watch, Collection<Commune> communes) {
        for (Commune commune : communes) {
            Gauge.builder("passerelle_signing_certificate_expiry_timestamp_seconds", watch, w -> {
                CertificateWatch.State s = w.states().get(commune.id());
                return s == null || s.notAfter() == null ? Double.NaN : s.notAfter().getEpochSecond();
            }).description("When the commune's signing certificate expires, seconds since the epoch")
                    .tag("commune", commune.id()).register(meters);
        }
    }
}
