package fr.passerelle.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

/** The received flow a validation wake-up carries beside its id. */
class FlowSnapshotsTest {

    private final FlowSnapshots snapshots = new FlowSnapshots();
    private final OffsetDateTime received = OffsetDateTime.of(2026, 12, 6, 9, 30, 0, 123_456_000, ZoneOffset.UTC);
    private final Flow flow = new Flow(FlowIds.next(), "aubeval", "ab".repeat(32), "facture.xml", "UBL", "http",
            "demo-key-aubeval", 4_321, FlowStatus.RECEIVED, null, received, received);

    @Test
    void aReceivedFlowIsCarriedWhole() {
        assertThat(FlowSnapshots.received(flow.id(), snapshots.of(flow))).contains(flow);
    }

    @Test
    void onlyAReceivedFlowIsCarried() {
        assertThat(snapshots.of(flow.movedTo(FlowStatus.VALIDATED, null, received.plusSeconds(1)))).isNull();
        assertThat(snapshots.of(null)).isNull();
    }

    @Test
    void aSnapshotOfAnotherFlowOrUnreadableIsNotUsed() {
        assertThat(FlowSnapshots.received(FlowIds.next(), snapshots.of(flow))).isEmpty();
        assertThat(FlowSnapshots.received(flow.id(), "{\"id\":")).isEmpty();
        assertThat(FlowSnapshots.received(flow.id(), null)).isEmpty();
        assertThat(FlowSnapshots.received(flow.id(), "{\"id\":\"" + flow.id() + "\"}")).isEmpty();
    }

    @Test
    void flowIdsSortByCreation() {
        String first = FlowIds.next();
        String second = FlowIds.next();
        assertThat(second).isGreaterThan(first);
    }
}
