package fr.passerelle.chorus;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import fr.passerelle.document.Rejection;
import fr.passerelle.flow.FlowStatus;
import fr.passerelle.flow.FlowStore;

/**
 * What the Chorus Pro ledger promises, on whatever database an implementing test gives it (an
 * interface, so that the PostgreSQL flow store test runs it on its one server too).
 */
public interface ChorusLedgerContract {

    /** idFacture values no two tests share (the database may be shared). */
    AtomicLong IDS = new AtomicLong(System.nanoTime() % 1_000_000_000L);

    FlowStore store();

    javax.sql.DataSource chorusDataSource();

    private ChorusLedger ledger() {
        return new ChorusLedger(chorusDataSource(), Clock.systemUTC());
    }

    private String flow(String commune, FlowStatus status) {
        String sha = (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "").substring(0, 64);
        return store().receive(new FlowStore.NewFlow(commune, sha, "f.xml", "UBL_INVOICE", "chorus-pro",
                "chorus-pro:1", 10, status, status == FlowStatus.REJECTED ? new Rejection("routing", "ROUTING-BUYER",
                null, "acheteur inconnu") : null, "reçu")).flow().id();
    }

    @Test
    default void anIdFactureIsRecordedOnceWhoeverComesSecond() {
        long id = IDS.incrementAndGet();
        String flow = flow("ca", FlowStatus.RECEIVED);
        assertThat(ledger().known(id)).isFalse();
        assertThat(ledger().recordPulled(id, "ca", flow, "F-1")).isTrue();
        assertThat(ledger().recordPulled(id, "ca", flow, "F-1")).isFalse();
        assertThat(ledger().known(id)).isTrue();
        assertThat(ledger().flowOf(id)).contains(flow);
        assertThat(ledger().forFlow(flow)).hasValueSatisfying(i -> assertThat(i.idFacture()).isEqualTo(id));
    }

    @Test
    default void theWatermarkNeverGoesBackAndTheLastErrorIsKeptUntilARoundGoesThrough() {
        String commune = "wm-" + IDS.incrementAndGet();
        OffsetDateTime t1 = OffsetDateTime.of(2026, 12, 1, 10, 0, 0, 0, ZoneOffset.UTC);
        ledger().polled(commune, t1, null);
        ledger().polled(commune, t1.minusHours(1), "HTTP 503");
        ChorusLedger.Watermark w = ledger().watermark(commune).orElseThrow();
        assertThat(w.since()).isEqualTo(t1);
        assertThat(w.lastError()).isEqualTo("HTTP 503");
        ledger().polled(commune, t1.plusHours(1), null);
        w = ledger().watermark(commune).orElseThrow();
        assertThat(w.since()).isEqualTo(t1.plusHours(1));
        assertThat(w.lastError()).isNull();
    }

    @Test
    default void aRefusedInvoiceIsDueUntilItsBackOffAndItsStatusesAreKeptInOrder() {
        long id = IDS.incrementAndGet();
        String flow = flow("ca", FlowStatus.REJECTED);
        ledger().recordPulled(id, "ca", flow, "F-2");
        assertThat(ledger().duePushes(1000)).extracting(ChorusLedger.PulledInvoice::idFacture).contains(id);
        ledger().pushFailed(id, OffsetDateTime.now().plusHours(1));
        assertThat(ledger().duePushes(1000)).extracting(ChorusLedger.PulledInvoice::idFacture).doesNotContain(id);
        ledger().recordStatus(id, "REJETEE", "[ROUTING-BUYER] acheteur inconnu", null, "SENT", 0, "GCU_MSG_01_000");
        ledger().recordStatus(id, "MANDATEE", null, "832", "REFUSED", null, "transition non permise");
        assertThat(ledger().statuses(id)).extracting(ChorusLedger.StatusPushed::statut)
                .containsExactly("REJETEE", "MANDATEE");
        assertThat(ledger().statuses(id).get(1).codeRetour()).isNull();
        // a status recorded ends the back-off
        assertThat(ledger().duePushes(1000)).extracting(ChorusLedger.PulledInvoice::idFacture).contains(id);
        // a flow still on its way is not due
        long waiting = IDS.incrementAndGet();
        ledger().recordPulled(waiting, "ca", flow("ca", FlowStatus.RECEIVED), "F-3");
        assertThat(ledger().duePushes(1000)).extracting(ChorusLedger.PulledInvoice::idFacture).doesNotContain(waiting);
    }

    @Test
    default void anInvoiceChorusProWillNotHandOverIsSetAsideOnce() {
        long id = IDS.incrementAndGet();
        ledger().recordPullFailure(id, "ca", "F-4", "HTTP 413");
        ledger().recordPullFailure(id, "ca", "F-4", "HTTP 413");
        assertThat(ledger().known(id)).isTrue();
        assertThat(ledger().pullFailures()).filteredOn(f -> f.idFacture() == id).singleElement()
                .satisfies(f -> assertThat(f.error()).isEqualTo("HTTP 413"));
    }
}
