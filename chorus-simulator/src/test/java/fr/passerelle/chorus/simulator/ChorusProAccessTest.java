package fr.passerelle.chorus.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The token, the two credentials, the methods, and each misbehaviour. */
class ChorusProAccessTest {

    private static final String SEARCH = "factures/v1/rechercher/recipiendaire";
    private static final String DOWNLOAD = "factures/v1/telecharger/groupe";
    private final Api.TestClock clock = new Api.TestClock();
    private ChorusProSimulator simulator;
    private Api api;
    private long id;

    @BeforeEach
    void start() throws Exception {
        simulator = new ChorusProSimulator(ChorusProSimulator.Options.defaults(), clock).start();
        api = new Api(simulator);
        id = simulator.deposit(42, "21750001600019", "F-1", "F-1.xml", "<Invoice/>".getBytes(StandardCharsets.UTF_8),
                new BigDecimal("120.00"));
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    @Test
    void aClientGetsABearerTokenAndAWrongOneIsRefused() throws Exception {
        Api.Answer token = api.token("passerelle", "passerelle-secret");
        assertThat(token.status()).isEqualTo(200);
        assertThat(token.body().path("access_token").asText()).isNotBlank();
        assertThat(token.body().path("token_type").asText()).isEqualTo("Bearer");
        assertThat(token.body().path("expires_in").asLong()).isEqualTo(3600);
        assertThat(token.body().path("scope").asText()).isEqualTo("openid");

        Api.Answer wrong = api.token("passerelle", "not-the-secret");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.body().path("error").asText()).isEqualTo("invalid_client");
        assertThat(simulator.calls("api/oauth/token")).isEqualTo(2);
    }

    @Test
    void everyApiCallNeedsAValidTokenAndTheTechnicalAccount() throws Exception {
        String token = api.token();
        String body = "{\"idDestinataire\": 42}";
        assertThat(api.post(SEARCH, body, token, Api.ACCOUNT).codeRetour()).isZero();
        assertThat(api.post(SEARCH, body, null, Api.ACCOUNT).status()).isEqualTo(401);
        assertThat(api.post(SEARCH, body, "made-up", Api.ACCOUNT).status()).isEqualTo(401);
        assertThat(api.post(SEARCH, body, token, null).status()).isEqualTo(401);
        assertThat(api.post(SEARCH, body, token, Api.account("passerelle-tech", "wrong")).status()).isEqualTo(401);
        assertThat(api.post(SEARCH, body, token, "%%%not base64").body().path("libelle").asText()).contains("cpro-account");

        clock.advance(Duration.ofSeconds(3600));
        Api.Answer expired = api.post(SEARCH, body, token, Api.ACCOUNT);
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.body().has("codeRetour")).isTrue();
        assertThat(simulator.calls(SEARCH)).isEqualTo(7);
    }

    @Test
    void wrongMethodsUnknownPathsAndBadJsonAnswerJson() throws Exception {
        Api.Answer get = api.send(api.request(SEARCH, api.token(), Api.ACCOUNT).GET().build());
        assertThat(get.status()).isEqualTo(405);
        assertThat(get.response().headers().firstValue("Allow")).hasValue("POST");
        assertThat(get.response().headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("json"));

        Api.Answer unknown = api.post("factures/v1/nowhere", "{}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.codeRetour()).isEqualTo(404);
        assertThat(api.post(SEARCH, "{not json").status()).isEqualTo(400);

        Api.Answer health = api.send(api.request("transverses/v1/health-check", api.token(), null).GET().build());
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.codeRetour()).isZero();
    }

    @Test
    void eachMisbehaviourOnce() throws Exception {
        String token = api.token();
        String search = "{\"idDestinataire\": 42}";

        simulator.misbehave(Misbehaviour.RATE_LIMITED, 1);
        Api.Answer limited = api.post(SEARCH, search, token, Api.ACCOUNT);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.response().headers().firstValue("Retry-After")).hasValue("1");

        simulator.misbehave(Misbehaviour.BUSINESS_ERROR, 1);
        Api.Answer business = api.post(SEARCH, search, token, Api.ACCOUNT);
        assertThat(business.status()).isEqualTo(200);
        assertThat(business.codeRetour()).isEqualTo(50000);

        simulator.misbehave(Misbehaviour.SERVER_ERROR, 1);
        assertThat(api.post(SEARCH, search, token, Api.ACCOUNT).status()).isEqualTo(503);

        simulator.misbehave(Misbehaviour.TOO_LARGE, 1);
        assertThat(api.post(SEARCH, search, token, Api.ACCOUNT).codeRetour()).as("not a download: answers").isZero();
        String download = "{\"listeFacture\": [{\"idFacture\": " + id + "}], \"format\": \"XML\"}";
        assertThat(api.post(DOWNLOAD, download, token, Api.ACCOUNT).status()).isEqualTo(413);
        assertThat(api.post(DOWNLOAD, download, token, Api.ACCOUNT).codeRetour()).isZero();

        simulator.misbehave(Misbehaviour.EXPIRED_TOKEN, 1);
        assertThat(api.post(SEARCH, search, token, Api.ACCOUNT).status()).isEqualTo(401);
        assertThat(api.post(SEARCH, search, token, Api.ACCOUNT).status()).as("the token is revoked").isEqualTo(401);
        token = api.token();
        assertThat(api.post(SEARCH, search, token, Api.ACCOUNT).codeRetour()).isZero();

        simulator.misbehave(Misbehaviour.SLOW, 1);
        HttpRequest slow = api.request(SEARCH, token, Api.ACCOUNT).timeout(Duration.ofMillis(300))
                .POST(HttpRequest.BodyPublishers.ofString(search)).build();
        assertThatThrownBy(() -> api.send(slow)).isInstanceOf(HttpTimeoutException.class);
        assertThat(api.post(SEARCH, search, token, Api.ACCOUNT).codeRetour()).isZero();
        assertThat(simulator.calls(DOWNLOAD)).isEqualTo(2);
    }

    @Test
    void theGatewaysSettingsAndTheCommandLineGiveOptions() {
        ChorusProSimulator.Options options = ChorusProSimulator.Options.fromSettings(Map.of(
                "passerelle.chorus-simulator.port", " 8096", "passerelle.chorus-simulator.client-id", "gw",
                "passerelle.chorus-simulator.login", "tech", "passerelle.chorus-simulator.password", "pw")::get);
        assertThat(options.host()).isEqualTo("127.0.0.1");
        assertThat(options.port()).isEqualTo(8096);
        assertThat(options.clientId()).isEqualTo("gw");
        assertThat(options.clientSecret()).isEqualTo("passerelle-secret");
        assertThat(options.technicalAccounts()).isEqualTo(Map.of("tech", "pw"));
        assertThat(options.maxDownloadBytes()).isEqualTo(120L * 1024 * 1024);

        CommandLine command = new CommandLine(new SimulatorMain());
        command.setErr(new java.io.PrintWriter(java.io.Writer.nullWriter()));
        assertThat(command.execute("--port", "two")).isEqualTo(2);
        assertThat(command.execute("--unknown")).isEqualTo(2);
    }
}
