package fr.passerelle.ops;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import fr.passerelle.treasury.TreasuryWatch;

/**
 * The treasury side as health sees it. Camel's health knows UP and DOWN only, and a flow waiting
 * for its acquittement, or a treasury server that does not answer, is no reason for an orchestrator
 * to restart the gateway: the check stays UP and says "state: DEGRADED" with its reasons in its
 * details (which endpoint does not answer and why, flows without acquittement, quarantined
 * returns); GET /api/v1/ops/status turns that into an overall DEGRADED.
 */
public final class TreasuryHealthCheck extends AbstractHealthCheck {

    public static final String ID = "treasury";
    private final TreasuryWatch watch;

    public TreasuryHealthCheck(TreasuryWatch watch) {
        super("passerelle", ID);
        this.watch = watch;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("unacknowledged", watch.unacknowledgedCount());
        builder.detail("quarantinedReturns", watch.quarantinedCount());
        HealthReasons.degradedIf(builder, watch.reasons());
    }
}
