package fr.passerelle.ops;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import fr.passerelle.treasury.TreasuryWatch;

/**
 * The treasury side as health sees it. Camel's health knows UP and DOWN only, and a flow waiting
 * for its acquittement is no reason for an orchestrator to restart the gateway: the check stays UP
 * and says "state: DEGRADED" with the reason in its details; GET /api/v1/ops/status turns that into
 * an overall DEGRADED.
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
        builder.detail("state", watch.degraded() ? "DEGRADED" : "UP");
        builder.detail("unacknowledged", watch.unacknowledgedCount());
        builder.detail("quarantinedReturns", watch.quarantinedCount());
        if (watch.degraded()) {
            builder.message("DEGRADED: " + watch.summary());
        }
        builder.up();
    }
}
