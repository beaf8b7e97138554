package fr.passerelle.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.passerelle.Invoices;
import fr.passerelle.Samples;
import fr.passerelle.TestGateway;
import fr.passerelle.ops.HostileInputs;

/**
 * Hostile and broken files through the real channels of a running gateway — drop folder, supplier
 * SFTP, HTTP API — each answered with its rule, its original kept, the channel still taking files;
 * and an ordinary invoice sent after all of them is judged as usual.
 */
class HostileChannelsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OPS_KEY = "demo-ops-key";
    /** SIRET of Belcourt, the commune that posts through the API in this test (config/tenants.yaml). */
    private static final String BELCOURT_SIRET = "21750108900015";

    /** SIRET of Chanteloup-Vieux, the buyer of the invoices a supplier uploads by SFTP here. */
    private static final String CHANTELOUP_SIRET = "21750115400017";

    /** One hostile file (made for a buyer) and the rule that must refuse it (a regular expression). */
    record Case(String name, Content content, String rule) {
    }

    @FunctionalInterface
    interface Content {
        byte[] forBuyer(String siret) throws IOException;
    }

    @TempDir
    static Path data;
    static TestGateway gw;

    @BeforeAll
    static void start() throws Exception {
        gw = TestGateway.start(data, Map.of("passerelle.intake.max-size", "8MB"));
        gw.awaitHealthy(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    static List<Case> cases() {
        byte[] random = new byte[64 << 10];
        new Random(12).nextBytes(random);
        byte[] oversize = new byte[9 << 20];
        java.util.Arrays.fill(oversize, (byte) ' ');
        return List.of(
                new Case("vide.xml", siret -> new byte[0], "INTAKE-EMPTY"),
                new Case("aleatoire.bin", siret -> random, "INTAKE-FORMAT"),
                new Case("xxe.xml", siret -> made(HostileInputs::xxe), "XML-DTD"),
                new Case("milliard-de-rires.xml", siret -> made(HostileInputs::billionLaughs), "XML-DTD"),
                new Case("xinclude.xml", HostileChannelsTest::xinclude, "cvc-.*"),
                new Case("latin1.xml", siret -> made(HostileInputs::wrongEncoding), "XML-ENCODING"),
                new Case("profond.xml", siret -> made(f -> HostileInputs.deepXml(f, 100_000)), "LIMIT-XML-DEPTH"),
                new Case("boucle.pdf", siret -> made(f -> HostileInputs.pageTreeLoop(f, cii(siret))), "LIMIT-PDF-PAGETREE"),
                new Case("50000-pages.pdf", siret -> made(f -> HostileInputs.manyPages(f, 50_000, cii(siret))),
                        "LIMIT-PDF-PAGES"),
                // by SFTP an unreadable PDF names no buyer: refused as such
                new Case("tronque.pdf", siret -> made(f -> HostileInputs.truncatedPdf(f, cii(siret))),
                        "CONTAINER-.*|ROUTING-FORMAT"),
                new Case("dtd-externe.xml", siret -> ("<?xml version=\"1.0\"?>\n<!DOCTYPE Invoice SYSTEM "
                        + "\"http://127.0.0.1:9/invoice.dtd\">\n" + Invoices.ublFor(siret).replaceFirst("<\\?xml[^>]*>", ""))
                        .getBytes(StandardCharsets.UTF_8), "XML-DTD"),
                new Case("bombe.pdf", siret -> made(f -> HostileInputs.flateBombAttachment(f, 256L << 20)),
                        "LIMIT-PDF-.*"),
                new Case("chiffre.pdf", siret -> made(f -> HostileInputs.encryptedPdf(f, cii(siret))),
                        "CONTAINER-ENCRYPTED|ROUTING-FORMAT"),
                new Case("archive.zip", siret -> zipBomb(64L << 20), "INTAKE-FORMAT"),
                new Case("trop-gros.xml", siret -> oversize, "INTAKE-SIZE"));
    }

    @FunctionalInterface
    interface Maker {
        Path make(Path target) throws IOException;
    }

    /** The bytes of a file HostileInputs writes. */
    private static byte[] made(Maker maker) throws IOException {
        Path file = Files.createTempFile(data, "hostile-", ".bin");
        try {
            return Files.readAllBytes(maker.make(file));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static byte[] cii(String siret) throws IOException {
        return Invoices.ciiFor(siret).getBytes(StandardCharsets.UTF_8);
    }

    /** An XInclude of a local file inside an otherwise valid invoice (XInclude is never processed). */
    private static byte[] xinclude(String siret) throws IOException {
        String invoice = Invoices.ublFor(siret);
        int rootEnd = invoice.indexOf('>', invoice.indexOf("<Invoice")) + 1;
        return (invoice.substring(0, rootEnd) + "<xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" "
                + "href=\"file:///etc/passwd\" parse=\"text\"/>" + invoice.substring(rootEnd)).getBytes(StandardCharsets.UTF_8);
    }

    /** A zip whose one entry inflates to that many zeros (an archive is never an invoice here). */
    private static byte[] zipBomb(long inflatedBytes) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(out)) {
            zip.putNextEntry(new java.util.zip.ZipEntry("facture.xml"));
            byte[] zeros = new byte[1 << 20];
            for (long written = 0; written < inflatedBytes; written += zeros.length) {
                zip.write(zeros);
            }
            zip.closeEntry();
        }
        return out.toByteArray();
    }

    @Test
    void everyHostileFileIsRefusedWithItsRuleOnEveryChannelAndTheNextInvoiceIsJudged() throws Exception {
        List<Case> cases = cases();
        // what each channel sent, by file name (some makers are not deterministic: PDF ids, dates)
        Map<String, byte[]> sent = new java.util.HashMap<>();
        for (Case c : cases) {
            sent.put("drop-" + c.name(), c.content().forBuyer(Invoices.AUBEVAL_SIRET));
            sent.put("sftp-" + c.name(), c.content().forBuyer(CHANTELOUP_SIRET));
            sent.put("api-" + c.name(), c.content().forBuyer(BELCOURT_SIRET));
            Files.write(data.resolve("drop/aubeval").resolve("drop-" + c.name()), sent.get("drop-" + c.name()));
            gw.uploadBySftp("sftp-" + c.name(), new ByteArrayInputStream(sent.get("sftp-" + c.name())));
        }
        List<String> apiFlows = new ArrayList<>();
        for (Case c : cases) {
            HttpResponse<String> answer = gw.post("demo-key-belcourt", "api-" + c.name(), sent.get("api-" + c.name()));
            assertThat(answer.statusCode()).as(c.name() + ": " + answer.body()).isIn(413, 422, 202, 201);
            apiFlows.add(JSON.readTree(answer.body()).path("id").asText());
        }
        // the same files on /api/v1/validate: a report naming the rule, nothing stored
        for (Case c : cases) {
            if (c.rule().equals("INTAKE-SIZE")) {
                continue; // intake's limit; /validate takes what the HTTP body limit lets through
            }
            HttpResponse<String> report = gw.post("demo-key-belcourt", "/api/v1/validate", "v-" + c.name(),
                    sent.get("api-" + c.name()));
            assertThat(report.statusCode()).as(c.name() + ": " + report.body()).isEqualTo(200);
            JsonNode verdict = JSON.readTree(report.body());
            assertThat(verdict.path("verdict").asText()).as(c.name()).isEqualTo("rejected");
            assertThat(verdict.path("findings").path(0).path("rule").asText()).as(c.name()).matches(c.rule());
        }
        // right after them, an ordinary invoice: judged as usual, not held behind the hostile ones
        HttpResponse<String> ordinary = gw.post("demo-key-belcourt", "ordinaire.xml",
                Invoices.ublFor(BELCOURT_SIRET).getBytes(StandardCharsets.UTF_8));
        String ordinaryId = JSON.readTree(ordinary.body()).path("id").asText();
        await().atMost(Duration.ofMinutes(2)).until(() -> finalStatus(flow(ordinaryId)));
        assertThat(flow(ordinaryId).path("status").asText()).isIn("VALIDATED", "PACKED", "SIGNED", "SENT",
                "ACKNOWLEDGED");

        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            assertRefused(c, flow(apiFlows.get(i)), sent.get("api-" + c.name()));
            assertRefused(c, awaitFlowNamed("drop-" + c.name()), sent.get("drop-" + c.name()));
            JsonNode uploaded = awaitFlowNamed("sftp-" + c.name());
            assertRefused(c, uploaded, sent.get("sftp-" + c.name()));
            // the supplier reads why in its reports/ folder
            assertThat(data.resolve("sftp/fournisseur-demo/reports/sftp-" + c.name() + "."
                    + uploaded.path("id").asText().substring(0, 8) + ".report.json")).as(c.name()).exists();
        }
    }

    @Test
    void aPesThatIsNoPesAllerOrTooDeepGetsAnAnswer() throws Exception {
        // an acquittement posted by mistake is refused, not left waiting
        HttpResponse<String> acquit = gw.post("demo-key-aubeval", "acquit.xml",
                Files.readAllBytes(Samples.sample("pes/PES_ACQUIT_ok.xml")));
        String id = JSON.readTree(acquit.body()).path("id").asText();
        JsonNode judged = await().atMost(Duration.ofMinutes(1)).until(() -> flow(id), HostileChannelsTest::finalStatus);
        assertThat(judged.path("status").asText()).as(judged.toString()).isIn("REJECTED", "FAILED");
        assertThat(judged.path("reason").path("message").asText()).isNotBlank();

        // a PES 100,000 elements deep: /verify answers with the limit, in the API's error shape
        byte[] deep = made(f -> HostileInputs.deepPes(f, HostileInputs.pesWithBigPj(
                Files.createTempFile(data, "pes-", ".xml"), 1024), 100_000));
        HttpResponse<String> verified = gw.post("demo-key-aubeval", "/api/v1/verify", "profond.xml", deep);
        assertThat(verified.statusCode()).as(verified.body()).isEqualTo(422);
        assertThat(verified.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(verified.body()).contains("LIMIT-XML-DEPTH");
    }

    @Test
    void aFileRefusedForItsNameIsJudgedWhenSentAgainUnderAProperOne() throws Exception {
        byte[] invoice = Invoices.ublFor(BELCOURT_SIRET).replace("</cbc:Note>", " renvoi</cbc:Note>")
                .getBytes(StandardCharsets.UTF_8);
        // U+202E turns "facture\u202Elmx.pdf" into what reads as "facturefdp.xml"
        HttpResponse<String> lying = gw.post("demo-key-belcourt", "/api/v1/flows?name="
                + URLEncoder.encode("facture\u202Elmx.pdf", StandardCharsets.UTF_8), null, invoice);
        assertThat(lying.statusCode()).isEqualTo(422);
        JsonNode refused = JSON.readTree(lying.body());
        assertThat(refused.path("reason").path("rule").asText()).isEqualTo("INTAKE-FILENAME");
        assertThat(refused.path("reason").path("message").asText()).contains("U+202E");
        assertThat(refused.path("fileName").asText()).doesNotContain("\u202E");

        HttpResponse<String> again = gw.post("demo-key-belcourt", "facture.xml", invoice);
        assertThat(again.statusCode()).as(again.body()).isIn(201, 202);
        JsonNode judged = JSON.readTree(again.body());
        assertThat(judged.path("duplicate").asBoolean(false)).isFalse();
        assertThat(judged.path("id").asText()).isNotEqualTo(refused.path("id").asText());
    }

    @Test
    void aDropFolderOfNoCommuneIsReportedAndItsFileKeptWithARefusal() throws Exception {
        Path nowhere = Files.createDirectories(data.resolve("drop/nulle-part"));
        Files.write(nowhere.resolve("facture.xml"), Invoices.ublFor(BELCOURT_SIRET).getBytes(StandardCharsets.UTF_8));

        Path kept = data.resolve("failed/drop/nulle-part/facture.xml");
        Path report = data.resolve("failed/drop/nulle-part/facture.xml.refus.json");
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(kept) && Files.exists(report));
        JsonNode refusal = JSON.readTree(report.toFile());
        assertThat(refusal.path("rule").asText()).isEqualTo("INTAKE-FOLDER");
        assertThat(refusal.path("message").asText()).contains("nulle-part").contains("aucune commune");

        JsonNode status = JSON.readTree(gw.get(OPS_KEY, "/api/v1/ops/status").body());
        assertThat(status.toString()).contains("intake-folders").contains("nulle-part");
        assertThat(gw.get(null, gw.management() + "/observe/metrics").body())
                .contains("passerelle_intake_refused_files_total{channel=\"drop\",rule=\"INTAKE-FOLDER\"");

        // the drop channel goes on: the next file of a commune is taken in
        Files.write(data.resolve("drop/aubeval/apres.xml"), Invoices.ublFor(Invoices.AUBEVAL_SIRET)
                .replace("</cbc:Note>", " apres</cbc:Note>").getBytes(StandardCharsets.UTF_8));
        awaitFlowNamed("apres.xml");
    }

    private static void assertRefused(Case c, JsonNode flow, byte[] sent) throws Exception {
        String what = c.name() + " " + flow;
        assertThat(flow.path("status").asText()).as(what).isEqualTo("REJECTED");
        JsonNode reason = flow.path("reason");
        assertThat(reason.path("rule").asText()).as(what).matches(c.rule());
        assertThat(reason.path("layer").asText()).as(what).isNotBlank();
        assertThat(reason.path("message").asText()).as(what).isNotBlank();
        if (!c.rule().equals("INTAKE-SIZE")) { // over the limit: nothing is kept, by design
            HttpResponse<byte[]> original = gw.getBytes(OPS_KEY, "/api/v1/flows/" + flow.path("id").asText() + "/original");
            assertThat(original.statusCode()).as(what).isEqualTo(200);
            assertThat(original.body()).as(what).isEqualTo(sent);
        }
    }

    private static JsonNode flow(String id) throws Exception {
        return JSON.readTree(gw.get(OPS_KEY, "/api/v1/flows/" + id).body());
    }

    private static boolean finalStatus(JsonNode flow) {
        return !List.of("RECEIVED", "UNROUTED", "").contains(flow.path("status").asText());
    }

    /** The flow of a file a channel took in, once it has a final status. */
    private static JsonNode awaitFlowNamed(String fileName) {
        return await().atMost(Duration.ofMinutes(2)).until(() -> {
            JsonNode list = JSON.readTree(gw.get(OPS_KEY, "/api/v1/flows?limit=1000").body()).path("flows");
            for (JsonNode f : list) {
                if (fileName.equals(f.path("fileName").asText()) && finalStatus(f)) {
                    return flow(f.path("id").asText());
                }
            }
            return null;
        }, java.util.Objects::nonNull);
    }
}
