package fr.passerelle.chorus;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import fr.passerelle.tenant.ChorusProAccount;

/**
 * The calls the gateway makes to Chorus Pro through PISTE: each a POST of JSON to
 * {@code <api>/<path>} with the platform's bearer token and the commune's technical account
 * ({@code cpro-account: base64(login:password)}). HTTP 200 with a non-zero codeRetour is a business
 * error; 401 renews the token once; 429 and 5xx are retryable with the platform's Retry-After.
 */
public final class ChorusProClient {

    static final String SEARCH = "factures/v1/rechercher/recipiendaire";
    static final String CONSULT = "factures/v1/consulter/recipiendaire";
    static final String DOWNLOAD = "factures/v1/telecharger/groupe";
    static final String PROCESS = "factures/v1/traiter/recue";
    static final String ALLOWED = "transverses/v1/recuperer/etats/traitement";
    static final String HEALTH = "transverses/v1/health-check";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** 2026-03-02T10:00:00.000+01:00: the same precision always, in Paris time as Chorus Pro writes its own. */
    private static final java.time.format.DateTimeFormatter STAMP = java.time.format.DateTimeFormatter
            .ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(java.time.ZoneId.of("Europe/Paris"));

    /** One invoice of a search: what identifies it and where it stands on Chorus Pro. */
    public record Received(long idFacture, String numeroFacture, OffsetDateTime dateHeureEtatCourant, String statut,
                           BigDecimal montantTTC) {
    }

    /** One page of a search, numbered from 1. */
    public record Page(int page, int pages, List<Received> invoices) {
    }

    private final HttpClient http;
    private final ChorusOptions options;
    private final PisteTokens tokens;

    public ChorusProClient(ChorusOptions options, Clock clock) {
        this.options = options;
        this.http = HttpClient.newBuilder().connectTimeout(options.timeout()).build();
        this.tokens = new PisteTokens(http, options, clock);
    }

    /** The invoices received by the commune whose state changed in [from, to), one page. */
    public Page search(ChorusProAccount account, OffsetDateTime from, OffsetDateTime to, int page)
            throws ChorusProException {
        ObjectNode body = JSON.createObjectNode();
        body.put("idDestinataire", account.structureId());
        body.put("periodeDateHeureEtatCourantDu", STAMP.format(from));
        body.put("periodeDateHeureEtatCourantAu", STAMP.format(to));
        ObjectNode paging = body.putObject("paramRecherche");
        paging.put("nbResultatsParPage", options.pageSize());
        paging.put("pageResultatDemandee", page);
        paging.put("triColonne", "DateHeureEtatCourant");
        paging.put("triSens", "Croissant");
        JsonNode answer;
        try {
            answer = call(account, SEARCH, body);
        } catch (ChorusProException e) {
            if (e.noResult()) {
                return new Page(page, 0, List.of());
            }
            throw e;
        }
        List<Received> invoices = new ArrayList<>();
        for (JsonNode f : answer.path("listeFactures")) {
            invoices.add(new Received(f.path("idFacture").asLong(), f.path("numeroFacture").asText(""),
                    OffsetDateTime.parse(f.path("dateHeureEtatCourant").asText()), f.path("statut").asText(""),
                    f.hasNonNull("montantTTC") ? f.path("montantTTC").decimalValue() : null));
        }
        return new Page(answer.path("pageCourante").asInt(page), answer.path("pages").asInt(0), invoices);
    }

    /** The invoice's file as the supplier deposited it. */
    public byte[] download(ChorusProAccount account, long idFacture) throws ChorusProException {
        ObjectNode body = JSON.createObjectNode();
        body.putArray("listeFacture").addObject().put("idFacture", idFacture);
        body.put("format", options.downloadFormat());
        String file = call(account, DOWNLOAD, body).path("fichierResultat").asText("");
        if (file.isEmpty()) {
            throw new ChorusProException("Chorus Pro sent no file for invoice " + idFacture, 200, null, false, null,
                    null);
        }
        return Base64.getMimeDecoder().decode(file);
    }

