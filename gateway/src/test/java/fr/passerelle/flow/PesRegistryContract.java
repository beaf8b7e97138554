package fr.passerelle.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

/**
 * The behaviour the PES registry promises, on whatever database an implementing test gives it (an
 * interface, so that the PostgreSQL flow store test runs it too on its one server).
 */
interface PesRegistryContract {

    FlowStore store();

    PesRegistry registry();

    private static String sha() {
        return (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "").substring(0, 64);
    }

    private static FlowStore.NewFlow received(String commune, String sha) {
        return new FlowStore.NewFlow(commune, sha, "facture.xml", "UBL_INVOICE", "http", commune, 123,
                FlowStatus.RECEIVED, null, "reçu");
    }

    private static FlowStore.NewFlow builtPes(String commune, String fileName) {
        return new FlowStore.NewFlow(commune, sha(), fileName, "PES_ALLER", "pes", "passerelle", 1000,
                FlowStatus.PACKED, null, "flux PES construit");
    }

    @Test
    default void countersGiveEachValueOnceEvenToConcurrentCallers() throws Exception {
        String counter = "test-" + UUID.randomUUID();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Long>> values = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                values.add(pool.submit(() -> registry().nextValue(counter)));
            }
            Set<Long> seen = new java.util.HashSet<>();
            for (Future<Long> v : values) {
                seen.add(v.get());
            }
            assertThat(seen).hasSize(40).contains(1L, 40L);
        } finally {
            pool.shutdownNow();
        }
        // a batch reserves consecutive values after those given
        assertThat(registry().nextValues(counter, 5)).isEqualTo(41L);
        assertThat(registry().nextValue(counter)).isEqualTo(46L);
    }

    @Test
    default void aPesFlowIsRecordedWithItsInvoicesOnce() {
        String a = store().receive(received("aubeval", sha())).flow().id();
        String b = store().receive(received("aubeval", sha())).flow().id();
        store().transition(a, Set.of(FlowStatus.RECEIVED), FlowStatus.VALIDATED, null, "ok");
        store().transition(b, Set.of(FlowStatus.RECEIVED), FlowStatus.VALIDATED, null, "ok");
        String nomFic = "PESALR2_" + UUID.randomUUID().toString().substring(0, 8);
        Flow built = registry().recordPesFlow(builtPes("aubeval", nomFic + ".xml"), nomFic, List.of(
                new PesRegistry.PjLink(a, "X-1", null), new PesRegistry.PjLink(b, "X-2", null))).orElseThrow();
        assertThat(built.status()).isEqualTo(FlowStatus.PACKED);
        assertThat(store().history(built.id())).extracting(FlowEvent::status).containsExactly(FlowStatus.PACKED);
        assertThat(store().find(a).orElseThrow().status()).isEqualTo(FlowStatus.PACKED);
        // the invoice's move is audited in the same transaction, naming its PJ
        assertThat(store().history(a)).last().satisfies(e -> {
            assertThat(e.status()).isEqualTo(FlowStatus.PACKED);
            assertThat(e.detail()).isEqualTo("pièce jointe X-1 du flux PES " + nomFic);
        });
        assertThat(registry().pjOf(b)).contains(new PesRegistry.PjLink(b, "X-2", built.id()));
        assertThat(registry().nomFicOf(built.id())).contains(nomFic);
        assertThat(registry().transmissionFileName(built.id())).contains(nomFic + ".xml");
        assertThat(registry().nomFicSeen("aubeval", nomFic)).isTrue();
        assertThat(registry().nomFicSeen("belcourt", nomFic)).isFalse();
        assertThat(registry().idUniqueKnown("aubeval", "X-1")).isTrue();
        // packing the same invoice again (another node) writes nothing
        assertThat(registry().recordPesFlow(builtPes("aubeval", "again.xml"), nomFic + "-bis",
                List.of(new PesRegistry.PjLink(a, "X-3", null)))).isEmpty();
        assertThat(registry().nomFicSeen("aubeval", nomFic + "-bis")).isFalse();
        assertThat(registry().idUniqueKnown("aubeval", "X-3")).isFalse();
        assertThat(store().history(a)).hasSize(3);
    }

    @Test
    default void aRelayedFlowKeepsItsNomFicOnce() {
        String commune = "relay-" + UUID.randomUUID().toString().substring(0, 8);
        String first = store().receive(received(commune, sha())).flow().id();
        String second = store().receive(received(commune, sha())).flow().id();
        assertThat(registry().acceptRelay(first, commune, "NOMFIC-1", "PESALR2_21750101400013_261201_900.xml",
                List.of("PJ-9"), List.of(new PesRegistry.PieceRef("PES_DepenseAller", "832", "PJ-7")), "contrôlé")).isTrue();
        assertThat(store().find(first).orElseThrow().status()).isEqualTo(FlowStatus.PACKED);
        assertThat(registry().transmissionFileName(first)).contains("PESALR2_21750101400013_261201_900.xml");
        assertThat(registry().nomFicOf(first)).contains("NOMFIC-1");
        assertThat(registry().idUniqueKnown(commune, "PJ-9")).isTrue();
        assertThat(registry().acceptRelay(second, commune, "NOMFIC-1", "PESALR2_21750101400013_261201_901.xml",
                List.of(), List.of(), "contrôlé")).isFalse();
        assertThat(store().find(second).orElseThrow().status()).isEqualTo(FlowStatus.RECEIVED);
        assertThat(store().history(second)).extracting(FlowEvent::status).containsExactly(FlowStatus.RECEIVED);
    }
}
