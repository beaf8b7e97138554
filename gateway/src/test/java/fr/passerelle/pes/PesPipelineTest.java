package fr.passerelle.pes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
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
import fr.passerelle.flow.FlowStatus;
import fr.passerelle.signature.CommuneKeyStore;
import fr.passerelle.signature.DemoKeys;
import fr.passerelle.signature.SignatureVerifier;
import fr.passerelle.signature.SigningKey;
import fr.passerelle.signature.VerificationReport;

/**
 * The PES and signature stages on a running gateway: a validated invoice becomes a PJ of a signed
 * PES_Aller on its poste comptable's queue; a PES_Aller posted by accounting software is checked,
 * signed per Bordereau, and refused when its NomFic comes again; an expired certificate blocks a
 * flow until a valid key is installed.
 */
class PesPipelineTest {

    @TempDir
    static Path data;
    static TestGateway gw;

    @BeforeAll
    static void start() throws Exception {
        gw = TestGateway.start(data, Map.of("passerelle.pes.batch.max-wait", "PT0S", "passerelle.pes.pack-period", "200",
                "passerelle.recovery.sweep-period", "300", "passerelle.recovery.grace", "PT0S",
                // signed flows stay on their treasury queue, where this test looks for them
                "passerelle.treasury.autostart", "false"));
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    private static Flow flow(String id) {
        return gw.gateway.flows().find(id).orElseThrow();
    }

    private static VerificationReport verifySigned(String flowId) throws Exception {
        String sha = gw.gateway.flows().artifact(flowId, "signed").orElseThrow();
        return new SignatureVerifier().verify(gw.gateway.originals().path(sha));
    }

    @Test
    void aValidatedInvoiceBecomesAPjOfASignedPesFlowOnItsTreasuryQueue() throws Exception {
        // the recovery would wake the undelivered flow (no grace here) and add wake-ups of its own to the
        // queue counted below: this test counts the signing stage's alone
        gw.gateway.camel().getRouteController().stopRoute("recovery-sweep");
        try {
            signedFlowOnItsTreasuryQueue();
        } finally {
            gw.gateway.camel().getRouteController().startRoute("recovery-sweep");
        }
    }

    private void signedFlowOnItsTreasuryQueue() throws Exception {
        HttpResponse<String> posted = gw.post("demo-key-belcourt", "/api/v1/flows?wait=20", "facture.xml",
                Invoices.ublFor("21750108900015").getBytes(StandardCharsets.UTF_8));
        String invoiceId = Json.parse(posted.body()).get("id").asText();
        // packed at once here (no batch wait): the caller may already see it PACKED
        assertThat(Json.parse(posted.body()).get("status").asText()).as(posted.body()).isIn("VALIDATED", "PACKED");
        assertThat(Json.parse(posted.body()).get("validation").get("verdict").asText()).isEqualTo("accepted");

        var pj = TestGateway.await(() -> gw.gateway.pesRegistry().pjOf(invoiceId), java.util.Optional::isPresent, Duration.ofSeconds(30))
                .orElseThrow();
        assertThat(pj.idUnique()).matches("217501089PSL\\d{12}");
        Flow pes = TestGateway.await(() -> flow(pj.pesFlowId()), f -> f.status() == FlowStatus.SIGNED, Duration.ofSeconds(30));
        assertThat(pes.status()).isEqualTo(FlowStatus.SIGNED);
        assertThat(pes.format()).isEqualTo("PES_ALLER");
        assertThat(flow(invoiceId).status()).isEqualTo(FlowStatus.PACKED);

        VerificationReport report = verifySigned(pes.id());
        assertThat(report.valid()).as(report.toJson()).isTrue();
        assertThat(report.signatures()).hasSize(1);
        assertThat(report.signatures().get(0).policyOid()).isEqualTo("urn:oid:1.2.250.1.131.1.5.18.21.1.7");

        // the signed flow is still valid against the official schema
        Path signed = gw.gateway.originals().path(gw.gateway.flows().artifact(pes.id(), "signed").orElseThrow());
        assertThat(PesSchemas.validate(PesSchemas.aller(), signed).valid()).isTrue();

        // the accounting software asks which IdUnique the invoice got
        JsonNode api = Json.parse(gw.get("demo-key-belcourt", "/api/v1/flows/" + invoiceId).body());
        assertThat(api.get("pes").get("idUnique").asText()).isEqualTo(pj.idUnique());
        assertThat(api.get("pes").get("nomFic").asText()).startsWith("PESALR2_21750108900015_");
        assertThat(gw.get("demo-key-belcourt", "/api/v1/flows/" + pes.id() + "/signed").body()).contains(pj.idUnique());

        // the queue of poste 017001 is shared with the other tests' communes: count this flow's messages
        String queue = "passerelle.treasury.017001";
        String flowId = pes.id();
        assertThat(TestGateway.await(() -> onQueue(queue, flowId), n -> n >= 1, Duration.ofSeconds(10))).isEqualTo(1);

        // redelivered signature messages never sign the flow again nor put it twice on its queue
        NotifyBuilder resent = new NotifyBuilder(gw.gateway.camel()).fromRoute("sign").whenDone(2).create();
        var producer = gw.gateway.camel().createProducerTemplate();
        producer.sendBody("jms:queue:passerelle.sign?exchangePattern=InOnly", pes.id());
        producer.sendBody("jms:queue:passerelle.sign?exchangePattern=InOnly", pes.id());
        assertThat(resent.matches(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(onQueue(queue, flowId)).isEqualTo(1);
        assertThat(gw.gateway.flows().history(pes.id())).filteredOn(e -> e.status() == FlowStatus.SIGNED).hasSize(1);
    }

    /** Messages of one flow waiting on a queue (browsed, not consumed). */
    private static int onQueue(String queue, String flowId) {
        try (jakarta.jms.JMSContext jms = gw.gateway.connectionFactory().createContext();
             jakarta.jms.QueueBrowser browser = jms.createBrowser(jms.createQueue(queue),
                     "PasserelleFlowId = '" + flowId + "'")) {
            return java.util.Collections.list(browser.getEnumeration()).size();
        } catch (jakarta.jms.JMSException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aNomFicTheCommuneAlreadyUsedIsNeverGivenToABuiltFlow() throws Exception {
        var commune = gw.gateway.tenants().commune("chanteloup-vieux").orElseThrow();
        String today = java.time.LocalDate.now(java.time.ZoneId.of("Europe/Paris"))
                .format(java.time.format.DateTimeFormatter.ofPattern("yyMMdd"));
        String taken = "PESALR2_" + commune.siret() + "_" + today + "_001";
        byte[] relayed = Invoices.pesAllerFor(commune.idPost(), commune.siret(), commune.codCol(),
                commune.codBuds().get(0), taken);
        String relayId = Json.parse(gw.post("demo-key-chanteloup-vieux", "PES_logiciel.xml", relayed).body()).get("id").asText();
        assertThat(TestGateway.await(() -> flow(relayId), f -> f.status() != FlowStatus.RECEIVED, Duration.ofSeconds(30)).status())
                .isIn(FlowStatus.PACKED, FlowStatus.SIGNED);

        String invoiceId = Json.parse(gw.post("demo-key-chanteloup-vieux", "/api/v1/flows?wait=20", "f.xml",
                Invoices.ublFor(commune.siret()).getBytes(StandardCharsets.UTF_8)).body()).get("id").asText();
        var pj = TestGateway.await(() -> gw.gateway.pesRegistry().pjOf(invoiceId), java.util.Optional::isPresent, Duration.ofSeconds(30))
                .orElseThrow();
        assertThat(gw.gateway.pesRegistry().nomFicOf(pj.pesFlowId()).orElseThrow()).isNotEqualTo(taken)
                .startsWith("PESALR2_" + commune.siret() + "_" + today + "_");
    }

    private static byte[] pesExFor(String nomFic) throws Exception {
        return Invoices.pesAllerFor("017001", "21750101400013", "100", "01", nomFic);
    }


    @Test
    void aRelayedPesAllerIsSignedPerBordereauAndItsNomFicNeverPassesTwice() throws Exception {
        HttpResponse<String> posted = gw.post("demo-key-aubeval", "PES_relais.xml", pesExFor("RELAIS0001"));
        String id = Json.parse(posted.body()).get("id").asText();
        Flow signed = TestGateway.await(() -> flow(id), f -> f.status() == FlowStatus.SIGNED || f.status() == FlowStatus.REJECTED,
                Duration.ofSeconds(30));
        assertThat(signed.status()).as(String.valueOf(signed.rejection())).isEqualTo(FlowStatus.SIGNED);
        VerificationReport report = verifySigned(id);
        assertThat(report.valid()).as(report.toJson()).isTrue();
        assertThat(report.signatures()).allSatisfy(s -> assertThat(s.signedElement()).isEqualTo("Bordereau"));
        JsonNode api = Json.parse(gw.get("demo-key-aubeval", "/api/v1/flows/" + id + "/signatures").body());
        assertThat(api.get("valid").asBoolean()).isTrue();
        assertThat(api.get("signatures").get(0).get("claimedRole").asText()).isEqualTo("Ordonnateur");

        // the same NomFic again, in other bytes: refused, with the reason in the flow and its report
        byte[] again = (new String(pesExFor("RELAIS0001"), StandardCharsets.ISO_8859_1) + "\n<!-- renvoi -->\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        String second = Json.parse(gw.post("demo-key-aubeval", "PES_relais_bis.xml", again).body()).get("id").asText();
        Flow refused = TestGateway.await(() -> flow(second), f -> f.status() == FlowStatus.REJECTED, Duration.ofSeconds(30));
        assertThat(refused.rejection().rule()).isEqualTo("PES-NOMFIC-DOUBLON");
        JsonNode refusal = Json.parse(gw.get("demo-key-aubeval", "/api/v1/flows/" + second).body());
        assertThat(refusal.get("validation").get("findings").get(0).get("rule").asText()).isEqualTo("PES-NOMFIC-DOUBLON");
    }

    @Test
    void theApiVerifiesAPostedFlowAndAStoredOne() throws Exception {
        byte[] real = Files.readAllBytes(Samples.sample("pes/PESALR2_25060187900027_190328_001.xml"));
        HttpResponse<String> answer = gw.post("demo-key-aubeval", "/api/v1/verify", "reel.xml", real);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode report = Json.parse(answer.body());
        assertThat(report.get("valid").asBoolean()).as(answer.body()).isTrue();
        assertThat(report.get("signatures").get(0).get("certificateNotBefore").asText()).startsWith("2018-11-26");
        assertThat(report.get("signatures").get(0).get("certificateNotAfter").asText()).startsWith("2020-04-29");

        String text = new String(real, StandardCharsets.ISO_8859_1);
        int at = text.indexOf("<MtBordHT V=\"") + "<MtBordHT V=\"".length();
        char digit = text.charAt(at);
        String tampered = text.substring(0, at) + (digit == '9' ? '8' : (char) (digit + 1)) + text.substring(at + 1);
        JsonNode broken = Json.parse(gw.post("demo-key-aubeval", "/api/v1/verify", "modifie.xml",
                tampered.getBytes(StandardCharsets.ISO_8859_1)).body());
        assertThat(broken.get("valid").asBoolean()).isFalse();
        assertThat(broken.get("reason").asText()).isNotBlank();

        HttpResponse<String> notXml = gw.post("demo-key-aubeval", "/api/v1/verify", "x.pdf", "%PDF-1.4".getBytes());
        assertThat(notXml.statusCode()).isEqualTo(422);
        assertThat(Json.parse(notXml.body()).get("error").asText()).isEqualTo("not-processable");
    }

    @Test
    void aPesAllerOfAnotherCollectivityIsRefusedNamingTheElement() throws Exception {
        byte[] foreign = Files.readAllBytes(Samples.sample("pes/PES_ex.xml"));
        String id = Json.parse(gw.post("demo-key-aubeval", "PES_autre.xml", foreign).body()).get("id").asText();
        Flow refused = TestGateway.await(() -> flow(id), f -> f.status() == FlowStatus.REJECTED, Duration.ofSeconds(30));
        assertThat(refused.rejection().layer()).isEqualTo("pes");
        assertThat(refused.rejection().rule()).isIn("PES-IDPOST", "PES-IDCOLL", "PES-CODBUD");
    }

    @Test
    void anExpiredCertificateBlocksTheFlowUntilAValidKeyIsInstalled() throws Exception {
        Path keystore = data.resolve("keys/dormeval.p12");
        install(keystore, DemoKeys.selfSigned("Commune de Dormeval", Instant.now().minus(Duration.ofDays(800)),
                Instant.now().minus(Duration.ofDays(2))));
        String siret = gw.gateway.tenants().commune("dormeval").orElseThrow().siret();
        String idPost = gw.gateway.tenants().commune("dormeval").orElseThrow().idPost();
        String codCol = gw.gateway.tenants().commune("dormeval").orElseThrow().codCol();
        String codBud = gw.gateway.tenants().commune("dormeval").orElseThrow().codBuds().get(0);
        byte[] pes = Files.readString(Samples.sample("pes/PES_ex.xml"), StandardCharsets.ISO_8859_1)
                .replace("<IdPost V=\"031007\"/><IdColl V=\"24310063300011\"/><CodCol V=\"100\"/><CodBud V=\"00\"/>",
                        "<IdPost V=\"" + idPost + "\"/><IdColl V=\"" + siret + "\"/><CodCol V=\"" + codCol
                                + "\"/><CodBud V=\"" + codBud + "\"/>")
                .getBytes(StandardCharsets.ISO_8859_1);
        String id = Json.parse(gw.post("demo-key-dormeval", "PES_dormeval.xml", pes).body()).get("id").asText();
        Flow blocked = TestGateway.await(() -> flow(id), f -> f.status() == FlowStatus.BLOCKED, Duration.ofSeconds(30));
        assertThat(blocked.status()).as(String.valueOf(blocked.rejection())).isEqualTo(FlowStatus.BLOCKED);
        assertThat(blocked.rejection().rule()).isEqualTo("SIGN-CERT-EXPIRED");
        assertThat(gw.gateway.flows().artifact(id, "signed")).isEmpty();

        install(keystore, DemoKeys.selfSigned("Commune de Dormeval", Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(365))));
        Flow signed = TestGateway.await(() -> flow(id), f -> f.status() == FlowStatus.SIGNED, Duration.ofSeconds(30));
        assertThat(signed.status()).isEqualTo(FlowStatus.SIGNED);
        assertThat(verifySigned(id).valid()).isTrue();
    }

    /** A commune's keystore as an operator installs it: the PKCS#12 and its password file. */
    private static void install(Path keystore, SigningKey key) throws Exception {
        Files.createDirectories(keystore.getParent());
        char[] password = "mot-de-passe-de-test".toCharArray();
        Path tmp = Files.createTempFile(keystore.getParent(), "key", ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            DemoKeys.store(key, password, out);
        }
        Files.writeString(CommuneKeyStore.passwordFile(keystore), new String(password));
        Files.move(tmp, keystore, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        // a different modification time than the key it replaces, however fast the test goes
        Files.setLastModifiedTime(keystore, java.nio.file.attribute.FileTime.from(Instant.now().plusSeconds(
                (long) (Math.random() * 1000) + 1)));
    }
}
