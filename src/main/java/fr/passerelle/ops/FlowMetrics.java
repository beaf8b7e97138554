package fr.passerelle.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;

import fr.passerelle.flow.EmbeddedBroker;
import fr.passerelle.flow.FlowStatus;
import fr.passerelle.flow.FlowStore;

/**
 * Business metrics next to Camel's route metrics: flows per commune and status (refreshed by the
 * ops route, not on every scrape, so a slow database never slows Prometheus down) and the depth
 * of each durable queue of the embedded broker.
 */
public final class FlowMetrics {

    private final FlowStore flows;
    private final MultiGauge flowsByStatus;

    public FlowMetrics(MeterRegistry registry, FlowStore flows, EmbeddedBroker broker, List<String> queues) {
        this.flows = flows;
        this.flowsByStatus = MultiGauge.builder("passerelle_flows")
                .description("Flows per commune and status").register(registry);
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
    }
}
