package fr.passerelle.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.passerelle.Json;
import fr.passerelle.Samples;
import fr.passerelle.TestGateway;

/**
 * What the HTTP layer answers before any route runs, against a real gateway: unknown paths, wrong
 * methods, malformed requests and multipart bodies, stalled bodies (read timeout 2 s here), and
 * declared content types; every answer in the API's problem shape.
 */
class HttpFrontDoorTest {

    static final String AUBEVAL = "demo-key-aubeval";

    @TempDir
    static Path data;
    static TestGateway gw;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        gw = TestGateway.intakeOnly(data, Map.of("passerelle.http.read-timeout", "PT2S"));
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    static JsonNode assertProblem(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith(ApiProblem.MEDIA_TYPE));
        JsonNode problem = Json.parse(response.body());
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("error").asText()).isEqualTo(code);
        assertThat(problem.get("type").asText()).isEqualTo(ApiProblem.TYPE_PREFIX + code);
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("detail").asText()).isNotBlank().isEqualTo(problem.get("message").asText());
        return problem;
    }

    static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(gw.api() + path)).header("X-Api-Key", AUBEVAL);
    }

    @Test
    void anUnknownPathIsAProblemNotAnHtmlPage() throws Exception {
        assertProblem(send(request("/nulle-part")), 404, "not-found");
        assertProblem(send(request("/api/v1/flows/x/y/z")), 404, "not-found");
        assertProblem(send(request("/").POST(HttpRequest.BodyPublishers.ofString("x"))), 404, "not-found");
    }

    @Test
    void aWrongMethodOnAKnownPathIsAProblem() throws Exception {
        assertProblem(send(request("/api/v1/flows").DELETE()), 405, "method-not-allowed");
        assertProblem(send(request("/api/v1/validate")), 405, "method-not-allowed");
        assertProblem(send(request("/api/v1/flows/abc").PUT(HttpRequest.BodyPublishers.ofString("x"))), 405,
                "method-not-allowed");
    }

    @Test
    void aMalformedMultipartIsAProblem() throws Exception {
        // multipart without a boundary: no file in it
        assertProblem(send(request("/api/v1/flows").header("Content-Type", "multipart/form-data")
                .POST(HttpRequest.BodyPublishers.ofString("--x\r\n\r\n"))), 400, "no-file");
        // a part whose headers never end
        assertThat(send(request("/api/v1/flows").header("Content-Type", "multipart/form-data; boundary=b")
                .POST(HttpRequest.BodyPublishers.ofString("--b\r\nContent-Disposition: form-data; name=\"file\"; "
                        + "filename=\"f.xml\"\r\n"))).statusCode()).isEqualTo(400);
    }

    @Test
    void aContentTypeTheGatewayCannotTakeIs415() throws Exception {
        assertProblem(send(request("/api/v1/flows").header("Content-Type", "multipart/mixed; boundary=b")
                .POST(HttpRequest.BodyPublishers.ofString("--b\r\n\r\nx\r\n--b--\r\n"))), 415, "unsupported-media-type");
        assertProblem(send(request("/api/v1/validate").header("Content-Type", "application/xml")
                .header("Content-Encoding", "gzip").POST(HttpRequest.BodyPublishers.ofString("x"))), 415,
                "unsupported-media-type");
    }

    @Test
    void anInvoicePostedAsAFormIsTakenAsARawBody() throws Exception {
        byte[] ubl = Files.readAllBytes(Samples.sample("invoices/ubl/guide-example1.xml"));
        HttpResponse<String> posted = send(request("/api/v1/flows?name=form.xml")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofByteArray(ubl)));
        assertThat(posted.statusCode()).as(posted.body()).isIn(200, 201);
        JsonNode flow = Json.parse(posted.body());
        assertThat(flow.get("format").asText()).isEqualTo("UBL_INVOICE");
        assertThat(flow.get("fileName").asText()).isEqualTo("form.xml");
        HttpResponse<String> original = send(request("/api/v1/flows/" + flow.get("id").asText() + "/original"));
        assertThat(original.body().getBytes(StandardCharsets.UTF_8)).isEqualTo(ubl);
    }

    @Test
    void anInvoicePostedWithoutAContentTypeKeepsItsBody() throws Exception {
        // what curl --data-binary sends without -H Content-Type is the form type above; no type at all is a raw body too
        byte[] ubl = Files.readAllBytes(Samples.sample("invoices/ubl/guide-example1.xml"));
        HttpResponse<String> posted = send(request("/api/v1/validate?name=untyped.xml")
                .POST(HttpRequest.BodyPublishers.ofByteArray(ubl)));
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
        assertThat(Json.parse(posted.body()).get("format").asText()).isEqualTo("UBL_INVOICE");
    }

    @Test
    void aBodyThatStopsArrivingIsAnswered408WithinTheReadTimeout() throws Exception {
        String head = "POST /api/v1/flows HTTP/1.1\r\nHost: localhost\r\nX-Api-Key: " + AUBEVAL
                + "\r\nX-File-Name: f.xml\r\nContent-Type: application/xml\r\nContent-Length: 100000\r\n\r\n<Invoice>";
        String answer = rawExchange(head, 10_000);
        assertThat(answer).startsWith("HTTP/1.1 408");
        assertThat(answer).contains(ApiProblem.MEDIA_TYPE).contains("\"error\":\"read-timeout\"");
    }

    @Test
    void aChunkedMultipartThatNeverClosesIsAnswered408() throws Exception {
        String part = "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f.xml\"\r\n"
                + "Content-Type: application/xml\r\n\r\n<Invoice>";
        String head = "POST /api/v1/flows HTTP/1.1\r\nHost: localhost\r\nX-Api-Key: " + AUBEVAL
                + "\r\nContent-Type: multipart/form-data; boundary=b\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(part.length()) + "\r\n" + part + "\r\n";
        String answer = rawExchange(head, 10_000);
        assertThat(answer).startsWith("HTTP/1.1 408");
        assertThat(answer).contains("\"error\":\"read-timeout\"");
    }

    @Test
    void aMultipartWithoutItsClosingBoundaryIsAnswered() throws Exception {
        String body = "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f.xml\"\r\n"
                + "Content-Type: application/xml\r\n\r\n<Invoice></Invoice>\r\n";
        String head = "POST /api/v1/flows HTTP/1.1\r\nHost: localhost\r\nX-Api-Key: " + AUBEVAL
                + "\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: " + body.length() + "\r\n\r\n"
                + body;
        String answer = rawExchange(head, 10_000);
        assertThat(answer).startsWith("HTTP/1.1 400");
        assertThat(answer).contains(ApiProblem.MEDIA_TYPE).contains("\"error\":\"incomplete-body\"");
    }

    @Test
    void aRequestVertxCannotParseIsAProblemToo() throws Exception {
        assertRawProblem("GET /api/v1/flows?status=%zz HTTP/1.1\r\nHost: x\r\nX-Api-Key: " + AUBEVAL + "\r\n\r\n",
                400, "bad-request");
        assertRawProblem("GET /api/v1/%zz HTTP/1.1\r\nHost: x\r\n\r\n", 400, "bad-request");
        assertRawProblem("GET /api/v1/flows HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n", 400, "bad-request");
        assertRawProblem("POST /api/v1/flows HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n", 400,
                "bad-request");
        assertRawProblem("GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n", 414, "uri-too-long");
        assertRawProblem("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(10_000) + "\r\n\r\n", 431,
                "headers-too-large");
    }

    @Test
    void aDeclaredOversizeBodyIsRefusedBeforeItIsSent() throws Exception {
        // curl sends Expect: 100-continue for large files and waits: the 413 comes instead of the 100
        assertRawProblem("POST /api/v1/flows HTTP/1.1\r\nHost: x\r\nX-Api-Key: " + AUBEVAL
                + "\r\nContent-Type: application/pdf\r\nContent-Length: 209715200\r\nExpect: 100-continue\r\n\r\n",
                413, "too-large");
    }

    private static void assertRawProblem(String request, int status, String code) throws IOException {
        String answer = rawExchange(request, 10_000);
        assertThat(answer).as(answer).matches("(?s)HTTP/1\\.[01] " + status + " .*");
        assertThat(answer.toLowerCase()).contains("content-type: " + ApiProblem.MEDIA_TYPE);
        JsonNode problem = Json.parse(answer.substring(answer.indexOf("\r\n\r\n") + 4));
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("error").asText()).isEqualTo(code);
    }

    /** Sends the bytes, keeps the connection open, and reads the answer (fails if none comes in time). */
    static String rawExchange(String request, int soTimeoutMs) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", gw.httpPort)) {
            socket.setSoTimeout(soTimeoutMs);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    answer.write(buffer, 0, n);
                    if (answer.toString(StandardCharsets.UTF_8).matches("(?s).*\r\n\r\n.*\\}\\s*$")) {
                        break;
                    }
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no answer within " + soTimeoutMs + " ms; received: " + answer, e);
            }
            return answer.toString(StandardCharsets.UTF_8);
        }
    }
}
