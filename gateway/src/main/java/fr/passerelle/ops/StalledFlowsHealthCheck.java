package fr.passerelle.ops;

import java.util.Map;
import java.util.stream.Collectors;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import fr.passerelle.flow.FlowRecovery;
import fr.passerelle.flow.FlowStatus;

/**
 * Flows that make no progress: DEGRADED with how many and in which states (the list is
 * GET /api/v1/flows?stalled=true). Like the treasury check, it stays UP for an orchestrator: a
 * restart would not move those flows, an operator must look at them.
 */
public final class StalledFlowsHealthCheck extends AbstractHealthCheck {

    private final FlowRecovery recovery;

    public StalledFlowsHealthCheck(FlowRecovery recovery) {
        super("passerelle", "stalled-flows");
        this.recovery = recovery;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Map<FlowStatus, Long> stalled = recovery.stalledCounts();
        long total = stalled.values().stream().mapToLong(Long::longValue).sum();
        builder.detail("state", total == 0 ? "UP" : "DEGRADED");
        builder.detail("stalled", total);
        if (total > 0) {
            builder.message("DEGRADED: " + total + " flux sans progrès depuis plus de "
                    + recovery.stalledAfter().toMinutes() + " min (" + stalled.entrySet().stream()
                    .map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "))
                    + ") : GET /api/v1/flows?stalled=true");
        }
        builder.up();
    }
}
