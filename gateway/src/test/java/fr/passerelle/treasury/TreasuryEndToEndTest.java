package fr.passerelle.treasury;

import static org.assertj.core.api.Assertions.assertThat;
import static org.citrusframework.actions.ReceiveMessageAction.Builder.receive;
import static org.citrusframework.actions.SendMessageAction.Builder.send;
import static org.citrusframework.http.actions.HttpActionBuilder.http;
import static org.citrusframework.validation.json.JsonPathMessageValidationContext.Builder.jsonPath;

import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.apache.ftpserver.ftplet.DataType;
import org.citrusframework.TestCaseRunner;
import org.citrusframework.annotations.CitrusResource;
import org.citrusframework.annotations.CitrusTest;
import org.citrusframework.ftp.client.SftpClient;
import org.citrusframework.ftp.endpoint.builder.SftpEndpoints;
import org.citrusframework.ftp.message.FtpMessage;
import org.citrusframework.http.client.HttpClient;
import org.citrusframework.http.endpoint.builder.HttpEndpoints;
import org.citrusframework.junit.jupiter.CitrusSupport;
import org.citrusframework.message.MessageType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.HttpStatus;

import fr.passerelle.Invoices;
import fr.passerelle.Json;
import fr.passerelle.Samples;
import fr.passerelle.TestGateway;
import fr.passerelle.flow.Flow;
import fr.passerelle.flow.FlowQuery;
import fr.passerelle.flow.FlowStatus;
import fr.passerelle.signature.DemoKeys;
import fr.passerelle.signature.XadesSigner;
import fr.passerelle.treasury.simulator.HeliosSimulator;

/**
 * The whole way to the treasury and back, on a running gateway with its Hélios simulator: a
 * supplier's Factur-X over SFTP ends ACKNOWLEDGED with its IdUnique; a PES_Aller the treasury has
 * already integrated is refused as a duplicate and the reason reaches the API, the commune's outbox
 * and its webhook; a treasury down for a while gets the flow exactly once when it is back.
 */
@CitrusSupport
class TreasuryEndToEndTest {

    private static final String AUBEVAL = "aubeval";
    private static final String KEY = "demo-key-aubeval";

