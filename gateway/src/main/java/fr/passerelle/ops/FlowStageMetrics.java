package fr.passerelle.ops;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import fr.passerelle.flow.FlowStatus;
import fr.passerelle.flow.Transition;

/**
 * Counts every flow's passage through each stage and times it, from the flow store's transition
 * events (see {@link fr.passerelle.flow.TransitionEvents#onTransition}): no read of its own, so the
 * hottest path pays only a counter increment. Each invoice a PES flow carries counts on its own.
 *
 * <ul>
 * <li>{@code passerelle_flows_received_total{commune,channel,kind}}: files recorded at intake</li>
 * <li>{@code passerelle_flows_<stage>_total{commune,channel,kind,outcome}} for validated, packed,
 * signed, sent and acknowledged: the flows leaving that stage, outcome accepted, rejected, blocked or
 * failed</li>
 * <li>{@code passerelle_stage_seconds{stage,kind}}: how long flows waited in a stage (time in the
 * status they left; for an invoice reaching the treasury, since it was packed)</li>
 * <li>{@code passerelle_flow_intake_to_transmitted_seconds{kind}}: from intake to the treasury's
 * reception (SENT)</li>
 * </ul>
 * commune is "" for an unrouted flow and "unknown" for one this node never read (recorded by
 * another node and moved here without a read); kind is invoice or pes.
 */
public final class FlowStageMetrics implements Consumer<Transition> {

    /** The stage a flow leaves by the status it leaves, and the name of its counter. */
    private static final Map<FlowStatus, String[]> STAGES = Map.of(
            FlowStatus.RECEIVED, new String[] {"validation", "passerelle_flows_validated"},
            FlowStatus.VALIDATED, new String[] {"packing", "passerelle_flows_packed"},
            FlowStatus.PACKED, new String[] {"signature", "passerelle_flows_signed"},
            FlowStatus.BLOCKED, new String[] {"signature", "passerelle_flows_signed"},
            FlowStatus.SIGNED, new String[] {"transmission", "passerelle_flows_sent"},
            FlowStatus.SENT, new String[] {"acknowledgement", "passerelle_flows_acknowledged"});

    /** Bounds of the stage histogram: a validation takes a fraction of a second, a PES batch waits minutes, an acquittement hours. */
    private static final Duration[] STAGE_SLOS = {Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(5),
            Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofHours(4), Duration.ofHours(24)};
    /** Bounds of the intake → treasury histogram: the PES batch wait (a minute by default) and the transmission windows dominate. */
    private static final Duration[] TRANSMITTED_SLOS = {Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(15),
            Duration.ofHours(1), Duration.ofHours(4), Duration.ofHours(12), Duration.ofHours(24), Duration.ofHours(48)};

    private final MeterRegistry meters;
    /** The meters already registered, by name and tag values: a transition then pays a map lookup, not a registration. */
    private final Map<List<String>, Counter> counters = new ConcurrentHashMap<>();
    private final Map<List<String>, Timer> timers = new ConcurrentHashMap<>();

    public FlowStageMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    @Override
    public void accept(Transition t) {
        String kind = kind(t.format());
        if (t.from() == null) {
            if (!t.built()) {
                String commune = commune(t);
                String channel = channel(t);
                counters.computeIfAbsent(List.of("passerelle_flows_received", commune, channel, kind),
                        k -> Counter.builder("passerelle_flows_received").description("Files recorded at intake")
                                .tags("commune", commune, "channel", channel, "kind", kind).register(meters))
                        .increment();
            }
            return;
        }
        // an invoice leaves PACKED when its PES flow reaches the treasury: that is a transmission
        String[] stage = t.to() == FlowStatus.SENT ? STAGES.get(FlowStatus.SIGNED) : STAGES.get(t.from());
        if (stage == null) {
            return; // routing (UNROUTED → RECEIVED) and an operator's replay (FAILED → SIGNED) end no stage
        }
        String commune = commune(t);
        String channel = channel(t);
        String outcome = outcome(t.to());
        counters.computeIfAbsent(List.of(stage[1], commune, channel, kind, outcome),
                k -> Counter.builder(stage[1]).description("Flows that left the " + stage[0] + " stage, by outcome")
                        .tags("commune", commune, "channel", channel, "kind", kind, "outcome", outcome)
                        .register(meters))
                .increment();
        if (t.since() != null) {
            timers.computeIfAbsent(List.of("passerelle_stage", stage[0], kind),
                    k -> Timer.builder("passerelle_stage").description("Time flows spent in a stage (in the status they left)")
                            .tags("stage", stage[0], "kind", kind).publishPercentileHistogram()
                            .serviceLevelObjectives(STAGE_SLOS).minimumExpectedValue(Duration.ofMillis(10))
                            .maximumExpectedValue(Duration.ofDays(2)).register(meters))
                    .record(Duration.between(t.since(), t.at()));
        }
        if (t.to() == FlowStatus.SENT && t.receivedAt() != null) {
            timers.computeIfAbsent(List.of("passerelle_flow_intake_to_transmitted", kind),
                    k -> Timer.builder("passerelle_flow_intake_to_transmitted")
                            .description("From a file's intake to its reception by the treasury")
                            .tags("kind", kind).publishPercentileHistogram().serviceLevelObjectives(TRANSMITTED_SLOS)
                            .minimumExpectedValue(Duration.ofSeconds(1)).maximumExpectedValue(Duration.ofDays(4))
                            .register(meters))
                    .record(Duration.between(t.receivedAt(), t.at()));
        }
    }

    private static String outcome(FlowStatus to) {
        return switch (to) {
            case REJECTED, REFUSED -> "rejected";
            case BLOCKED -> "blocked";
            case FAILED -> "failed";
            default -> "accepted";
        };
    }

    private static String commune(Transition t) {
        return t.communeId() != null ? t.communeId() : t.known() ? "" : "unknown";
    }

    private static String channel(Transition t) {
        return t.channel() != null ? t.channel() : "unknown";
    }

    private static String kind(String format) {
        return format == null ? "unknown" : format.startsWith("PES") ? "pes" : "invoice";
    }
}
