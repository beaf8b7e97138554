package fr.passerelle.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.passerelle.Samples;
import fr.passerelle.TestGateway;

/** Health and metrics at Camel Main's conventional paths on the management port. */
class OpsEndpointsTest {

    @TempDir
    Path data;

    @Test
    void healthCoversBrokerDatabaseSftpAndRoutesAndMetricsCountFlowsAndQueues() throws Exception {
        try (TestGateway gw = TestGateway.intakeOnly(data, Map.of("passerelle.ops.metrics-period", "200"))) {
            gw.awaitHealthy(java.time.Duration.ofSeconds(20));
            String health = gw.get(null, gw.management() + "/observe/health?exposureLevel=full").body();
            assertThat(health).contains("\"broker\"", "\"database\"", "\"sftp-server\"", "route:intake");
            assertThat(gw.get(null, gw.management() + "/observe/health/ready").statusCode()).isEqualTo(200);
            assertThat(gw.get(null, gw.management() + "/observe/health/live").statusCode()).isEqualTo(200);

            assertThat(gw.post("demo-key-orsange", "f.xml",
                    Files.readAllBytes(Samples.sample("invoices/cii/CII_example1.xml"))).statusCode()).isEqualTo(201);
            NotifyBuilder refreshed = new NotifyBuilder(gw.gateway.camel()).fromRoute("ops-metrics").whenDone(2).create();
            assertThat(refreshed.matches(10, TimeUnit.SECONDS)).isTrue();
            String metrics = gw.get(null, gw.management() + "/observe/metrics").body();
            assertThat(metrics).contains("passerelle_flows{commune=\"orsange\",status=\"RECEIVED\"} 1.0");
            assertThat(metrics).contains("passerelle_queue_depth{queue=\"passerelle.validate\"} 1.0");
            assertThat(metrics).contains("routeId=\"ingest-http\"");
            // what the shared database and broker were asked for (README, "Throughput"): one flow recorded and queued
            assertThat(counter(metrics, "passerelle_db_statements_total")).isGreaterThanOrEqualTo(2);
            assertThat(counter(metrics, "passerelle_db_commits_total")).isGreaterThanOrEqualTo(1);
            assertThat(counter(metrics, "passerelle_broker_durable_messages_total")).isEqualTo(1);
            assertThat(counter(metrics, "passerelle_broker_durable_bytes_total")).isPositive();
        }
    }

    private static double counter(String metrics, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(metrics);
        assertThat(m.find()).as(name).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