    @TempDir
    static Path data;
    @TempDir
    static Path config;
    @TempDir
    Path work;
    static TestGateway gw;
    static HttpServer webhook;
    static final List<Map.Entry<String, String>> notices = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/hooks/aubeval", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            notices.add(Map.entry(String.valueOf(exchange.getRequestHeaders().getFirst("X-Passerelle-Signature")), body));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        webhook.start();
        Path conf = TestGateway.copyOfConfig(config.resolve("config"));
        Path tenants = conf.resolve("tenants.yaml");
        Files.writeString(tenants, Files.readString(tenants).replace("""
                    signingKey: keys/aubeval.p12
                    treasuryEndpoint: helios-simulator
                """, """
                    signingKey: keys/aubeval.p12
                    treasuryEndpoint: helios-simulator
                    webhook:
                      url: http://127.0.0.1:%d/hooks/aubeval
                      secret: secret-de-test
                """.formatted(webhook.getAddress().getPort())));
        gw = TestGateway.start(data, conf, Map.of("passerelle.pes.batch.max-wait", "PT0S",
                "passerelle.pes.pack-period", "200", "passerelle.recovery.sweep-period", "500"));
    }

    @AfterAll
    static void stop() {
        gw.close();
        webhook.stop(0);
    }

    @AfterEach
    void simulatorBackToNormal() {
        gw.simulator().mode(HeliosSimulator.Mode.NORMAL);
    }

    private static Flow flow(String id) {
        return gw.gateway.flows().find(id).orElseThrow();
    }

    private static Flow awaitStatus(String id, FlowStatus... wanted) throws InterruptedException {
        List<FlowStatus> statuses = List.of(wanted);
        return TestGateway.await(() -> flow(id), f -> statuses.contains(f.status()), Duration.ofSeconds(60));
    }

    @Test
    @CitrusTest
    void aFacturXUploadedBySftpEndsAcknowledgedWithItsIdUnique(@CitrusResource TestCaseRunner t) throws Exception {
        Path invoice = Invoices.editPdf(Samples.sample("invoices/facturx/valid/zugferd_2p0_EN16931_Einfach.pdf"),
                work.resolve("facture-aubeval.pdf"), pdf -> Invoices.editAttachment(pdf, xml -> xml.replace(
                        "<ram:ID>GE2020211</ram:ID>", "<ram:ID>" + Invoices.AUBEVAL_SIRET + "</ram:ID>")));
        SftpClient sftp = SftpEndpoints.sftp().client().host("127.0.0.1").port(gw.sftpPort)
                .username("fournisseur-demo").password("demo-supplier-password").strictHostChecking(false)
                .timeout(20_000).build();
        sftp.initialize();
        try {
            t.$(send(sftp).message(FtpMessage.put(invoice.toAbsolutePath().toString(), "facture-aubeval.pdf",
                    DataType.BINARY)));
            t.$(receive(sftp).message(FtpMessage.putResult(226, "Transfer complete", true)));
        } finally {
            sftp.destroy();
        }
        Flow received = TestGateway.await(() -> gw.gateway.flows().list(new FlowQuery(AUBEVAL, null, "FACTURX_PDF",
                        null, null, null, 10, 0)).stream().filter(f -> f.fileName().equals("facture-aubeval.pdf")).findFirst()
                        .orElse(null), f -> f != null, Duration.ofSeconds(30));
        assertThat(received).isNotNull();
        Flow invoiceFlow = awaitStatus(received.id(), FlowStatus.ACKNOWLEDGED, FlowStatus.REFUSED, FlowStatus.REJECTED,
                FlowStatus.FAILED);
        assertThat(invoiceFlow.status()).as(String.valueOf(invoiceFlow.rejection())).isEqualTo(FlowStatus.ACKNOWLEDGED);
        var pj = gw.gateway.pesRegistry().pjOf(received.id()).orElseThrow();
        String nomFic = gw.gateway.pesRegistry().nomFicOf(pj.pesFlowId()).orElseThrow();
        assertThat(flow(pj.pesFlowId()).status()).isEqualTo(FlowStatus.ACKNOWLEDGED);

        // the API shows the invoice acknowledged with its IdUnique, and the flow's transmission and acquittement
        HttpClient api = HttpEndpoints.http().client().requestUrl(gw.api()).build();
        t.$(http().client(api).send().get("/api/v1/flows/" + received.id()).message().header("X-Api-Key", KEY));
        t.$(http().client(api).receive().response(HttpStatus.OK).message().type(MessageType.JSON)
                .validate(jsonPath().expression("$.status", "ACKNOWLEDGED")
                        .expression("$.pes.idUnique", pj.idUnique())
                        .expression("$.treasury.acquit.accepted", true)));
        t.$(http().client(api).send().get("/api/v1/flows/" + pj.pesFlowId()).message().header("X-Api-Key", KEY));
        t.$(http().client(api).receive().response(HttpStatus.OK).message().type(MessageType.JSON)
                .validate(jsonPath().expression("$.status", "ACKNOWLEDGED")
                        .expression("$.treasury.transmission.state", "SENT")
                        .expression("$.treasury.transmission.remoteName", nomFic + ".xml")
                        .expression("$.treasury.returns[0].outcome", "ACCEPTED")
                        .expression("$.treasury.pj[0].idUnique", pj.idUnique())
                        .expression("$.treasury.pj[0].accepted", true)));

        // the treasury got it once, announced by the SITE commands, and the commune's outbox has the acquittement
        assertThat(gw.simulator().deliveriesOf(nomFic)).isEqualTo(1);
        var delivery = gw.simulator().deliveries().stream().filter(d -> nomFic.equals(d.nomFic())).findFirst()
                .orElseThrow();
        assertThat(delivery.fileName()).isEqualTo(nomFic + ".xml");
        assertThat(delivery.siteCommands()).containsEntry("P_APPLI", "GHELPES2").containsEntry("P_MSG", "PES#100#017001#01")
                .containsEntry("P_DEST", "HELIOS");
        try (var outbox = Files.list(data.resolve("outbox").resolve(AUBEVAL))) {
            assertThat(outbox.map(p -> p.getFileName().toString())).anyMatch(n -> n.contains("ACK") && n.contains(nomFic));
        }
        // the commune's webhook heard SENT and ACKNOWLEDGED (each notice dated: calls retried may cross), signed
        var heard = TestGateway.await(() -> noticesFor(pj.pesFlowId()), l -> l.size() >= 2, Duration.ofSeconds(20));
        assertThat(heard).extracting(n -> Json.parse(n.getValue()).get("status").asText())
                .containsExactlyInAnyOrder("SENT", "ACKNOWLEDGED");
        assertThat(heard).allSatisfy(n -> assertThat(n.getKey())
                .isEqualTo("sha256=" + Webhooks.hmac("secret-de-test", n.getValue())));
    }

    private static List<Map.Entry<String, String>> noticesFor(String flowId) {
        return notices.stream().filter(n -> Json.parse(n.getValue()).get("flowId").asText().equals(flowId)).toList();
    }

    private static byte[] pesAller(String nomFic) throws Exception {
        return Invoices.pesAllerFor("017001", Invoices.AUBEVAL_SIRET, "100", "01", nomFic);
    }


    @Test
    @CitrusTest
    void aPesAllerTheTreasuryHasAlreadyIntegratedIsRefusedAndTheCommuneIsTold(@CitrusResource TestCaseRunner t)
            throws Exception {
        String nomFic = "MANDATS_AUBEVAL_" + System.nanoTime();
        byte[] pes = pesAller(nomFic);
        // the commune's accounting software sent this very flow to Hélios before it joined the gateway
        Instant now = Instant.now();
        byte[] signedElsewhere = new XadesSigner().sign(pes, "direct.xml",
                DemoKeys.selfSigned("Commune d'Aubeval", now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365))),
                now, false);
        TreasuryEndpoint direct = new TreasuryEndpoint("direct", TreasuryEndpoint.Protocol.FTP, "127.0.0.1",
                gw.simulatorFtpPort, "passerelle", "simulateur", "depot", "retour", "HELIOS", Duration.ofSeconds(5),
                Duration.ofSeconds(5));
        try (TreasuryConnection c = TreasuryTransports.open(direct)) {
            c.announce("HELIOS", SiteCommands.pMsg("100", "017001", "01"));
            c.upload("direct.part", new ByteArrayInputStream(signedElsewhere));
            c.rename("direct.part", "PESALR2_21750101400013_000101_999.xml");
        }
        // its acquittement matches no flow of the gateway: quarantined, never dropped
        var quarantined = TestGateway.await(() -> new TransmissionStore(gw.gateway.database().dataSource(),
                gw.gateway.flows(), java.time.Clock.systemUTC()).quarantinedReturns(), l -> !l.isEmpty(), Duration.ofSeconds(20));
        assertThat(quarantined).anySatisfy(r -> assertThat(r.reason()).contains("RETOUR-NON-RAPPROCHE", nomFic));

        HttpClient api = HttpEndpoints.http().client().requestUrl(gw.api()).build();
        t.$(http().client(api).send().post("/api/v1/flows").message().header("X-Api-Key", KEY)
                .header("X-File-Name", "mandats.xml").contentType("application/xml")
                .body(new String(pes, StandardCharsets.ISO_8859_1)));
        t.$(http().client(api).receive().response(HttpStatus.CREATED).message().type(MessageType.JSON)
                .validate(jsonPath().expression("$.format", "PES_ALLER"))
                .extract(org.citrusframework.dsl.MessageSupport.MessageBodySupport.fromBody().expression("$.id", "flowId")));
        t.$(context -> {
            String id = context.getVariable("flowId");
            try {
                Flow refused = awaitStatus(id, FlowStatus.REFUSED, FlowStatus.ACKNOWLEDGED, FlowStatus.REJECTED,
                        FlowStatus.FAILED);
                assertThat(refused.status()).as(String.valueOf(refused.rejection())).isEqualTo(FlowStatus.REFUSED);
                assertThat(refused.rejection().layer()).isEqualTo("treasury");
                assertThat(refused.rejection().rule()).isEqualTo("ERREUR_DOUBLON_BORDEREAU");
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        t.$(http().client(api).send().get("/api/v1/flows/${flowId}").message().header("X-Api-Key", KEY));
        t.$(http().client(api).receive().response(HttpStatus.OK).message().type(MessageType.JSON)
                .validate(jsonPath().expression("$.status", "REFUSED")
                        .expression("$.reason.rule", "ERREUR_DOUBLON_BORDEREAU")
                        .expression("$.treasury.returns[0].outcome", "REFUSED")));
        t.$(context -> {
            String id = context.getVariable("flowId");
            JsonNode body;
            try {
                body = Json.parse(gw.get(KEY, "/api/v1/flows/" + id).body());
                assertThat(body.get("reason").get("message").asText()).contains(nomFic);
                // the acquittement's per-item detail is in the API
                assertThat(body.get("treasury").get("returns").get(0).get("content").toString())
                        .contains("ERREUR_DOUBLON_BORDEREAU");
                // the commune's outbox has the acquittement for its accounting software
                try (var outbox = Files.list(data.resolve("outbox").resolve(AUBEVAL))) {
                    Path ack = outbox.filter(p -> p.getFileName().toString().contains(nomFic)).findFirst().orElseThrow();
                    assertThat(Files.readString(ack, StandardCharsets.ISO_8859_1)).contains("ERREUR_DOUBLON_BORDEREAU");
                }
                var heard = TestGateway.await(() -> noticesFor(id), l -> l.size() >= 2, Duration.ofSeconds(20));
                JsonNode refusal = heard.stream().map(n -> Json.parse(n.getValue()))
                        .filter(n -> n.get("status").asText().equals("REFUSED")).findFirst().orElseThrow();
                assertThat(refusal.get("reason").get("rule").asText()).isEqualTo("ERREUR_DOUBLON_BORDEREAU");
                assertThat(refusal.get("items").toString()).contains("Bordereau 2372");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void whileTheTreasuryIsDownTheFlowIsRetriedThenSentExactlyOnce() throws Exception {
        HeliosSimulator simulator = gw.simulator();
        simulator.mode(HeliosSimulator.Mode.REFUSE_CONNECTIONS);
        String invoiceId = Json.parse(gw.post(KEY, "/api/v1/flows?wait=20", "panne.xml",
                Invoices.ublFor(Invoices.AUBEVAL_SIRET).getBytes(StandardCharsets.UTF_8)).body()).get("id").asText();
        var pj = TestGateway.await(() -> gw.gateway.pesRegistry().pjOf(invoiceId), java.util.Optional::isPresent,
                Duration.ofSeconds(30)).orElseThrow();
        TransmissionStore transmissions = new TransmissionStore(gw.gateway.database().dataSource(), gw.gateway.flows(),
                java.time.Clock.systemUTC());
        // attempts fail and are recorded, the flow waits SIGNED
        var tried = TestGateway.await(() -> transmissions.find(pj.pesFlowId()).orElse(null),
                tx -> tx != null && tx.attempts() >= 2 && tx.lastError() != null, Duration.ofSeconds(30));
        assertThat(tried).isNotNull();
        assertThat(tried.attempts()).isGreaterThanOrEqualTo(2);
        assertThat(tried.lastError()).isNotBlank();
        assertThat(flow(pj.pesFlowId()).status()).isEqualTo(FlowStatus.SIGNED);

        simulator.mode(HeliosSimulator.Mode.NORMAL);
        Flow done = awaitStatus(pj.pesFlowId(), FlowStatus.ACKNOWLEDGED, FlowStatus.REFUSED, FlowStatus.FAILED);
        assertThat(done.status()).as(String.valueOf(done.rejection())).isEqualTo(FlowStatus.ACKNOWLEDGED);
        String nomFic = gw.gateway.pesRegistry().nomFicOf(pj.pesFlowId()).orElseThrow();
        assertThat(simulator.deliveriesOf(nomFic)).isEqualTo(1);
        assertThat(flow(invoiceId).status()).isEqualTo(FlowStatus.ACKNOWLEDGED);
    }
}
