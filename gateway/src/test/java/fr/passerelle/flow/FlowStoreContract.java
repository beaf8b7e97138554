package fr.passerelle.flow;

import fr.passerelle.document.Rejection;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

/** The behaviour the flow store promises, on whatever database a subclass gives it. */
abstract class FlowStoreContract {

    protected abstract FlowStore store();

    protected abstract javax.sql.DataSource dataSource();

    private static String sha() {
        return (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "").substring(0, 64);
    }

    private static FlowStore.NewFlow received(String commune, String sha) {
        return new FlowStore.NewFlow(commune, sha, "facture.xml", "UBL_INVOICE", "http", commune, 123,
                FlowStatus.RECEIVED, null, "reçu");
    }

    @Test
    void recordsAFlowWithItsFirstAuditEvent() {
        FlowStore.Received r = store().receive(received("aubeval", sha()));
        assertThat(r.duplicate()).isFalse();
        assertThat(r.flow().status()).isEqualTo(FlowStatus.RECEIVED);
        assertThat(store().history(r.flow().id())).extracting(FlowEvent::status).containsExactly(FlowStatus.RECEIVED);
    }

    @Test
    void theSameContentFromTheSameCommuneIsTheSameFlow() {
        String sha = sha();
        FlowStore.Received first = store().receive(received("aubeval", sha));
        FlowStore.Received again = store().receive(received("aubeval", sha));
        FlowStore.Received other = store().receive(received("belcourt", sha));
        assertThat(again.duplicate()).isTrue();
        assertThat(again.flow().id()).isEqualTo(first.flow().id());
        assertThat(other.duplicate()).isFalse();
        assertThat(store().history(first.flow().id())).hasSize(1);
    }

    @Test
    void concurrentIdenticalSubmissionsMakeOneFlow() throws Exception {
        String sha = sha();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<FlowStore.Received>> tasks = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                tasks.add(() -> store().receive(received("dormeval", sha)));
            }
            List<String> ids = new ArrayList<>();
            int created = 0;
            for (Future<FlowStore.Received> f : pool.invokeAll(tasks)) {
                ids.add(f.get().flow().id());
                created += f.get().duplicate() ? 0 : 1;
            }
            assertThat(ids).containsOnly(ids.get(0));
            assertThat(created).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void transitionsAreCompareAndSetAndAudited() {
        String id = store().receive(received("aubeval", sha())).flow().id();
        assertThat(store().transition(id, Set.of(FlowStatus.RECEIVED), FlowStatus.VALIDATED, null, "ok")).isTrue();
        // a redelivered message finds the flow already moved: nothing changes
        assertThat(store().transition(id, Set.of(FlowStatus.RECEIVED), FlowStatus.VALIDATED, null, "again")).isFalse();
        Rejection why = new Rejection("en16931", "BR-CO-15", "/Invoice", "Total TTC faux");
        assertThat(store().transition(id, Set.of(FlowStatus.VALIDATED), FlowStatus.REJECTED, why, "refusé")).isTrue();
        Flow flow = store().find(id).orElseThrow();
        assertThat(flow.status()).isEqualTo(FlowStatus.REJECTED);
        assertThat(flow.rejection()).isEqualTo(why);
        assertThat(store().history(id)).extracting(FlowEvent::status)
                .containsExactly(FlowStatus.RECEIVED, FlowStatus.VALIDATED, FlowStatus.REJECTED);
    }