    /** The invoice's status on Chorus Pro now. */
    public String status(ChorusProAccount account, long idFacture) throws ChorusProException {
        ObjectNode body = JSON.createObjectNode();
        body.put("idFacture", idFacture);
        JsonNode answer = call(account, CONSULT, body);
        return answer.path("facture").path("statutFacture").asText(answer.path("statut").asText(""));
    }

    /** The statuses the commune may give the invoice from where it stands: asked, never assumed. */
    public List<String> allowedStatuses(ChorusProAccount account, long idFacture) throws ChorusProException {
        ObjectNode body = JSON.createObjectNode();
        body.put("idFacture", idFacture);
        List<String> allowed = new ArrayList<>();
        for (JsonNode s : call(account, ALLOWED, body).path("listeStatutsPossiblesPourTraitement")) {
            allowed.add(s.isTextual() ? s.asText() : s.path("statutPossiblePourTraitement").asText());
        }
        return allowed;
    }

    /** Sets the invoice's status; the answer as Chorus Pro gave it. */
    public JsonNode setStatus(ChorusProAccount account, long idFacture, String statut, String motif,
                              String numeroDPMandat) throws ChorusProException {
        ObjectNode body = JSON.createObjectNode();
        body.put("idFacture", idFacture);
        body.put("nouveauStatut", statut);
        if (motif != null) {
            body.put("motif", motif);
        }
        if (numeroDPMandat != null) {
            body.put("numeroDPMandat", numeroDPMandat);
        }
        return call(account, PROCESS, body);
    }

    /** Tokens issued since start (a test sees the renewal). */
    int tokensIssued() {
        return tokens.issued();
    }

    private JsonNode call(ChorusProAccount account, String path, ObjectNode body) throws ChorusProException {
        for (int attempt = 0; ; attempt++) {
            String token = tokens.token();
            HttpResponse<String> answer = send(account, path, body, token);
            int status = answer.statusCode();
            if (status == 401 && attempt == 0) {
                tokens.refused(token); // expired or revoked before its time: one more try with a new one
                continue;
            }
            if (status != 200) {
                throw new ChorusProException(path + ": HTTP " + status + meaning(status), status, codeRetour(answer),
                        status == 429 || status >= 500, retryAfter(answer), null);
            }
            JsonNode json;
            try {
                json = JSON.readTree(answer.body());
            } catch (IOException e) {
                throw new ChorusProException(path + ": the answer is no JSON", status, null, true, null, e);
            }
            int code = json.path("codeRetour").asInt(0);
            if (code != 0) {
                throw new ChorusProException(path + ": codeRetour " + code + " " + json.path("libelle").asText(""),
                        status, code, false, null, null);
            }
            return json;
        }
    }

    private HttpResponse<String> send(ChorusProAccount account, String path, ObjectNode body, String token)
            throws ChorusProException {
        String credentials = Base64.getEncoder().encodeToString((account.login() + ":" + account.password())
                .getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(options.apiUri().resolve(path)).timeout(options.timeout())
                .header("Authorization", "Bearer " + token)
                .header("cpro-account", credentials)
                .header("Content-Type", "application/json;charset=utf-8")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ChorusProException(path + ": Chorus Pro unreachable or too slow (" + e.getClass().getSimpleName()
                    + ")", 0, null, true, null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChorusProException(path + ": interrupted", 0, null, true, null, e);
        }
    }

    private static String meaning(int status) {
        return switch (status) {
            case 401 -> " (technical account or token refused)";
            case 403 -> " (API not subscribed or connection not declared on Chorus Pro)";
            case 413 -> " (file too large to download)";
            case 429 -> " (quota reached)";
            default -> "";
        };
    }

    private static Integer codeRetour(HttpResponse<String> answer) {
        try {
            JsonNode json = JSON.readTree(answer.body());
            return json.hasNonNull("codeRetour") ? json.get("codeRetour").asInt() : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static Duration retryAfter(HttpResponse<?> answer) {
        return answer.headers().firstValue("Retry-After").filter(v -> v.matches("\\d{1,6}"))
                .map(v -> Duration.ofSeconds(Long.parseLong(v))).orElse(null);
    }
}
