package fr.passerelle.pes;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Decides which PJ flows to build now from the invoices waiting for each commune: a batch closes
 * when it reaches the count limit, when the next invoice would push the flow past the size limit,
 * or when its oldest invoice has waited long enough. A batch never mixes communes (each commune
 * answers for its own data). Pure logic: the caller keeps the queue and builds the flows.
 */
public final class PjBatcher {

    /** The Enveloppe, EnTetePES and PES_PJ header around the PJ, rounded up. */
    static final long FLOW_OVERHEAD = 2 * 1024;

    /**
     * The elements around one PJ's content (IdUnique, NomPJ, TypePJ, Description, MIMEType), rounded
     * up for a 250-character description whose characters all need references outside Latin-1.
     */
    static final long PJ_OVERHEAD = 3 * 1024;

    /** An invoice waiting to be sent as a PJ. */
    public record Waiting(String communeId, String invoiceId, long size, Instant arrivedAt) {
        public Waiting {
            Objects.requireNonNull(communeId, "communeId");
            Objects.requireNonNull(invoiceId, "invoiceId");
            Objects.requireNonNull(arrivedAt, "arrivedAt");
            if (size < 0) {
                throw new IllegalArgumentException("size must not be negative");
            }
        }
    }

    /**
     * @param maxCount     PJ per flow
     * @param maxFlowBytes the flow's size once written (gzip + base64 estimated, see {@link #estimatedPjBytes})
     * @param maxWait      how long an invoice may wait for others to share its flow
     */
    public record Limits(int maxCount, long maxFlowBytes, Duration maxWait) {

        /** 500 PJ, 100 MiB (under every tiers platform's cap), 30 minutes. */
        public static final Limits DEFAULT = new Limits(500, RelayCheck.DEFAULT_MAX_BYTES, Duration.ofMinutes(30));

        public Limits {
            if (maxCount < 1 || maxFlowBytes <= FLOW_OVERHEAD || maxWait == null || maxWait.isNegative()) {
                throw new IllegalArgumentException("limits must be positive: " + maxCount + ", " + maxFlowBytes + ", " + maxWait);
            }
        }
    }

    public enum Reason {
        /** maxCount reached */
        COUNT,
        /** the next invoice would not fit in maxFlowBytes */
        SIZE,
        /** the oldest invoice has waited maxWait */
        WAIT
    }

    /** One flow to build now: invoices of one commune, in arrival order. */
    public record Batch(String communeId, List<Waiting> invoices, long estimatedBytes, Reason reason) {
        public Batch {
            invoices = List.copyOf(invoices);
        }
    }

    /**
     * @param batches  flows to build now
     * @param tooLarge invoices that can never fit in a flow under the size limit, even alone: to be
     *                 refused (or sent another way), not kept waiting forever
     */
    public record Plan(List<Batch> batches, List<Waiting> tooLarge) {
        public Plan {
            batches = List.copyOf(batches);
            tooLarge = List.copyOf(tooLarge);
        }
    }

    private final Limits limits;

    public PjBatcher() {
        this(Limits.DEFAULT);
    }

    public PjBatcher(Limits limits) {
        this.limits = Objects.requireNonNull(limits);
    }

    /**
     * What a file of {@code size} bytes takes in a flow: gzip cannot be counted on (PDFs are already
     * compressed; deflate's stored blocks even add a little), then base64 makes 4 characters of 3
     * bytes, plus the PJ's elements.
     */
    public static long estimatedPjBytes(long size) {
        long gzipped = size + size / 1000 + 64;
        return 4 * ((gzipped + 2) / 3) + PJ_OVERHEAD;
    }

    /** The batches to build at {@code now}; what is not in the plan keeps waiting. */
    public Plan plan(Collection<Waiting> waiting, Instant now) {
        Map<String, List<Waiting>> byCommune = new TreeMap<>();
        for (Waiting w : waiting) {
            byCommune.computeIfAbsent(w.communeId(), c -> new ArrayList<>()).add(w);
        }
        List<Batch> batches = new ArrayList<>();
        List<Waiting> tooLarge = new ArrayList<>();
        byCommune.forEach((commune, invoices) -> planCommune(commune, invoices, now, batches, tooLarge));
        return new Plan(batches, tooLarge);
    }

    private void planCommune(String commune, List<Waiting> invoices, Instant now, List<Batch> batches, List<Waiting> tooLarge) {
        invoices.sort(Comparator.comparing(Waiting::arrivedAt).thenComparing(Waiting::invoiceId)); // first come, first sent
        List<Waiting> current = new ArrayList<>();
        long bytes = FLOW_OVERHEAD;
        for (Waiting w : invoices) {
            long pj = estimatedPjBytes(w.size());
            if (FLOW_OVERHEAD + pj > limits.maxFlowBytes()) {
                tooLarge.add(w);
                continue;
            }
            if (!current.isEmpty() && bytes + pj > limits.maxFlowBytes()) {
                batches.add(new Batch(commune, current, bytes, Reason.SIZE));
                current = new ArrayList<>();
                bytes = FLOW_OVERHEAD;
            }
            current.add(w);
            bytes += pj;
            if (current.size() == limits.maxCount()) {
                batches.add(new Batch(commune, current, bytes, Reason.COUNT));
                current = new ArrayList<>();
                bytes = FLOW_OVERHEAD;
            }
        }
        // the rest waits for company, unless its oldest invoice has waited long enough
        if (!current.isEmpty() && !current.get(0).arrivedAt().plus(limits.maxWait()).isAfter(now)) {
            batches.add(new Batch(commune, current, bytes, Reason.WAIT));
        }
    }
}
