package fr.passerelle.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Vector;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.Session;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.passerelle.Invoices;
import fr.passerelle.Json;
import fr.passerelle.Samples;
import fr.passerelle.TestGateway;
import fr.passerelle.flow.Flow;
import fr.passerelle.flow.FlowSnapshots;
import fr.passerelle.flow.FlowStatus;

/**
 * The validation stage on a running gateway: files posted over HTTP or uploaded by SFTP are
 * judged from the durable queue, the report is stored with the flow, returned by the API, sent
 * back to the supplier's reports/ folder; refused files are quarantined.
 */
class ValidationStageTest {

    static final String KEY = "demo-key-aubeval";

    @TempDir
    static Path data;
    static TestGateway gw;

    @BeforeAll
    static void start() throws Exception {
        gw = TestGateway.start(data);
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aCallerWhoWaitsGetsTheVerdictWithTheFlow() throws Exception {
        HttpResponse<String> answer = gw.post(KEY, "/api/v1/flows?wait=20", "facture.xml",
                utf8(Invoices.ublFor(Invoices.AUBEVAL_SIRET)));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
        JsonNode flow = Json.parse(answer.body());
        assertThat(flow.get("status").asText()).isEqualTo("VALIDATED");
        JsonNode report = flow.get("validation");
        assertThat(report.get("processing").asText()).isEqualTo("completed");
        assertThat(report.get("verdict").asText()).isEqualTo("accepted");
        assertThat(report.get("layers").toString()).contains("routing");
        assertThat(report.get("summary").get("buyerIdentifiers").toString()).contains(Invoices.AUBEVAL_SIRET);

        JsonNode again = Json.parse(gw.get(KEY, "/api/v1/flows/" + flow.get("id").asText()).body());
        assertThat(again.get("validation").get("verdict").asText()).isEqualTo("accepted");
        assertThat(again.get("history").toString()).contains("VALIDATED");
    }

    @Test
    void aRejectedInvoiceNamesLayerRuleAndLocationAndItsOriginalIsQuarantined() throws Exception {
        String broken = Invoices.ublFor(Invoices.AUBEVAL_SIRET)
                .replace("<cbc:PayableAmount currencyID=\"EUR\">250.33", "<cbc:PayableAmount currencyID=\"EUR\">260.33");
        HttpResponse<String> answer = gw.post(KEY, "/api/v1/flows?wait=20", "faux-total.xml", utf8(broken));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(422);
        JsonNode flow = Json.parse(answer.body());
        assertThat(flow.get("status").asText()).isEqualTo("REJECTED");
        JsonNode reason = flow.get("reason");
        assertThat(reason.get("layer").asText()).isEqualTo("en16931");
        assertThat(reason.get("rule").asText()).isEqualTo("BR-CO-16");
        assertThat(reason.get("location").asText()).startsWith("/ubl:Invoice");
        assertThat(reason.get("message").asText()).contains("net à payer");
        String id = flow.get("id").asText();
        // the verdict is answered once committed; the quarantine copy follows the commit
        Path quarantined = data.resolve("quarantine").resolve(id + "_faux-total.xml");
        TestGateway.await(() -> Files.exists(quarantined), Boolean::booleanValue, java.time.Duration.ofSeconds(10));
        assertThat(quarantined).exists();
        // the original is kept exactly as received
        assertThat(gw.get(KEY, "/api/v1/flows/" + id + "/original").body()).isEqualTo(broken);
    }

    @Test
    void aHostilePdfIsRefusedAndTheNextInvoiceIsStillJudged() throws Exception {
        HttpResponse<String> bomb = gw.post(KEY, "/api/v1/flows?wait=30", "bombe.pdf", Invoices.pdfBomb(256L << 20));
        JsonNode refused = Json.parse(bomb.body());
        assertThat(refused.get("status").asText()).as(bomb.body()).isEqualTo("REJECTED");
        assertThat(refused.get("reason").get("layer").asText()).isEqualTo("container");
        HttpResponse<String> good = gw.post(KEY, "/api/v1/flows?wait=20", "apres.xml",
                utf8(Invoices.ublFor(Invoices.AUBEVAL_SIRET) + "\n<!-- une autre facture -->\n"));
        assertThat(Json.parse(good.body()).get("status").asText()).as(good.body()).isEqualTo("VALIDATED");
    }

    @Test
    void anInvoiceAddressedToAnotherCommuneIsRefusedByRouting() throws Exception {
        HttpResponse<String> answer = gw.post(KEY, "/api/v1/flows?wait=20", "autre.xml",
                utf8(Invoices.ublFor("21750108900015"))); // Belcourt's SIRET, posted with Aubeval's key
        JsonNode flow = Json.parse(answer.body());
        assertThat(flow.get("status").asText()).isEqualTo("REJECTED");
        assertThat(flow.get("reason").get("rule").asText()).isEqualTo("ROUTING-OTHER-COMMUNE");
        assertThat(flow.get("reason").get("layer").asText()).isEqualTo("routing");
    }

    @Test
    void withoutWaitingTheFlowIsAnsweredReceivedAndJudgedFromTheQueue() throws Exception {
        NotifyBuilder judged = new NotifyBuilder(gw.gateway.camel()).fromRoute("validate").whenDone(1).create();
        HttpResponse<String> answer = gw.post(KEY, "facture-cii.xml", utf8(Invoices.ciiFor(Invoices.AUBEVAL_SIRET)));
        assertThat(answer.statusCode()).isEqualTo(201);
        String id = Json.parse(answer.body()).get("id").asText();
        assertThat(judged.matches(30, TimeUnit.SECONDS)).isTrue();
        Flow flow = gw.gateway.flows().find(id).orElseThrow();
        assertThat(flow.status()).isEqualTo(FlowStatus.VALIDATED);
        // a redelivered message for a judged flow changes nothing
        ValidationService stage = gw.gateway.camel().getRegistry().lookupByNameAndType("validation", ValidationService.class);
        assertThat(stage.validate(id).status()).isEqualTo(FlowStatus.VALIDATED);
        assertThat(gw.gateway.flows().history(id)).filteredOn(e -> e.status() == FlowStatus.VALIDATED).hasSize(1);
    }

    @Test
    void aWakeUpCarryingAnOutdatedReceivedFlowChangesNothing() throws Exception {
        HttpResponse<String> answer = gw.post(KEY, "/api/v1/flows?wait=20", "deux-fois.xml",
                utf8(Invoices.ublFor(Invoices.AUBEVAL_SIRET) + "\n<!-- réveillée deux fois -->\n"));
        String id = Json.parse(answer.body()).get("id").asText();
        Flow judged = gw.gateway.flows().find(id).orElseThrow();
        assertThat(judged.status()).isEqualTo(FlowStatus.VALIDATED);
        // the snapshot its first wake-up carried, as the recovery sweep's second wake-up would carry it too
        Flow asReceived = new Flow(judged.id(), judged.communeId(), judged.sha256(), judged.fileName(), judged.format(),
                judged.channel(), judged.sender(), judged.size(), FlowStatus.RECEIVED, null, judged.receivedAt(),
                judged.receivedAt());
        String snapshot = new FlowSnapshots().of(asReceived);
        ValidationService stage = gw.gateway.camel().getRegistry().lookupByNameAndType("validation", ValidationService.class);

        // a first delivery trusts the snapshot and judges again, but the verdict is recorded only for a RECEIVED flow
        assertThat(stage.validate(id, 1, snapshot).status()).isEqualTo(FlowStatus.VALIDATED);
        // a redelivery reads the store
        assertThat(stage.validate(id, 2, snapshot).status()).isEqualTo(FlowStatus.VALIDATED);
        assertThat(gw.gateway.flows().history(id)).filteredOn(e -> e.status() == FlowStatus.VALIDATED).hasSize(1);
    }

    @Test
    void validateAnswersTheReportAndStoresNothing() throws Exception {
        int before = gw.gateway.flows().withStatus(FlowStatus.VALIDATED).size()
                + gw.gateway.flows().withStatus(FlowStatus.REJECTED).size();
        byte[] pdf = Files.readAllBytes(Samples.sample("invoices/facturx/valid/Facture_FR_MINIMUM.pdf"));
        HttpResponse<String> answer = gw.post(KEY, "/api/v1/validate", "minimum.pdf", pdf);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode report = Json.parse(answer.body());
        assertThat(report.get("file").asText()).isEqualTo("minimum.pdf");
        assertThat(report.get("profile").asText()).isEqualTo("MINIMUM");
        assertThat(report.get("findings").toString()).contains("FX-NOT-EN16931");
        int after = gw.gateway.flows().withStatus(FlowStatus.VALIDATED).size()
                + gw.gateway.flows().withStatus(FlowStatus.REJECTED).size();
        assertThat(after).isEqualTo(before);
        assertThat(gw.post(null, "/api/v1/validate", "x.pdf", pdf).statusCode()).isEqualTo(401);
    }

    @Test
    void validateJudgesByTheFrenchRulesInForceOnTheDayItIsGiven() throws Exception {
        byte[] french = Files.readAllBytes(Samples.sample("invoices/fr-ctc/UC1_F202500003_00-INV_20250701_CII_EN16931.xml"));
        RuleSets sets = ValidationArtefacts.shared().ruleSets();
        for (RuleSets.French set : sets.french()) {
            HttpResponse<String> answer = gw.post(KEY, "/api/v1/validate?receivedOn=" + set.inForce(), "f.xml", french);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            JsonNode rules = Json.parse(answer.body()).get("rules");
            assertThat(rules.get("fr.ctc").asText()).isEqualTo(set.version());
            assertThat(rules.get("en16931").asText()).isEqualTo(sets.en16931());
        }
        HttpResponse<String> unreadable = gw.post(KEY, "/api/v1/validate?receivedOn=hier", "f.xml", french);
        assertThat(unreadable.statusCode()).isEqualTo(400);
        assertThat(Json.parse(unreadable.body()).get("detail").asText()).contains("receivedOn");
    }

    @Test
    void aSupplierFindsTheReportOfItsUploadInItsReportsFolder() throws Exception {
        NotifyBuilder judged = new NotifyBuilder(gw.gateway.camel()).fromRoute("validate").whenDone(1).create();
        Session session = gw.supplierSession("demo-supplier-password");
        try {
            ChannelSftp sftp = (ChannelSftp) session.openChannel("sftp");
            sftp.connect(10_000);
            String broken = Invoices.ciiFor(Invoices.AUBEVAL_SIRET)
                    .replace("<ram:GrandTotalAmount>250.33", "<ram:GrandTotalAmount>251.33");
            sftp.put(new ByteArrayInputStream(utf8(broken)), "facture-sftp.xml");
            assertThat(judged.matches(30, TimeUnit.SECONDS)).isTrue();
            @SuppressWarnings("unchecked")
            Vector<ChannelSftp.LsEntry> reports = sftp.ls("reports");
            List<String> names = reports.stream().map(ChannelSftp.LsEntry::getFilename)
                    .filter(n -> n.startsWith("facture-sftp.xml.")).toList();
            assertThat(names).hasSize(1);
            ByteArrayOutputStream report = new ByteArrayOutputStream();
            sftp.get("reports/" + names.get(0), report);
            JsonNode json = Json.parse(report.toString(StandardCharsets.UTF_8));
            assertThat(json.get("verdict").asText()).isEqualTo("rejected");
            assertThat(json.get("findings").toString()).contains("BR-CO-15");
            // the supplier reads which rule set judged the invoice
            assertThat(json.get("rules").get("en16931").asText()).isEqualTo("1.3.16");
            sftp.disconnect();
        } finally {
            session.disconnect();
        }
    }

    @Test
    void aPesFlowIsNoInvoiceAndWaitsForThePesStageOnItsOwnQueue() throws Exception {
        NotifyBuilder passed = new NotifyBuilder(gw.gateway.camel()).fromRoute("validate").whenDone(1).create();
        NotifyBuilder relayed = new NotifyBuilder(gw.gateway.camel()).fromRoute("pes-relay").whenDone(1).create();
        HttpResponse<String> answer = gw.post(KEY, "PES_ex.xml", Files.readAllBytes(Samples.sample("pes/PES_ex.xml")));
        String id = Json.parse(answer.body()).get("id").asText();
        assertThat(passed.matches(30, TimeUnit.SECONDS)).isTrue();
        // not judged as an invoice: the PES stage took it from its own queue (and refused its foreign header)
        assertThat(relayed.matches(30, TimeUnit.SECONDS)).isTrue();
        var flow = TestGateway.await(() -> gw.gateway.flows().find(id).orElseThrow(),
                f -> f.status() != FlowStatus.RECEIVED, java.time.Duration.ofSeconds(10));
        assertThat(flow.status()).isEqualTo(FlowStatus.REJECTED);
        assertThat(flow.rejection().layer()).isEqualTo("pes");
    }

}
