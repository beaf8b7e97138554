package fr.passerelle.pes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.passerelle.Invoices;
import fr.passerelle.Json;
import fr.passerelle.TestGateway;
import fr.passerelle.flow.Flow;
import fr.passerelle.flow.FlowStatus;
import fr.passerelle.flow.FlowStore;

/** A validated invoice waiting for its PES flow survives a restart: the next gateway packs, signs and queues it once. */
class PesRestartTest {

    @TempDir
    Path data;

    @Test
    void aValidatedInvoiceIsPackedSignedAndQueuedOnceAfterARestart() throws Exception {
        String invoiceId;
        try (TestGateway first = TestGateway.start(data, Map.of("passerelle.pes.batch.max-wait", "PT1H",
                "passerelle.treasury.autostart", "false"))) {
            String answer = first.post("demo-key-aubeval", "/api/v1/flows?wait=20", "facture.xml",
                    Invoices.ublFor(Invoices.AUBEVAL_SIRET).getBytes(StandardCharsets.UTF_8)).body();
            invoiceId = Json.parse(answer).get("id").asText();
            assertThat(Json.parse(answer).get("status").asText()).as(answer).isEqualTo("VALIDATED");
        }
        try (TestGateway second = TestGateway.start(data, Map.of("passerelle.pes.batch.max-wait", "PT0S",
                "passerelle.pes.pack-period", "200", "passerelle.treasury.autostart", "false"))) {
            FlowStore flows = second.gateway.flows();
            Flow pes = TestGateway.await(() -> second.gateway.pesRegistry().pjOf(invoiceId).flatMap(pj -> flows.find(pj.pesFlowId())).orElse(null),
                    f -> f != null && f.status() == FlowStatus.SIGNED
                            && second.gateway.broker().depth("passerelle.treasury.017001") > 0,
                    java.time.Duration.ofSeconds(30));
            assertThat(pes).isNotNull();
            assertThat(pes.status()).isEqualTo(FlowStatus.SIGNED);
            assertThat(second.gateway.broker().depth("passerelle.treasury.017001")).isEqualTo(1);
            assertThat(flows.find(invoiceId).orElseThrow().status()).isEqualTo(FlowStatus.PACKED);
        }
    }
}
