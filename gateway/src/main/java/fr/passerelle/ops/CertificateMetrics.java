package fr.passerelle.ops;

import java.util.Collection;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import fr.passerelle.signature.CertificateWatch;
import fr.passerelle.tenant.Commune;

/** passerelle_certificate_days_left{commune}: days before each commune's signing certificate expires. */
public final class CertificateMetrics {

    private CertificateMetrics() {
    }

    public static void register(MeterRegistry meters, CertificateWatch watch, Collection<Commune> communes) {
        for (Commune commune : communes) {
            Gauge.builder("passerelle_certificate_days_left", watch, w -> {
                CertificateWatch.State s = w.states().get(commune.id());
                return s == null || s.notAfter() == null ? Double.NaN : s.daysLeft();
            }).description("Days before the commune's signing certificate expires").tag("commune", commune.id())
                    .register(meters);
        }
    }
}
