package fr.passerelle.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.passerelle.Json;
import fr.passerelle.Samples;
import fr.passerelle.TestGateway;

/** The HTTP API of a running gateway: intake answers, isolation between communes, bad input. */
class FlowApiTest {

    static final String AUBEVAL = "demo-key-aubeval";
    static final String BELCOURT = "demo-key-belcourt";
    static final String OPS = "demo-ops-key";

    @TempDir
    static Path data;
    static TestGateway gw;

    @BeforeAll
    static void start() throws Exception {
        gw = TestGateway.intakeOnly(data, Map.of("passerelle.intake.max-size", "200KB"));
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    private static byte[] sample(String path) throws Exception {
        return Files.readAllBytes(Samples.sample(path));
    }

    private static String queuedFlowId(String flowId) throws Exception {
        try (JMSContext jms = gw.gateway.connectionFactory().createContext();
             JMSConsumer consumer = jms.createConsumer(jms.createQueue("passerelle.validate"),
                     "PasserelleFlowId = '" + flowId + "'")) {
            Message message = consumer.receive(10_000);
            return message == null ? null : message.getBody(String.class);
        }
    }

    @Test
    void aPostedInvoiceBecomesARecordedQueuedFlowWithItsHistoryAndOriginal() throws Exception {
        byte[] ubl = sample("invoices/ubl/ubl-tc434-example2.xml");
        HttpResponse<String> posted = gw.post(AUBEVAL, "facture-2.xml", ubl);
        assertThat(posted.statusCode()).isEqualTo(201);
        assertThat(posted.headers().firstValue("X-Api-Key")).isEmpty();
        JsonNode flow = Json.parse(posted.body());
        String id = flow.get("id").asText();
        assertThat(flow.get("status").asText()).isEqualTo("RECEIVED");
        assertThat(flow.get("format").asText()).isEqualTo("UBL_INVOICE");
        assertThat(flow.get("commune").asText()).isEqualTo("aubeval");
        assertThat(posted.headers().firstValue("Location")).contains("/api/v1/flows/" + id);

        assertThat(queuedFlowId(id)).isEqualTo(id);

        JsonNode read = Json.parse(gw.get(AUBEVAL, "/api/v1/flows/" + id).body());
        assertThat(read.get("history").get(0).get("status").asText()).isEqualTo("RECEIVED");
        assertThat(read.get("fileName").asText()).isEqualTo("facture-2.xml");
        HttpResponse<String> original = gw.get(AUBEVAL, "/api/v1/flows/" + id + "/original");
        assertThat(original.statusCode()).isEqualTo(200);
        assertThat(original.body().getBytes(StandardCharsets.UTF_8)).isEqualTo(ubl);
    }

    @Test
    void theSameFileTwiceIsAnsweredWithTheExistingFlow() throws Exception {
        byte[] cii = sample("invoices/cii/CII_example1.xml");
        String first = Json.parse(gw.post(AUBEVAL, "cii.xml", cii).body()).get("id").asText();
        HttpResponse<String> again = gw.post(AUBEVAL, "cii-copie.xml", cii);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(Json.parse(again.body()).get("id").asText()).isEqualTo(first);
        assertThat(Json.parse(again.body()).get("duplicate").asBoolean()).isTrue();
        // another commune sending the same bytes has its own flow
        HttpResponse<String> other = gw.post(BELCOURT, "cii.xml", cii);
        assertThat(other.statusCode()).isEqualTo(201);
        assertThat(Json.parse(other.body()).get("id").asText()).isNotEqualTo(first);
    }

    @Test
    void aCommuneNeverSeesAnotherCommunesFlows() throws Exception {
        String id = Json.parse(gw.post(AUBEVAL, "ubl.xml", sample("invoices/ubl/ubl-tc434-creditnote1.xml")).body())
                .get("id").asText();
        HttpResponse<String> foreign = gw.get(BELCOURT, "/api/v1/flows/" + id);
        assertThat(foreign.statusCode()).isEqualTo(404);
        assertThat(Json.parse(foreign.body()).get("error").asText()).isEqualTo("not-found");
        assertThat(gw.get(BELCOURT, "/api/v1/flows/" + id + "/original").statusCode()).isEqualTo(404);
        assertThat(gw.get(BELCOURT, "/api/v1/flows").body()).doesNotContain(id);
        assertThat(gw.get(AUBEVAL, "/api/v1/flows").body()).contains(id);
        assertThat(gw.get(OPS, "/api/v1/flows/" + id).statusCode()).isEqualTo(200);
        assertThat(gw.get(OPS, "/api/v1/flows?commune=aubeval").body()).contains(id);
    }

    @Test
    void listingFiltersByStatusFormatAndDate() throws Exception {
        gw.post(AUBEVAL, "vide.xml", new byte[0]);
        JsonNode rejected = Json.parse(gw.get(AUBEVAL, "/api/v1/flows?status=REJECTED").body());
        assertThat(rejected.get("flows")).isNotEmpty().allSatisfy(f -> assertThat(f.get("status").asText()).isEqualTo("REJECTED"));
        JsonNode cii = Json.parse(gw.get(AUBEVAL, "/api/v1/flows?format=cii").body());
        assertThat(cii.get("flows")).allSatisfy(f -> assertThat(f.get("format").asText()).isEqualTo("CII"));
        assertThat(Json.parse(gw.get(AUBEVAL, "/api/v1/flows?from=2999-01-01").body()).get("count").asInt()).isZero();
        HttpResponse<String> bad = gw.get(AUBEVAL, "/api/v1/flows?status=LOST");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(Json.parse(bad.body()).get("message").asText()).contains("status");
    }

    @Test
    void unknownOrMissingKeysAreRefusedAsJson() throws Exception {
        HttpResponse<String> unknown = gw.post("not-a-key", "f.xml", sample("invoices/cii/CII_example2.xml"));
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(Json.parse(unknown.body()).get("error").asText()).isEqualTo("unauthorized");
        HttpResponse<String> missing = gw.get(null, "/api/v1/flows");
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void badFilesBecomeRejectedFlowsWithTheirRuleAndAQuarantinedOriginal() throws Exception {
        assertRejected(gw.post(AUBEVAL, "vide.pdf", new byte[0]), "INTAKE-EMPTY");
        assertRejected(gw.post(AUBEVAL, "notes.txt", "bonjour".getBytes(StandardCharsets.UTF_8)), "INTAKE-FORMAT");
        JsonNode malformed = assertRejected(gw.post(AUBEVAL, "casse.xml",
                "<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\">\n<a></Invoice>"
                        .getBytes(StandardCharsets.UTF_8)), "XML-WELLFORMED");
        assertThat(malformed.get("reason").get("location").asText()).startsWith("ligne 2");
        assertRejected(gw.post(AUBEVAL, "xxe.xml", ("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM "
                + "\"file:///etc/passwd\">]><r>&x;</r>").getBytes(StandardCharsets.UTF_8)), "XML-DTD");
        String bomb = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;"
                + "&lol;&lol;&lol;&lol;&lol;&lol;\"><!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]><lolz>&lol3;</lolz>";
        assertRejected(gw.post(AUBEVAL, "bomb.xml", bomb.getBytes(StandardCharsets.UTF_8)), "XML-DTD");
        JsonNode traversal = assertRejected(gw.post(AUBEVAL, "../../etc/passwd",
                sample("invoices/cii/CII_business_example_01.xml")), "INTAKE-FILENAME");
        assertThat(traversal.get("fileName").asText()).doesNotContain("/");
        try (var files = Files.list(data.resolve("quarantine"))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .anyMatch(n -> n.endsWith("_notes.txt"))
                    .anyMatch(n -> n.endsWith("_xxe.xml"));
        }
    }

    @Test
    void controlCharactersInTheNameAreRefused() throws Exception {
        String name = URLEncoder.encode("fac\u0001ture.xml", StandardCharsets.UTF_8);
        var client = java.net.http.HttpClient.newHttpClient();
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(gw.api() + "/api/v1/flows?name=" + name))
                .header("X-Api-Key", AUBEVAL).header("Content-Type", "application/xml")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(sample("invoices/ubl/guide-example1.xml")))
                .build();
        JsonNode flow = assertRejected(client.send(request, HttpResponse.BodyHandlers.ofString()), "INTAKE-FILENAME");
        assertThat(flow.get("fileName").asText()).isEqualTo("fac_ture.xml");
    }

