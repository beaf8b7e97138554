package fr.passerelle.chorus.simulator;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A small client of the simulator for the tests: real HTTP, as the gateway will call it. */
final class Api {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String ACCOUNT = account("passerelle-tech", "passerelle-tech-password");

    record Answer(int status, JsonNode body, HttpResponse<String> response) {
        int codeRetour() {
            return body.path("codeRetour").asInt(-1);
        }
    }

    /** A clock the test moves. */
    static final class TestClock extends Clock {
        private volatile Instant now = Instant.parse("2026-03-02T09:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private final ChorusProSimulator simulator;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Api(ChorusProSimulator simulator) {
        this.simulator = simulator;
    }

    static String account(String login, String password) {
        return Base64.getEncoder().encodeToString((login + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    Answer token(String clientId, String clientSecret) throws IOException, InterruptedException {
        String form = "grant_type=client_credentials&client_id=" + clientId + "&client_secret=" + clientSecret + "&scope=openid";
        return send(HttpRequest.newBuilder(simulator.tokenUri())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
    }

    String token() throws IOException, InterruptedException {
        return token("passerelle", "passerelle-secret").body().path("access_token").asText();
    }

    /** POST /cpro/path with a fresh token and the technical account. */
    Answer post(String path, String json) throws IOException, InterruptedException {
        return post(path, json, token(), ACCOUNT);
    }

    Answer post(String path, String json, String token, String account) throws IOException, InterruptedException {
        return send(request(path, token, account).POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    HttpRequest.Builder request(String path, String token, String account) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(simulator.apiUri() + path))
                .header("Content-Type", "application/json;charset=utf-8").timeout(Duration.ofSeconds(10));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (account != null) {
            b.header("cpro-account", account);
        }
        return b;
    }

    Answer send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Answer(response.statusCode(), JSON.readTree(response.body()), response);
    }
}
