package fr.passerelle.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;

import fr.passerelle.flow.BrokerTraffic;
import fr.passerelle.flow.DatabaseTraffic;
import fr.passerelle.flow.EmbeddedBroker;
import fr.passerelle.flow.FlowRecovery;
import fr.passerelle.flow.FlowStatus;
import fr.passerelle.flow.FlowStore;

/**
 * Business metrics next to Camel's route metrics: flows per commune and status (refreshed by the
 * ops route, not on every scrape, so a slow database never slows Prometheus down) and the depth
 * of each durable queue of the embedded broker, and what the gateway asks of its database.
 */
public final class FlowMetrics {

    private final FlowStore flows;
    private final FlowRecovery recovery;
    private final MultiGauge flowsByStatus;
    private final MultiGauge stalledByStatus;

    public FlowMetrics(MeterRegistry registry, FlowStore flows, FlowRecovery recovery, EmbeddedBroker broker,
                       List<String> queues, DatabaseTraffic database) {
        this.flows = flows;
        this.recovery = recovery;
        this.flowsByStatus = MultiGauge.builder("passerelle_flows")
                .description("Flows per commune and status").register(registry);
        this.stalledByStatus = MultiGauge.builder("passerelle_flows_stalled")
                .description("Flows unchanged for longer than passerelle.recovery.stalled-after in a non-final state")
                .register(registry);
        FunctionCounter.builder("passerelle_db_statements", database, DatabaseTraffic::statements)
                .description("SQL statements run (each row of a JDBC batch counts)").register(registry);
        FunctionCounter.builder("passerelle_db_round_trips", database, DatabaseTraffic::roundTrips)
                .description("Database round trips: statements run alone, JDBC batches, commits and rollbacks")
                .register(registry);
        FunctionCounter.builder("passerelle_db_commits", database, DatabaseTraffic::commits)
                .description("Durable commits: explicit commits and writes in auto-commit").register(registry);
        if (broker != null) {
            FunctionCounter.builder("passerelle_broker_durable_messages", broker.traffic(), BrokerTraffic::durableMessages)
                    .description("Durable messages routed by the embedded broker (each a journal record)").register(registry);
            FunctionCounter.builder("passerelle_broker_durable_bytes", broker.traffic(), BrokerTraffic::durableBytes)
                    .description("Persistent size of the durable messages routed by the embedded broker")
                    .baseUnit("bytes").register(registry);
            FunctionCounter.builder("passerelle_broker_acks", broker.traffic(), BrokerTraffic::acks)
                    .description("Acknowledgements of durable messages by the embedded broker (each a journal record)")
                    .register(registry);
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
