package fr.passerelle.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.passerelle.Json;
import fr.passerelle.Samples;
import fr.passerelle.TestGateway;

/**
 * Stop the gateway with flows in its queues, start it again on the same data folder: every flow
 * is still there, once, and its message is still on the durable queue, once.
 */
class RestartTest {

    private static final String KEY = "demo-key-haute-rive";

    @TempDir
    Path data;

    @Test
    void flowsAndQueuedMessagesSurviveARestartExactlyOnce() throws Exception {
        List<byte[]> files = new ArrayList<>();
        for (String s : List.of("ubl/ubl-tc434-example1.xml", "ubl/ubl-tc434-example2.xml", "cii/CII_example1.xml",
                "cii/CII_example2.xml", "ubl/guide-example1.xml")) {
            files.add(Files.readAllBytes(Samples.sample("invoices/" + s)));
        }
        Set<String> ids = new HashSet<>();
        try (TestGateway first = TestGateway.intakeOnly(data)) {
            for (int i = 0; i < files.size(); i++) {
                HttpResponse<String> r = first.post(KEY, "f" + i + ".xml", files.get(i));
                assertThat(r.statusCode()).isEqualTo(201);
                ids.add(Json.parse(r.body()).get("id").asText());
            }
            assertThat(first.gateway.broker().depth("passerelle.validate")).isEqualTo(files.size());
        }

        // no grace: a flow whose hand-off the first gateway had not recorded would be due at once
        try (TestGateway second = TestGateway.intakeOnly(data, Map.of("passerelle.recovery.grace", "PT0S"))) {
            assertThat(second.gateway.flows().list(new FlowQuery("haute-rive", null, null, null, null, null, 100, 0)))
                    .extracting(Flow::id).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(second.gateway.recovery().due()).isEmpty();
            // posting the same files again after the restart creates nothing new
            for (int i = 0; i < files.size(); i++) {
                HttpResponse<String> r = second.post(KEY, "f" + i + ".xml", files.get(i));
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(ids).contains(Json.parse(r.body()).get("id").asText());
            }
            assertThat(drainValidateQueue(second)).containsExactlyInAnyOrderElementsOf(ids);
        }
    }

    @Test
    void aFlowRecordedButNeverQueuedBeforeACrashIsQueuedOnceAfterRestart() throws Exception {
        String orphan;
        try (TestGateway first = TestGateway.intakeOnly(data)) {
            // what a crash between the database commit and the queue send leaves behind
            orphan = first.gateway.flows().receive(new FlowStore.NewFlow("haute-rive",
                    "ab".repeat(32), "orphan.xml", "UBL_INVOICE", "http", "haute-rive", 10, FlowStatus.RECEIVED, null,
                    "reçu")).flow().id();
        }
        try (TestGateway second = TestGateway.intakeOnly(data, Map.of("passerelle.recovery.grace", "PT0S",
                "passerelle.recovery.sweep-period", "200"))) {
            NotifyBuilder swept = new NotifyBuilder(second.gateway.camel()).wereSentTo("jms:*").whenDone(1).create();
            assertThat(swept.matches(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(drainValidateQueue(second)).containsExactly(orphan);
            // queued now: its next wake-up only if it does not move for passerelle.recovery.rewake-after
            assertThat(second.gateway.recovery().due()).isEmpty();
        }
    }

    /**
     * Every message on passerelle.validate: a receive that times out means the queue is empty. Each
     * carries, beside its flow id, the received flow the validation stage then need not read back.
     */
    private static List<String> drainValidateQueue(TestGateway gw) throws Exception {
        List<String> ids = new ArrayList<>();
        try (JMSContext jms = gw.gateway.connectionFactory().createContext();
             JMSConsumer consumer = jms.createConsumer(jms.createQueue("passerelle.validate"))) {
            Message m;
            while ((m = consumer.receive(1_500)) != null) {
                String id = m.getBody(String.class);
                assertThat(FlowSnapshots.received(id, m.getStringProperty("PasserelleFlowSnapshot")))
                        .as("the received flow carried with %s", id)
                        .hasValueSatisfying(carried -> {
                            Flow stored = gw.gateway.flows().find(id).orElseThrow();
                            assertThat(carried).usingRecursiveComparison().ignoringFields("receivedAt", "updatedAt")
                                    .isEqualTo(stored);
                            // the database keeps microseconds
                            assertThat(java.time.Duration.between(carried.receivedAt(), stored.receivedAt()).abs())
                                    .isLessThan(java.time.Duration.ofMillis(1));
                        });
                ids.add(id);
            }
        }
        return ids;
    }
}
