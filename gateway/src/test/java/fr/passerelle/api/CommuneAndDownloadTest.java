package fr.passerelle.api;

import static fr.passerelle.api.HttpFrontDoorTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.passerelle.Json;
import fr.passerelle.Samples;
import fr.passerelle.TestGateway;

/** An operator naming a commune that does not exist stores nothing; downloads name their file safely. */
class CommuneAndDownloadTest {

    static final String OPS = "demo-ops-key";
    static final String AUBEVAL = "demo-key-aubeval";

    @TempDir
    static Path data;
    static TestGateway gw;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        gw = TestGateway.intakeOnly(data, Map.of());
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    /** A raw body; its name in ?name= when the path has one, else X-File-Name f.xml. */
    static HttpResponse<String> post(String key, String path, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gw.api() + path)).header("X-Api-Key", key)
                .header("Content-Type", "application/xml");
        if (!path.contains("name=")) {
            request.header("X-File-Name", "f.xml");
        }
        return HTTP.send(request
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anUnknownCommuneIsRefusedAndNothingIsStored() throws Exception {
        byte[] invoice = Files.readAllBytes(Samples.sample("invoices/cii/CII_example2.xml"));
        int flowsBefore = Json.parse(gw.get(OPS, "/api/v1/flows").body()).get("count").asInt();
        long originalsBefore = originals();
        for (String commune : new String[] {"../../etc", "inconnue", "AUBEVAL", "aubeval%00", ""}) {
            String query = "?commune=" + URLEncoder.encode(commune, StandardCharsets.UTF_8);
            JsonNode problem = assertProblem(post(OPS, "/api/v1/flows" + query, invoice), 404, "unknown-commune");
            assertThat(problem.get("message").asText()).contains("Commune inconnue");
            assertProblem(post(OPS, "/api/v1/validate" + query, invoice), 404, "unknown-commune");
            assertProblem(gw.get(OPS, "/api/v1/flows" + query), 404, "unknown-commune");
        }
        assertThat(Json.parse(gw.get(OPS, "/api/v1/flows").body()).get("count").asInt()).isEqualTo(flowsBefore);
        assertThat(originals()).isEqualTo(originalsBefore);
        // a commune of tenants.yaml is still taken
        assertThat(post(OPS, "/api/v1/flows?commune=aubeval", invoice).statusCode()).isEqualTo(201);
    }

    private static long originals() throws java.io.IOException {
        try (Stream<Path> files = Files.walk(data.resolve("originals"))) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void aDownloadNamesItsFileWithAnAsciiFallbackAndItsUtf8Name() throws Exception {
        byte[] invoice = Files.readAllBytes(Samples.sample("invoices/cii/CII_example1.xml"));
        String name = "Facture été \"n°4\".xml";
        HttpResponse<String> posted = post(AUBEVAL, "/api/v1/flows?name=" + URLEncoder.encode(name,
                StandardCharsets.UTF_8), invoice);
        assertThat(posted.statusCode()).as(posted.body()).isIn(201, 422);
        JsonNode flow = Json.parse(posted.body());
        String stored = flow.get("fileName").asText();
        HttpResponse<byte[]> original = HTTP.send(HttpRequest.newBuilder(URI.create(gw.api() + "/api/v1/flows/"
                + flow.get("id").asText() + "/original")).header("X-Api-Key", AUBEVAL).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(original.statusCode()).isEqualTo(200);
        assertThat(original.body()).isEqualTo(invoice);
        String disposition = original.headers().firstValue("Content-Disposition").orElseThrow();
        assertThat(disposition).isEqualTo(ContentDisposition.attachment(stored));
        assertThat(disposition).matches("attachment; filename=\"[\\x20-\\x7e&&[^\"\\\\]]+\"; filename\\*=UTF-8''\\S+");
        assertThat(disposition).contains("%C3%A9"); // é, in UTF-8
    }
}
