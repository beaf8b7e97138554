package fr.passerelle.api;

import static fr.passerelle.api.HttpFrontDoorTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.passerelle.Json;
import fr.passerelle.TestGateway;

/**
 * 200 MB posted to every upload path, streamed from a generator (never held by the test): each is
 * answered 413 in the problem shape, as it arrives, and nothing is stored.
 */
class LargeBodyTest {

    static final long SIZE = 200L << 20;
    static final String AUBEVAL = "demo-key-aubeval";

    @TempDir
    static Path data;
    static TestGateway gw;
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        gw = TestGateway.intakeOnly(data, Map.of("passerelle.http.read-timeout", "PT5S"));
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    /** size bytes of spaces, made as they are read. */
    static InputStream filler(long size) {
        return new InputStream() {
            long left = size;

            @Override
            public int read() {
                return left-- > 0 ? ' ' : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                Arrays.fill(b, off, off + n, (byte) ' ');
                left -= n;
                return n;
            }
        };
    }

    static InputStream multipart(long size) {
        byte[] head = ("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"gros.xml\"\r\n"
                + "Content-Type: application/xml\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] tail = "\r\n--b--\r\n".getBytes(StandardCharsets.US_ASCII);
        return new SequenceInputStream(new SequenceInputStream(new ByteArrayInputStream(head), filler(size)),
                new ByteArrayInputStream(tail));
    }

    static HttpResponse<String> post(String path, String contentType, InputStream body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(gw.api() + path)).header("X-Api-Key", AUBEVAL)
                .header("X-File-Name", "gros.xml").header("Content-Type", contentType)
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void twoHundredMegabytesAreRefusedOnEveryUploadPathAndNothingIsStored() throws Exception {
        for (String path : List.of("/api/v1/flows", "/api/v1/validate", "/api/v1/verify")) {
            assertProblem(post(path, "application/xml", filler(SIZE)), 413, "too-large");
            assertProblem(post(path, "multipart/form-data; boundary=b", multipart(SIZE)), 413, "too-large");
        }
        // declared up front: refused before a byte of the body is read
        HttpRequest declared = HttpRequest.newBuilder(URI.create(gw.api() + "/api/v1/flows"))
                .header("X-Api-Key", AUBEVAL).header("Content-Type", "application/pdf")
                .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(
                        () -> filler(SIZE)), SIZE)).build();
        assertProblem(HTTP.send(declared, HttpResponse.BodyHandlers.ofString()), 413, "too-large");

        assertThat(Json.parse(gw.get(AUBEVAL, "/api/v1/flows").body()).get("count").asInt()).isZero();
        try (Stream<Path> originals = Files.walk(data.resolve("originals"))) {
            assertThat(originals.filter(Files::isRegularFile)).isEmpty();
        }
        Path uploads = data.resolve("tmp").resolve("uploads");
        assertThat(TestGateway.await(() -> largeFiles(uploads), List::isEmpty, Duration.ofSeconds(10))).isEmpty();
        // and the gateway keeps serving
        assertThat(gw.get(AUBEVAL, "/api/v1/flows").statusCode()).isEqualTo(200);
    }

    private static List<Path> largeFiles(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).filter(f -> f.toFile().length() > (1 << 20)).toList();
        } catch (java.io.IOException e) {
            return List.of(); // a file deleted while listed
        }
    }
}
