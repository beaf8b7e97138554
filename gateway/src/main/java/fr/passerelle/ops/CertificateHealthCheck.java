package fr.passerelle.ops;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import fr.passerelle.signature.CertificateWatch;

/**
 * Health of the communes' signing certificates: DOWN while one is expired or not yet valid (its
 * flows wait BLOCKED), UP otherwise; with ?exposureLevel=full the details name each commune
 * whose certificate expires soon, with its days left.
 */
public final class CertificateHealthCheck extends AbstractHealthCheck {

    private final CertificateWatch watch;

    public CertificateHealthCheck(CertificateWatch watch) {
        super("passerelle", "signing-certificates");
        this.watch = watch;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        StringBuilder unusable = new StringBuilder();
        for (CertificateWatch.State s : watch.states().values()) {
            if (!s.usable()) {
                unusable.append(unusable.length() == 0 ? "" : ", ").append(s.commune());
            } else if (s.expiringSoon()) {
                builder.detail("expiring." + s.commune(), s.daysLeft() + " days (" + s.notAfter() + ")");
            }
        }
        if (unusable.length() > 0) {
            builder.down().message("signing certificate not usable for: " + unusable);
        } else {
            builder.up();
        }
    }
}
