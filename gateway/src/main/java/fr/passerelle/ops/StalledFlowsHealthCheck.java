package fr.passerelle.ops;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import fr.passerelle.flow.FlowRecovery;
import fr.passerelle.flow.FlowStatus;

/**
 * Flows that make no progress: DEGRADED with how many, in which states, and the oldest (the list is
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
        builder.detail("stalled", total);
        if (total == 0) {
            HealthReasons.degradedIf(builder, List.of());
            return;
        }
        String reason = total + " flux sans progrès depuis plus de " + recovery.stalledAfter().toMinutes() + " min ("
                + stalled.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "))
                + ") : GET /api/v1/flows?stalled=true";
        String oldest = recovery.oldestStalled()
                .map(o -> "le plus ancien, " + o.flowId() + " (" + o.status() + "), immobile depuis " + o.since())
                .orElse(null);
        HealthReasons.degradedIf(builder, oldest == null ? List.of(reason) : List.of(reason, oldest));
    }
}
