package fr.passerelle.chorus;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.passerelle.GatewayProcess;
import fr.passerelle.Invoices;
import fr.passerelle.Json;
import fr.passerelle.TestGateway;
import fr.passerelle.chorus.simulator.ChorusProSimulator;
import fr.passerelle.chorus.simulator.Misbehaviour;

/**
 * The gateway process is killed (SIGKILL) in the middle of a Chorus Pro sync — pages asked, some
 * invoices downloaded and taken in, others not yet — and started again on the same data: every
 * invoice deposited ends up as exactly one flow, none twice, none missed.
 */
class KilledChorusSyncTest {

    static final long AUBEVAL = 25784152L;
    static final int INVOICES = 6;

    @TempDir
    Path data;
    private ChorusProSimulator chorus;
    private GatewayProcess gateway;

    @BeforeEach
    void startChorusPro() throws Exception {
        chorus = new ChorusProSimulator(ChorusProSimulator.Options.defaults()).start();
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        chorus.close();
    }

    @Test
    void aGatewayKilledMidSyncPullsEveryInvoiceOnceAfterItsRestart() throws Exception {
        Set<Long> deposited = new TreeSet<>();
        for (int i = 1; i <= INVOICES; i++) {
            // each its own content (its own invoice number), all for aubeval
            String ubl = Invoices.ublFor(Invoices.AUBEVAL_SIRET).replaceFirst("<cbc:ID>[^<]*</cbc:ID>",
                    "<cbc:ID>CPP-" + i + "</cbc:ID>");
            deposited.add(chorus.deposit(AUBEVAL, "AUBEVAL", "CPP-" + i, "CPP-" + i + ".xml",
                    ubl.getBytes(StandardCharsets.UTF_8), BigDecimal.TEN));
        }
        // every answer takes seconds: the sync is still going when the process dies
        chorus.misbehave(Misbehaviour.SLOW, 12);
        gateway = new GatewayProcess(data, Path.of("target", "killed-chorus-sync"), List.of("-Xmx512m"), this::settings,
                "demo-key-aubeval");
        start();
        String downloads = "factures/v1/telecharger/groupe";
        TestGateway.await(() -> chorus.calls(downloads), n -> n >= 2, Duration.ofSeconds(120));
        assertThat(gateway.kill()).as("gateway killed while syncing").isTrue();
        assertThat(chorus.calls(downloads)).as("killed mid-sync").isLessThan(INVOICES);

        start();
        Map<Long, String> flows = TestGateway.await(this::chorusFlows, f -> f.size() >= INVOICES,
                Duration.ofSeconds(120));
        assertThat(flows.keySet()).containsExactlyElementsOf(deposited);
        // one flow each: nothing twice
        assertThat(new TreeSet<>(flows.values())).hasSize(INVOICES);
        assertThat(listedChorusFlows()).isEqualTo(INVOICES);
    }

    /** idFacture → flow id, as the API shows each chorus-pro flow; empty while the gateway does not answer. */
    private Map<Long, String> chorusFlows() {
        Map<Long, String> byInvoice = new HashMap<>();
        var list = gateway.get("demo-key-aubeval", "/api/v1/flows?limit=100");
        if (list == null || list.statusCode() != 200) {
            return byInvoice;
        }
        for (JsonNode f : Json.parse(list.body()).get("flows")) {
            if ("chorus-pro".equals(f.get("channel").asText())) {
                JsonNode detail = gateway.flow("demo-key-aubeval", f.get("id").asText());
                if (detail != null && detail.has("chorusPro")) {
                    byInvoice.put(detail.get("chorusPro").get("idFacture").asLong(), f.get("id").asText());
                }
            }
        }
        return byInvoice;
    }

    private long listedChorusFlows() {
        var list = gateway.get("demo-key-aubeval", "/api/v1/flows?limit=100");
        long n = 0;
        for (JsonNode f : Json.parse(list.body()).get("flows")) {
            n += "chorus-pro".equals(f.get("channel").asText()) ? 1 : 0;
        }
        return n;
    }

    /** The real gateway in its own JVM, pulling from this test's Chorus Pro two invoices a page. */
    private Map<String, String> settings() {
        Map<String, String> set = new LinkedHashMap<>(ChorusProExchangeTest.atTestPace(chorus));
        set.put("passerelle.sftp.enabled", "false");
        set.put("passerelle.simulator.enabled", "false");
        return set;
    }

    private void start() throws Exception {
        gateway.launch();
        assertThat(gateway.awaitApi(Duration.ofSeconds(90))).as("gateway answering (see " + gateway.log() + ")")
                .isTrue();
    }
}
