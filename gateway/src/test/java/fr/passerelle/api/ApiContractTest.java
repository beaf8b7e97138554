package fr.passerelle.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Route;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.passerelle.Json;
import fr.passerelle.Samples;
import fr.passerelle.TestGateway;

/**
 * The OpenAPI document (gateway resource api/openapi.json) against the running gateway: it lists
 * exactly the API's routes, every error it declares is answered in the problem shape by real
 * requests, and the Swagger UI page shows it.
 */
class ApiContractTest {

    static final String AUBEVAL = "demo-key-aubeval";
    static final String BELCOURT = "demo-key-belcourt";
    static final String OPS = "demo-ops-key";
    static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    /** A small body limit, so that a 413 costs a megabyte, not the shipped 150. */
    static final int MAX_BODY = 1 << 20;

    @TempDir
    static Path data;
    static TestGateway gw;
    static JsonNode document;
    static String aubevalFlow;
    /** A PDF invoice's flow: not a PES document, its signatures cannot be looked for (422). */
    static String aubevalPdfFlow;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        gw = TestGateway.intakeOnly(data, Map.of("camel.server.maxBodySize", String.valueOf(MAX_BODY)));
        HttpResponse<String> served = send(HttpRequest.newBuilder(uri("/api/v1/openapi.json")));
        assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
        assertThat(served.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/json"));
        document = Json.parse(served.body());
        HttpResponse<String> posted = gw.post(AUBEVAL, "contract.xml",
                Files.readAllBytes(Samples.sample("invoices/ubl/guide-example1.xml")));
        assertThat(posted.statusCode()).as(posted.body()).isIn(200, 201);
        aubevalFlow = Json.parse(posted.body()).get("id").asText();
        HttpResponse<String> pdf = gw.post(AUBEVAL, "contract.pdf",
                Files.readAllBytes(Samples.sample("invoices/facturx/valid/Facture_FR_MINIMUM.pdf")));
        assertThat(pdf.statusCode()).as(pdf.body()).isIn(200, 201);
        aubevalPdfFlow = Json.parse(pdf.body()).get("id").asText();
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void theDocumentIsOpenApi31AndListsEveryRouteUnderApiV1() {
        assertThat(document.get("openapi").asText()).startsWith("3.1.");
        Set<String> served = new TreeSet<>();
        for (Route route : gw.gateway.camel().getRoutes()) {
            if (route.getEndpoint() instanceof PlatformHttpEndpoint http && http.getPath().startsWith("/api/v1")) {
                assertThat(http.getHttpMethodRestrict()).as("route %s takes every method: give it httpMethodRestrict",
                        route.getRouteId()).isNotBlank();
                for (String method : http.getHttpMethodRestrict().split(",")) {
                    served.add(method.trim().toUpperCase(Locale.ROOT) + " " + http.getPath());
                }
            }
        }
        assertThat(served).as("the API's routes").hasSizeGreaterThan(10);
        assertThat(documentedOperations().keySet()).as("operations of api/openapi.json (document a new route there)")
                .containsExactlyInAnyOrderElementsOf(served);
    }

    @Test
    void everyDeclaredErrorAnswerIsTheProblemShape() {
        documentedOperations().forEach((operation, spec) -> spec.get("responses").fields().forEachRemaining(r -> {
            if (Integer.parseInt(r.getKey()) < 400 || "POST /api/v1/flows 422".equals(operation + " " + r.getKey())) {
                return; // a file refused at intake is answered with its flow (README), not a problem
            }
            JsonNode response = resolve(r.getValue());
            assertThat(response.at("/content/application~1problem+json/schema/$ref").asText())
                    .as("%s %s", operation, r.getKey()).isEqualTo("#/components/schemas/Problem");
        }));
        JsonNode problem = document.at("/components/schemas/Problem");
        assertThat(problem.get("required")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("type", "title", "status", "detail", "error", "message");
    }

    @Test
    void everyDeclaredErrorStatusIsAnsweredAsDeclared() throws Exception {
        Map<String, HttpRequest.Builder> provoked = provocations();
        Set<String> declared = new TreeSet<>();
        documentedOperations().forEach((operation, spec) -> spec.get("responses").fieldNames().forEachRemaining(status -> {
            if (Integer.parseInt(status) >= 400) {
                declared.add(operation + " " + status);
            }
        }));
        Set<String> accountedFor = new TreeSet<>(provoked.keySet());
        accountedFor.addAll(notDrivenHere().keySet());
        assertThat(accountedFor).as("every declared error status is provoked here or said why not")
                .containsAll(declared);
        assertThat(declared).as("what is provoked here is declared").containsAll(provoked.keySet());

        for (Map.Entry<String, HttpRequest.Builder> entry : provoked.entrySet()) {
            int status = Integer.parseInt(entry.getKey().substring(entry.getKey().lastIndexOf(' ') + 1));
            HttpResponse<String> response = send(entry.getValue());
            assertThat(response.statusCode()).as("%s: %s", entry.getKey(), response.body()).isEqualTo(status);
            assertProblem(entry.getKey(), response, status);
            if (status == 405) {
                String path = entry.getKey().split(" ")[1];
                assertThat(response.headers().firstValue("Allow")).as(entry.getKey())
                        .hasValue(String.join(", ", methodsOf(path)));
            }
        }
    }

    @Test
    void anUnknownPathIsTheProblemShape() throws Exception {
        for (String path : List.of("/api/v1/nulle-part", "/api/v2/flows", "/api/v1/flows/x/original/y", "/")) {
            HttpResponse<String> response = send(request(path, AUBEVAL));
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(assertProblem(path, response, 404).get("error").asText()).isEqualTo("not-found");
        }
    }

    @Test
    void theSwaggerUiPageShowsTheDocument() throws Exception {
        HttpResponse<String> page = send(HttpRequest.newBuilder(uri("/api/v1/docs")));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.body()).contains("\"/api/v1/openapi.json\"").contains("SwaggerUIBundle");
        Matcher files = Pattern.compile("(?:src|href)=\"(/api/v1/docs/[^\"]+)\"").matcher(page.body());
        List<String> linked = new ArrayList<>();
        while (files.find()) {
            linked.add(files.group(1));
        }
        assertThat(linked).contains("/api/v1/docs/swagger-ui-bundle.js", "/api/v1/docs/swagger-ui.css");
        for (String file : linked) {
            HttpResponse<String> served = send(HttpRequest.newBuilder(uri(file)));
            assertThat(served.statusCode()).as(file).isEqualTo(200);
            assertThat(served.body()).as(file).isNotEmpty();
        }
    }

    /** How each declared error is made happen, keyed "METHOD /path/template status". */
    private static Map<String, HttpRequest.Builder> provocations() {
        Map<String, HttpRequest.Builder> p = new LinkedHashMap<>();
        documentedOperations().forEach((operation, spec) -> {
            String method = operation.split(" ")[0];
            String path = operation.split(" ")[1];
            String concrete = concrete(path, aubevalFlow);
            boolean needsKey = !spec.has("security") || !spec.get("security").isEmpty();
            if (needsKey) {
                p.put(operation + " 401", request(concrete, null).method(method,
                        "GET".equals(method) ? HttpRequest.BodyPublishers.noBody() : smallBody()));
            }
            // every documented path refuses DELETE, which none takes
            p.put(operation + " 405", request(concrete, AUBEVAL).DELETE());
        });
        String flows = "/api/v1/flows";
        String flow = flows + "/" + aubevalFlow;
        // 400: a parameter or a multipart body the API cannot read
        p.put("GET /api/v1/flows 400", request(flows + "?limit=beaucoup", AUBEVAL));
        p.put("POST /api/v1/flows 400", request(flows + "?wait=-1", AUBEVAL).header("X-File-Name", "f.xml")
                .POST(smallBody()));
        p.put("POST /api/v1/validate 400", multipartWithoutFile("/api/v1/validate"));
        p.put("POST /api/v1/verify 400", multipartWithoutFile("/api/v1/verify"));
        // 403: operators only
        p.put("POST /api/v1/flows/{id}/replay 403", request(flow + "/replay", AUBEVAL).POST(smallBody()));
        p.put("GET /api/v1/ops/status 403", request("/api/v1/ops/status", AUBEVAL));
        // 404: another commune's flow, an unknown flow, an id that is not a commune, an unknown file
        for (String part : List.of("", "/original", "/signed", "/signatures")) {
            p.put("GET /api/v1/flows/{id}" + part + " 404", request(flow + part, BELCOURT));
        }
        p.put("POST /api/v1/flows/{id}/replay 404", request(flows + "/inconnu/replay", OPS).POST(smallBody()));
        p.put("GET /api/v1/flows 404", request(flows + "?commune=..%2F..%2Fetc", OPS));
        p.put("POST /api/v1/flows 404", request(flows + "?commune=..%2F..%2Fetc", OPS).header("X-File-Name", "f.xml")
                .POST(smallBody()));
        p.put("POST /api/v1/validate 404", request("/api/v1/validate?commune=inconnue", OPS)
                .header("X-File-Name", "f.xml").POST(smallBody()));
        p.put("GET /api/v1/docs/{asset} 404", HttpRequest.newBuilder(uri("/api/v1/docs/pom.xml")));
        // 409: only a FAILED flow is replayed
        p.put("POST /api/v1/flows/{id}/replay 409", request(flow + "/replay", OPS).POST(smallBody()));
        // 413 and 415: what the HTTP server refuses before the route
        for (String post : List.of(flows, "/api/v1/validate", "/api/v1/verify")) {
            p.put("POST " + post + " 413", request(post, AUBEVAL).header("X-File-Name", "f.xml")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[MAX_BODY + 4096])));
            p.put("POST " + post + " 415", request(post, AUBEVAL).setHeader("Content-Type", "multipart/mixed; boundary=b")
                    .POST(HttpRequest.BodyPublishers.ofString("--b\r\n\r\nx\r\n--b--\r\n")));
        }
        // 422: not a PES flow
        p.put("GET /api/v1/flows/{id}/signatures 422", request(flows + "/" + aubevalPdfFlow + "/signatures", AUBEVAL));
        p.put("POST /api/v1/verify 422", request("/api/v1/verify", AUBEVAL).header("X-File-Name", "f.xml")
                .POST(smallBody()));
        return p;
    }

    /**
     * Declared errors this test does not provoke, and why: each is driven elsewhere or needs a
     * failure that cannot be made from outside. A status newly declared must join one list or the other.
     */
    private static Map<String, String> notDrivenHere() {
        Map<String, String> n = new LinkedHashMap<>();
        String timeout = "HttpFrontDoorTest waits for a stalled body (read-timeout)";
        String internal = "needs a failure inside the gateway";
        n.put("POST /api/v1/flows 408", timeout);
        n.put("POST /api/v1/validate 408", timeout);
        n.put("POST /api/v1/verify 408", timeout);
        n.put("POST /api/v1/flows 422", "a refused file answers its flow (FlowApiTest), not a problem");
        n.put("POST /api/v1/flows 503", "needs the broker down");
        n.put("POST /api/v1/flows/{id}/replay 503", "needs the broker down");
        n.put("POST /api/v1/validate 503", "needs every validation slot busy");
        n.put("GET /api/v1/flows/{id}/original 410", "needs an original that was not kept");
        documentedOperations().keySet().forEach(operation -> n.put(operation + " 500", internal));
        return n;
    }

    /** "GET /api/v1/flows" → its operation object, for every operation of the document. */
    private static Map<String, JsonNode> documentedOperations() {
        Map<String, JsonNode> operations = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fields().forEachRemaining(op -> {
                if (HTTP_METHODS.contains(op.getKey())) {
                    operations.put(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey(), op.getValue());
                }
            });
        }
        return operations;
    }

    private static Set<String> methodsOf(String path) {
        Set<String> methods = new TreeSet<>();
        document.get("paths").get(path).fieldNames().forEachRemaining(m -> {
            if (HTTP_METHODS.contains(m)) {
                methods.add(m.toUpperCase(Locale.ROOT));
            }
        });
        return methods;
    }

    private static JsonNode resolve(JsonNode response) {
        JsonNode ref = response.get("$ref");
        return ref == null ? response : document.at(ref.asText().substring(1));
    }

    private static JsonNode assertProblem(String what, HttpResponse<String> response, int status) {
        assertThat(response.headers().firstValue("Content-Type")).as(what).hasValueSatisfying(
                t -> assertThat(t).startsWith(ApiProblem.MEDIA_TYPE));
        JsonNode problem = Json.parse(response.body());
        assertThat(problem.get("status").asInt()).as(what).isEqualTo(status);
        assertThat(problem.get("type").asText()).as(what).isEqualTo(ApiProblem.TYPE_PREFIX + problem.get("error").asText());
        assertThat(problem.get("title").asText()).as(what).isNotBlank();
        assertThat(problem.get("detail").asText()).as(what).isNotBlank().isEqualTo(problem.get("message").asText());
        return problem;
    }

    private static String concrete(String template, String id) {
        return template.replace("{id}", id).replace("{asset}", "swagger-ui.css");
    }

    private static HttpRequest.Builder multipartWithoutFile(String path) {
        return request(path, AUBEVAL).setHeader("Content-Type", "multipart/form-data; boundary=b")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "--b\r\nContent-Disposition: form-data; name=\"autre\"\r\n\r\nx\r\n--b--\r\n"));
    }

    private static HttpRequest.BodyPublisher smallBody() {
        return HttpRequest.BodyPublishers.ofString("pas une facture");
    }

    private static HttpRequest.Builder request(String path, String apiKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/octet-stream");
        return apiKey == null ? request : request.header("X-Api-Key", apiKey);
    }

    private static URI uri(String path) {
        return URI.create(gw.api() + path);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
