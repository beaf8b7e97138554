package fr.passerelle.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.passerelle.Invoices;
import fr.passerelle.Json;
import fr.passerelle.TestGateway;
import fr.passerelle.flow.FlowStatus;

/**
 * One invoice through the whole gateway (validated, packed into a PES flow, signed, sent to the
 * Hélios simulator, acknowledged): the metrics page carries the JVM and process meters, each
 * stage's counter for the commune with the right count, and the latency histograms.
 */
class FlowStageMetricsTest {

    @TempDir
    Path data;

    @Test
    void oneInvoiceIsCountedAtEveryStageAndTimedAndTheJvmIsMeasured() throws Exception {
        try (TestGateway gw = TestGateway.start(data, Map.of("passerelle.pes.batch.max-wait", "PT0S",
                "passerelle.pes.pack-period", "200"))) {
            String id = Json.parse(gw.post("demo-key-aubeval", "facture.xml",
                    Invoices.ublFor(Invoices.AUBEVAL_SIRET).getBytes(StandardCharsets.UTF_8)).body()).get("id").asText();
            await().atMost(Duration.ofSeconds(60)).until(
                    () -> gw.gateway.flows().find(id).orElseThrow().status() == FlowStatus.ACKNOWLEDGED);
            // the PES flow's acknowledgement is told after the invoice's commit: wait for the page to show it
            await().atMost(Duration.ofSeconds(10)).until(() -> scrape(gw).contains(
                    "passerelle_flows_acknowledged_total{channel=\"pes\",commune=\"aubeval\",kind=\"pes\",outcome=\"accepted\"} 1.0"));
            String metrics = scrape(gw);

            assertThat(metrics).contains("jvm_memory_used_bytes{", "jvm_gc_", "jvm_threads_live_threads ",
                    "jvm_classes_loaded_classes ", "process_cpu_usage ", "process_files_open_files ",
                    "process_uptime_seconds ");
            // the invoice, once per stage, for its commune and channel
            String invoice = "channel=\"http\",commune=\"aubeval\",kind=\"invoice\"";
            assertThat(value(metrics, "passerelle_flows_received_total{" + invoice + "}")).isEqualTo(1);
            assertThat(value(metrics, "passerelle_flows_validated_total{" + invoice + ",outcome=\"accepted\"}")).isEqualTo(1);
            assertThat(value(metrics, "passerelle_flows_packed_total{" + invoice + ",outcome=\"accepted\"}")).isEqualTo(1);
            assertThat(value(metrics, "passerelle_flows_sent_total{" + invoice + ",outcome=\"accepted\"}")).isEqualTo(1);
            assertThat(value(metrics, "passerelle_flows_acknowledged_total{" + invoice + ",outcome=\"accepted\"}"))
                    .isEqualTo(1);
            // the PES flow built from it is signed and sent, and not counted as received
            String pes = "channel=\"pes\",commune=\"aubeval\",kind=\"pes\"";
            assertThat(value(metrics, "passerelle_flows_signed_total{" + pes + ",outcome=\"accepted\"}")).isEqualTo(1);
            assertThat(value(metrics, "passerelle_flows_sent_total{" + pes + ",outcome=\"accepted\"}")).isEqualTo(1);
            assertThat(metrics).doesNotContain("passerelle_flows_received_total{" + pes);
            assertThat(metrics).doesNotContain("commune=\"unknown\"");

            assertThat(value(metrics, "passerelle_flow_intake_to_transmitted_seconds_count{kind=\"invoice\"}")).isEqualTo(1);
            assertThat(metrics).contains("passerelle_flow_intake_to_transmitted_seconds_bucket{kind=\"invoice\",le=\"60.0\"}",
                    "passerelle_stage_seconds_bucket{kind=\"invoice\",stage=\"validation\",le=");
            assertThat(value(metrics, "passerelle_stage_seconds_count{kind=\"invoice\",stage=\"acknowledgement\"}"))
                    .isEqualTo(1);
            // the certificate made for the commune's first signature, as a timestamp in seconds
            assertThat(value(metrics, "passerelle_signing_certificate_expiry_timestamp_seconds{commune=\"aubeval\"}"))
                    .isGreaterThan(System.currentTimeMillis() / 1000.0);
        }
    }

    private static String scrape(TestGateway gw) throws Exception {
        return gw.get(null, gw.management() + "/observe/metrics").body();
    }

    /** The value of one series, by its exact name and labels. */
    private static double value(String metrics, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics);
        String name = series.substring(0, series.indexOf('{') < 0 ? series.length() : series.indexOf('{'));
        assertThat(m.find()).as(series + " among\n" + metrics.lines().filter(l -> l.startsWith(name))
                .collect(java.util.stream.Collectors.joining("\n"))).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