    @Test
    void anOversizeFileIsRefusedWithoutDisturbingTheOthers() throws Exception {
        byte[] big = new byte[300 * 1024];
        java.util.Arrays.fill(big, (byte) ' ');
        HttpResponse<String> refused = gw.post(AUBEVAL, "gros.xml", big);
        assertThat(refused.statusCode()).isEqualTo(413);
        JsonNode flow = Json.parse(refused.body());
        assertThat(flow.get("reason").get("rule").asText()).isEqualTo("INTAKE-SIZE");
        assertThat(gw.get(AUBEVAL, "/api/v1/flows/" + flow.get("id").asText() + "/original").statusCode()).isEqualTo(410);
        // the gateway keeps serving
        assertThat(gw.post(AUBEVAL, "ok.xml", sample("invoices/ubl/ubl-tc434-example1.xml")).statusCode()).isIn(200, 201);
        assertThat(gw.awaitHealthy(java.time.Duration.ofSeconds(20))).contains("UP");
    }

    private static JsonNode assertRejected(HttpResponse<String> response, String rule) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
        JsonNode flow = Json.parse(response.body());
        assertThat(flow.get("status").asText()).isEqualTo("REJECTED");
        assertThat(flow.get("reason").get("rule").asText()).isEqualTo(rule);
        assertThat(flow.get("reason").get("message").asText()).isNotBlank();
        assertThat(flow.get("reason").get("layer").asText()).isNotBlank();
        return flow;
    }
}