    @Test
    void verdictsThatComeTogetherEachMoveTheirOwnFlowOnce() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ids.add(store().receive(received("belcourt", sha())).flow().id());
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> tasks = new ArrayList<>();
            for (String id : ids) {
                // each flow judged twice at once (a redelivery racing the first delivery): one verdict only
                for (FlowStatus to : List.of(FlowStatus.VALIDATED, FlowStatus.REJECTED)) {
                    tasks.add(() -> store().recordValidation(id, to, null, "verdict " + to, "completed",
                            to.name(), null, "{\"flow\":\"" + id + "\",\"to\":\"" + to + "\"}"));
                }
            }
            int moved = 0;
            for (Future<Boolean> f : pool.invokeAll(tasks)) {
                moved += f.get() ? 1 : 0;
            }
            assertThat(moved).isEqualTo(ids.size());
            for (String id : ids) {
                FlowStatus status = store().find(id).orElseThrow().status();
                assertThat(status).isIn(FlowStatus.VALIDATED, FlowStatus.REJECTED);
                assertThat(store().validationReport(id)).contains("{\"flow\":\"" + id + "\",\"to\":\"" + status + "\"}");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aValidationIsRecordedOnceWithItsReport() {
        String id = store().receive(received("aubeval", sha())).flow().id();
        String report = "{\"verdict\":\"rejected\",\"findings\":[{\"rule\":\"BR-CO-15\",\"message\":\"Total TTC « faux »\"}]}";
        Rejection why = new Rejection("en16931", "BR-CO-15", "/Invoice", "Total TTC faux");
        assertThat(store().recordValidation(id, FlowStatus.REJECTED, why, "rejetée", "completed", "rejected", "EN16931",
                report)).isTrue();
        // a redelivery finds the flow judged: neither the status nor the report is written twice
        assertThat(store().recordValidation(id, FlowStatus.VALIDATED, null, "again", "completed", "accepted", null,
                "{}")).isFalse();
        assertThat(store().find(id).orElseThrow().status()).isEqualTo(FlowStatus.REJECTED);
        assertThat(store().validationReport(id)).contains(report);
        assertThat(store().validationReport(UUID.randomUUID().toString())).isEmpty();
    }

    @Test
    void aStagesProductIsKeptAsTheFlowMovesOn() {
        String id = store().receive(received("aubeval", sha())).flow().id();
        store().transition(id, FlowStore.only(FlowStatus.RECEIVED), FlowStatus.PACKED, null, "contrôlé");
        String signed = sha();
        assertThat(store().recordArtifact(id, Set.of(FlowStatus.PACKED), FlowStatus.SIGNED, "signed", signed, "signé"))
                .isTrue();
        assertThat(store().recordArtifact(id, Set.of(FlowStatus.PACKED), FlowStatus.SIGNED, "signed", sha(), "again"))
                .isFalse();
        assertThat(store().artifact(id, "signed")).contains(signed);
        assertThat(store().find(id).orElseThrow().status()).isEqualTo(FlowStatus.SIGNED);
    }

    /** The recovery sweep as seen from a moment after now (the store stamps its changes with the real clock). */
    private FlowRecovery recoveryAt(Duration later) {
        return new FlowRecovery(dataSource(), store(), Clock.offset(Clock.systemUTC(), later),
                new FlowRecovery.Timing(Duration.ofMinutes(1), Duration.ofMinutes(10), Duration.ofMinutes(30)));
    }

    private List<String> dueAt(Duration later) {
        return recoveryAt(later).due().stream().map(FlowRecovery.WakeUp::id).toList();
    }

    @Test
    void aFlowWhoseHandOffWasNeverRecordedIsWokenAfterTheGraceAndThenOnlyAfterTheRewakeDelay() {
        String id = store().receive(received("aubeval", sha())).flow().id();
        assertThat(dueAt(Duration.ZERO)).doesNotContain(id);
        assertThat(dueAt(Duration.ofSeconds(61))).contains(id);
        // the sweep that woke it moved its deadline: another sweep (or node) does not wake it again
        assertThat(dueAt(Duration.ofSeconds(62))).doesNotContain(id);
        assertThat(dueAt(Duration.ofMinutes(12))).contains(id);
    }

    @Test
    void aHandedOffFlowIsWokenAgainOnlyIfItDoesNotMove() {
        String id = store().receive(received("aubeval", sha())).flow().id();
        recoveryAt(Duration.ZERO).handedOff(List.of(id));
        assertThat(dueAt(Duration.ofMinutes(2))).doesNotContain(id);
        assertThat(dueAt(Duration.ofMinutes(11))).contains(id);

        String moved = store().receive(received("aubeval", sha())).flow().id();
        recoveryAt(Duration.ZERO).handedOff(List.of(moved));
        store().transition(moved, FlowStore.only(FlowStatus.RECEIVED), FlowStatus.VALIDATED, null, "valide");
        // VALIDATED invoices are the PES timer's: no wake-up, however long they wait
        assertThat(dueAt(Duration.ofHours(2))).doesNotContain(moved);
    }

    @Test
    void theFlowIntakeAnswersIsTheOneReadBack() {
        Flow received = store().receive(received("aubeval", sha())).flow();
        assertThat(received).isEqualTo(store().find(received.id()).orElseThrow());

        Rejection wordy = new Rejection("xml", "XML-SYNTAX", "/Invoice/" + "x".repeat(400), "é".repeat(2500));
        Flow refused = store().receive(new FlowStore.NewFlow(null, sha(), "f.xml", "UNKNOWN", "sftp", "fournisseur", 10,
                FlowStatus.REJECTED, wordy, "refusé")).flow();
        assertThat(refused).isEqualTo(store().find(refused.id()).orElseThrow());
        assertThat(refused.rejection().message()).hasSize(2000);
    }

    @Test
    void handOffMarksAreWrittenInBatchesAndLeaveAFlowThatMovedOnAlone() {
        String queued = store().receive(received("aubeval", sha())).flow().id();
        String judged = store().receive(received("aubeval", sha())).flow().id();
        String rejected = store().receive(received("aubeval", sha())).flow().id();
        store().transition(rejected, FlowStore.only(FlowStatus.RECEIVED), FlowStatus.REJECTED, null, "rejetée");
        try (HandOffMarks marks = new HandOffMarks(recoveryAt(Duration.ZERO), Duration.ofHours(1).toMillis())) {
            marks.handedOff(queued);
            marks.handedOff(judged);
            marks.handedOff(rejected);
            // not written yet: the sweep would wake them after the grace
            assertThat(dueAt(Duration.ofMinutes(2))).contains(queued, judged);
            store().transition(judged, FlowStore.only(FlowStatus.RECEIVED), FlowStatus.VALIDATED, null, "valide");
        } // closing writes what is pending
        assertThat(dueAt(Duration.ofMinutes(2))).doesNotContain(queued);
        assertThat(dueAt(Duration.ofMinutes(11))).contains(queued).doesNotContain(judged, rejected);
    }

    @Test
    void stalledFlowsAreListedAndCountedUnlessTheyWaitOnPurpose() {
        String commune = "stall-" + UUID.randomUUID().toString().substring(0, 8);
        String stuck = store().receive(received(commune, sha())).flow().id();
        String waiting = store().receive(received(commune, sha())).flow().id();
        String done = store().receive(received(commune, sha())).flow().id();
        store().transition(done, FlowStore.only(FlowStatus.RECEIVED), FlowStatus.REJECTED, null, "refusé");
        FlowRecovery inAnHour = recoveryAt(Duration.ofHours(1));
        inAnHour.waitUntil(waiting, Instant.now().plus(Duration.ofHours(3)));

        assertThat(store().list(new FlowQuery(commune, null, null, null, null, recoveryAt(Duration.ZERO).stalledSince(),
                100, 0))).isEmpty();
        assertThat(store().list(new FlowQuery(commune, null, null, null, null, inAnHour.stalledSince(), 100, 0)))
                .extracting(Flow::id).containsExactly(stuck);
        assertThat(inAnHour.stalledCounts().get(FlowStatus.RECEIVED)).isGreaterThanOrEqualTo(1L);
        // past its wait, the waiting flow is stalled too
        assertThat(store().list(new FlowQuery(commune, null, null, null, null,
                recoveryAt(Duration.ofHours(4)).stalledSince(), 100, 0))).extracting(Flow::id)
                .containsExactlyInAnyOrder(stuck, waiting);
    }

    @Test
    void unroutedFlowsAreRoutedOnce() {
        FlowStore.NewFlow unrouted = new FlowStore.NewFlow(null, sha(), "f.pdf", "FACTURX_PDF", "sftp", "sftp:x", 9,
                FlowStatus.UNROUTED, new Rejection("routing", "ROUTING-BUYER", "BT-46/BT-47", "inconnu"), "attente");
        String id = store().receive(unrouted).flow().id();
        assertThat(store().route(id, "aubeval", "acheminé")).isTrue();
        assertThat(store().route(id, "belcourt", "encore")).isFalse();
        Flow flow = store().find(id).orElseThrow();
        assertThat(flow.communeId()).isEqualTo("aubeval");
        assertThat(flow.status()).isEqualTo(FlowStatus.RECEIVED);
        assertThat(flow.rejection()).isNull();
    }

    @Test
    void listsOnlyTheCommunesFlowsWithFilters() {
        String commune = "c" + UUID.randomUUID().toString().substring(0, 8);
        String a = store().receive(received(commune, sha())).flow().id();
        String b = store().receive(received(commune, sha())).flow().id();
        store().receive(received("someone-else", sha()));
        store().transition(b, Set.of(FlowStatus.RECEIVED), FlowStatus.REJECTED,
                new Rejection("intake", "INTAKE-EMPTY", null, "vide"), "vide");
        assertThat(store().list(new FlowQuery(commune, null, null, null, null, null, 100, 0))).extracting(Flow::id)
                .containsExactlyInAnyOrder(a, b);
        assertThat(store().list(new FlowQuery(commune, FlowStatus.REJECTED, null, null, null, null, 100, 0)))
                .extracting(Flow::id).containsExactly(b);
        assertThat(store().list(new FlowQuery(commune, null, "CII", null, null, null, 100, 0))).isEmpty();
        OffsetDateTime tomorrow = OffsetDateTime.now(Clock.systemUTC()).plusDays(1);
        assertThat(store().list(new FlowQuery(commune, null, null, tomorrow, null, null, 100, 0))).isEmpty();
        assertThat(store().list(new FlowQuery(commune, null, null, null, null, null, 1, 0))).hasSize(1);
        assertThat(store().countByCommuneAndStatus().get(commune)).containsEntry(FlowStatus.REJECTED, 1L)
                .containsEntry(FlowStatus.RECEIVED, 1L);
    }
}
