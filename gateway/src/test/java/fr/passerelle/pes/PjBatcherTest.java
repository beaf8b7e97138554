package fr.passerelle.pes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import fr.passerelle.pes.PjBatcher.Batch;
import fr.passerelle.pes.PjBatcher.Limits;
import fr.passerelle.pes.PjBatcher.Plan;
import fr.passerelle.pes.PjBatcher.Reason;
import fr.passerelle.pes.PjBatcher.Waiting;

class PjBatcherTest {

    private static final long MIB = 1024 * 1024;
    private static final Instant T0 = Instant.parse("2026-11-22T08:00:00Z");
    private static final Duration WAIT = Duration.ofMinutes(30);

    @Test
    void countLimitClosesFullBatchesAndTheRestWaits() {
        PjBatcher batcher = new PjBatcher(new Limits(2, 100 * MIB, WAIT));
        List<Waiting> waiting = invoices("aubeval", 5, 10_000, T0);

        Plan plan = batcher.plan(waiting, T0.plusSeconds(60));

        assertThat(plan.batches()).hasSize(2).allSatisfy(b -> {
            assertThat(b.reason()).isEqualTo(Reason.COUNT);
            assertThat(b.invoices()).hasSize(2);
        });
        assertThat(ids(plan.batches().get(0))).containsExactly("aubeval-0", "aubeval-1");
        assertThat(ids(plan.batches().get(1))).containsExactly("aubeval-2", "aubeval-3");
    }

    @Test
    void sizeLimitCountsTheBase64Growth() {
        // 40 MiB each: 53.4 MiB once gzipped (incompressible) and base64-encoded, so two do not fit in 100 MiB
        PjBatcher batcher = new PjBatcher(new Limits(500, 100 * MIB, WAIT));
        List<Waiting> waiting = invoices("aubeval", 3, 40 * MIB, T0);

        Plan plan = batcher.plan(waiting, T0);

        assertThat(plan.batches()).hasSize(2).allSatisfy(b -> {
            assertThat(b.reason()).isEqualTo(Reason.SIZE);
            assertThat(b.invoices()).hasSize(1);
            assertThat(b.estimatedBytes()).isGreaterThan(40 * MIB * 4 / 3).isLessThanOrEqualTo(100 * MIB);
        });
        assertThat(plan.tooLarge()).isEmpty();
    }

    @Test
    void smallInvoicesFillAFlowUpToTheSizeLimit() {
        PjBatcher batcher = new PjBatcher(new Limits(10_000, 1 * MIB, WAIT));
        List<Waiting> waiting = invoices("aubeval", 100, 30_000, T0);

        Plan plan = batcher.plan(waiting, T0);

        Batch first = plan.batches().get(0);
        assertThat(first.reason()).isEqualTo(Reason.SIZE);
        assertThat(first.estimatedBytes()).isLessThanOrEqualTo(MIB)
                .isGreaterThan(MIB - PjBatcher.estimatedPjBytes(30_000));
        assertThat(plan.batches()).allSatisfy(b -> assertThat(b.estimatedBytes()).isLessThanOrEqualTo(MIB));
    }

    @Test
    void waitLimitSendsWhatHasWaitedLongEnough() {
        PjBatcher batcher = new PjBatcher(new Limits(500, 100 * MIB, WAIT));
        List<Waiting> waiting = invoices("aubeval", 3, 10_000, T0);

        assertThat(batcher.plan(waiting, T0.plus(WAIT).minusSeconds(1)).batches()).isEmpty();
        Plan plan = batcher.plan(waiting, T0.plus(WAIT));

        assertThat(plan.batches()).singleElement().satisfies(b -> {
            assertThat(b.reason()).isEqualTo(Reason.WAIT);
            assertThat(b.invoices()).hasSize(3);
        });
    }

    @Test
    void aBatchNeverMixesCommunes() {
        PjBatcher batcher = new PjBatcher(new Limits(3, 100 * MIB, WAIT));
        List<Waiting> waiting = new ArrayList<>();
        waiting.addAll(invoices("belcourt", 2, 10_000, T0));
        waiting.addAll(invoices("aubeval", 2, 10_000, T0.plusSeconds(1)));

        Plan plan = batcher.plan(waiting, T0.plus(WAIT).plusSeconds(5));

        assertThat(plan.batches()).hasSize(2);
        assertThat(plan.batches()).allSatisfy(b ->
                assertThat(b.invoices()).allSatisfy(w -> assertThat(w.communeId()).isEqualTo(b.communeId())));
        assertThat(plan.batches()).extracting(Batch::communeId).containsExactly("aubeval", "belcourt");
    }

    @Test
    void anInvoiceThatCanNeverFitIsSetAsideWithoutBlockingTheOthers() {
        PjBatcher batcher = new PjBatcher(new Limits(2, 100 * MIB, WAIT));
        List<Waiting> waiting = new ArrayList<>(invoices("aubeval", 2, 10_000, T0.plusSeconds(1)));
        Waiting huge = new Waiting("aubeval", "huge", 75 * MIB, T0); // 100 MiB once base64-encoded

        waiting.add(huge);
        Plan plan = batcher.plan(waiting, T0.plusSeconds(2));

        assertThat(plan.tooLarge()).containsExactly(huge);
        assertThat(plan.batches()).singleElement().satisfies(b -> assertThat(ids(b)).containsExactly("aubeval-0", "aubeval-1"));
    }

    @Test
    void arrivalOrderIsKeptWhateverTheInputOrder() {
        PjBatcher batcher = new PjBatcher(new Limits(3, 100 * MIB, WAIT));
        List<Waiting> waiting = new ArrayList<>(invoices("aubeval", 3, 10_000, T0));
        java.util.Collections.reverse(waiting);

        assertThat(ids(batcher.plan(waiting, T0).batches().get(0))).containsExactly("aubeval-0", "aubeval-1", "aubeval-2");
    }

    @Test
    void defaultsStayUnderTheTiersPlatformsCap() {
        assertThat(Limits.DEFAULT.maxFlowBytes()).isEqualTo(100 * MIB);
        assertThat(PjBatcher.estimatedPjBytes(3 * MIB)).isGreaterThan(4 * MIB);
    }

    private static List<Waiting> invoices(String commune, int n, long size, Instant first) {
        List<Waiting> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(new Waiting(commune, commune + "-" + i, size, first.plusMillis(i)));
        }
        return list;
    }

    private static List<String> ids(Batch b) {
        return b.invoices().stream().map(Waiting::invoiceId).toList();
    }
}
