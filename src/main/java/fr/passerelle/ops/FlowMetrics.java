package fr.passerelle.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;

import fr.passerelle.flow.EmbeddedBroker;
import fr.passerelle.flow.FlowRecovery;
import fr.passerelle.flow.FlowStatus;
import fr.passerelle.flow.FlowStore;

/**
 * Business metrics next to Camel's route metrics: flows per commune and status (refreshed by the
 * ops route, not on every scrape, so a slow database never slows Prometheus down) and the depth
 * of each durable queue of the embedded broker.
 */
public final class FlowMetrics {

    private final FlowStore flows;
    private final FlowRecovery recovery;
    private final MultiGauge flowsByStatus;
    private final MultiGauge stalledByStatus;

    public FlowMetrics(MeterRegistry registry, FlowStore flows, FlowRecovery recovery, EmbeddedBroker broker,
                       List<String> queues) {
        this.flows = flows;
        this.recovery = recovery;
        this.flowsByStatus = MultiGauge.builder("passerelle_flows")
                .description("Flows per commune and status").register(registry);
        this.stalledByStatus = MultiGauge.builder("passerelle_flows_stalled")
                .description("Flows unchanged for longer than passerelle.recovery.stalled-after in a non-final state")
                .register(registry);
        if (broker != null) {
            for (String queue : queues) {
                Gauge.builder("passerelle_queue_depth", broker, b -> b.depth(queue))
                        .description("Messages waiting in a durable queue").tag("queue", queue).register(registry);
            }
        }
    }

    public void refresh() {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (Map.Entry<String, Map<FlowStatus, Long>> commune : flows.countByCommuneAndStatus().entrySet()) {
            String id = commune.getKey().isEmpty() ? "(unrouted)" : commune.getKey();
            for (Map.Entry<FlowStatus, Long> count : commune.getValue().entrySet()) {
                rows.add(MultiGauge.Row.of(Tags.of("commune", id, "status", count.getKey().name()), count.getValue()));
            }
        }
        flowsByStatus.register(rows, true);
        List<MultiGauge.Row<?>> stalled = new ArrayList<>();
        Map<FlowStatus, Long> stalledCounts = recovery.stalledCounts();
        for (FlowStatus status : FlowRecovery.NOT_FINAL) {
            stalled.add(MultiGauge.Row.of(Tags.of("status", status.name()), stalledCounts.getOrDefault(status, 0L)));
        }
        stalledByStatus.register(stalled, true);
    }
}
