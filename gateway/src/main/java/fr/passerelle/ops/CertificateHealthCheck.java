package fr.passerelle.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import fr.passerelle.signature.CertificateWatch;

/**
 * Health of the communes' signing certificates: DOWN while one is expired or not yet valid (its
 * flows wait BLOCKED), DEGRADED (Camel's state UP) while one expires soon, UP otherwise. The
 * {@code reason} detail names each commune with why and when its certificate expires; the
 * {@code expiring.<commune>} details give the days left.
 */
public final class CertificateHealthCheck extends AbstractHealthCheck {

    private final CertificateWatch watch;

    public CertificateHealthCheck(CertificateWatch watch) {
        super("passerelle", "signing-certificates");
        this.watch = watch;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        List<String> unusable = new ArrayList<>();
        List<String> expiring = new ArrayList<>();
        for (CertificateWatch.State s : watch.states().values()) {
            if (!s.usable()) {
                String why;
                if (s.notAfter() == null) {
                    why = "illisible : " + s.problem();
                } else if (s.problem() != null && s.problem().startsWith("expired")) {
                    why = "expiré le " + s.notAfter();
                } else {
                    why = "valable seulement à partir du " + s.notBefore() + " (expire le " + s.notAfter() + ")";
                }
                unusable.add("certificat de signature de " + s.commune() + " inutilisable, " + why);
            } else if (s.expiringSoon()) {
                builder.detail("expiring." + s.commune(), s.daysLeft() + " days (" + s.notAfter() + ")");
                expiring.add("certificat de signature de " + s.commune() + " expire le " + s.notAfter()
                        + " (dans " + s.daysLeft() + " jours)");
            }
        }
        if (!unusable.isEmpty()) {
            unusable.addAll(expiring);
            HealthReasons.downIf(builder, unusable);
        } else {
            HealthReasons.degradedIf(builder, expiring);
        }
    }
}
