package fr.passerelle.chorus;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The PISTE OAuth2 token of the platform's client (client credentials, scope openid), kept until a
 * minute before it expires (or a tenth of its life, for short ones) and asked again then, or at
 * once when Chorus Pro refuses it. One token for every commune: the technical account of each goes
 * in its own header.
 */
final class PisteTokens {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final ChorusOptions options;
    private final Clock clock;
    private String token;
    private Instant renewAt = Instant.MIN;
    private int issued;

    PisteTokens(HttpClient http, ChorusOptions options, Clock clock) {
        this.http = http;
        this.options = options;
        this.clock = clock;
    }

    synchronized String token() throws ChorusProException {
        if (token == null || !clock.instant().isBefore(renewAt)) {
            fetch();
        }
        return token;
    }

    /** Chorus Pro said the token is no good (expired early, revoked): the next call asks for another. */
    synchronized void refused(String refusedToken) {
        if (refusedToken.equals(token)) {
            token = null;
        }
    }

    /** How many tokens were issued to this gateway since it started. */
    synchronized int issued() {
        return issued;
    }

    private void fetch() throws ChorusProException {
        String form = "grant_type=client_credentials&client_id=" + encode(options.clientId()) + "&client_secret="
                + encode(options.clientSecret()) + "&scope=openid";
        HttpRequest request = HttpRequest.newBuilder(options.tokenUri()).timeout(options.timeout())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        HttpResponse<String> answer;
        try {
            answer = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ChorusProException("PISTE token endpoint unreachable: " + e.getMessage(), 0, null, true, null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChorusProException("interrupted while asking for a PISTE token", 0, null, true, null, e);
        }
        int status = answer.statusCode();
        if (status != 200) {
            boolean retryable = status == 429 || status >= 500;
            throw new ChorusProException("PISTE token refused: HTTP " + status
                    + (status == 401 ? " (client id or secret refused)" : ""), status, null, retryable,
                    ChorusProClient.retryAfter(answer), null);
        }
        try {
            JsonNode body = JSON.readTree(answer.body());
            long life = body.path("expires_in").asLong(3600);
            token = body.path("access_token").asText(null);
            if (token == null || token.isEmpty()) {
                throw new ChorusProException("PISTE answered no access_token", status, null, true, null, null);
            }
            long margin = Math.min(60, life / 10);
            renewAt = clock.instant().plus(Duration.ofSeconds(Math.max(life - margin, 1)));
            issued++;
        } catch (IOException e) {
            throw new ChorusProException("PISTE answered no JSON: " + e.getMessage(), status, null, true, null, e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
