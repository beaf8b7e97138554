package fr.passerelle.chorus.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

/**
 * The simulator's HTTP front: the token endpoint, then for each {@code /cpro/} call the method, the queued
 * {@link Misbehaviour}, the bearer token, the cpro-account header, and the service. Every answer is JSON.
 */
final class HttpRoutes implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(HttpRoutes.class);
    static final String TOKEN_PATH = "/api/oauth/token";
    static final String API_PREFIX = "/cpro/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ChorusProSimulator simulator;
    private final AccessControl access;
    private final InvoiceEndpoints endpoints;

    HttpRoutes(ChorusProSimulator simulator, AccessControl access, InvoiceEndpoints endpoints) {
        this.simulator = simulator;
        this.access = access;
        this.endpoints = endpoints;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Reply reply;
            try {
                reply = route(exchange);
            } catch (Requests.BadRequest e) {
                reply = Reply.error(400, 400, "Requête invalide : " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                reply = Reply.error(503, 503, "Service indisponible");
            } catch (RuntimeException e) {
                LOG.warn("Chorus Pro simulator: {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
                reply = Reply.error(500, 500, "Erreur interne du simulateur : " + e);
            }
            send(exchange, reply);
        }
    }

    private Reply route(HttpExchange exchange) throws IOException, InterruptedException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        if (path.equals(TOKEN_PATH)) {
            simulator.called(TOKEN_PATH.substring(1));
            return method.equals("POST") ? token(exchange) : notAllowed("POST");
        }
        if (!path.startsWith(API_PREFIX) || !InvoiceEndpoints.PATHS.contains(path.substring(API_PREFIX.length()))) {
            return Reply.error(404, 404, "Service inconnu : " + path);
        }
        String service = path.substring(API_PREFIX.length());
        simulator.called(service);
        boolean health = service.equals(InvoiceEndpoints.HEALTH);
        if (!method.equals("POST") && !(health && method.equals("GET"))) {
            return notAllowed(health ? "GET, POST" : "POST");
        }
        String token = AccessControl.bearer(exchange.getRequestHeaders().getFirst("Authorization"));
        Misbehaviour misbehaviour = simulator.nextMisbehaviour(service);
        if (misbehaviour == Misbehaviour.SLOW) {
            Thread.sleep(ChorusProSimulator.SLOW_DELAY.toMillis());
        } else if (misbehaviour != null) {
            return misbehave(misbehaviour, token);
        }
        if (!access.tokenValid(token)) {
            return Reply.error(401, 401, token == null ? "Jeton d'accès manquant" : "Jeton d'accès invalide ou expiré")
                    .header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        }
        if (!health && !access.accountValid(exchange.getRequestHeaders().getFirst("cpro-account"))) {
            return Reply.error(401, 401, "Compte technique (cpro-account) absent ou refusé");
        }
        return endpoints.handle(service, readJson(exchange));
    }

    private Reply misbehave(Misbehaviour misbehaviour, String token) {
        return switch (misbehaviour) {
            case EXPIRED_TOKEN -> {
                access.revoke(token);
                yield Reply.error(401, 401, "Jeton d'accès expiré (simulé)")
                        .header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            }
            case RATE_LIMITED -> Reply.error(429, 429, "Trop de requêtes (simulé)").header("Retry-After", "1");
            case BUSINESS_ERROR -> Reply.business(50000, "Erreur métier simulée");
            case TOO_LARGE -> Reply.error(413, 413, "Le dossier dépasse la taille maximale (simulé)");
            case SERVER_ERROR -> Reply.error(503, 503, "Service indisponible (simulé)");
            case SLOW -> throw new IllegalStateException("SLOW answers normally");
        };
    }

    /** OAuth2 client credentials, in the form body (client_secret_post) or as HTTP Basic. */
    private Reply token(HttpExchange exchange) throws IOException {
        Map<String, String> form = form(new String(readAll(exchange.getRequestBody()), StandardCharsets.UTF_8));
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String[] basic = authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)
                ? AccessControl.decodePair(authorization.substring(6)) : null;
        String clientId = basic != null ? basic[0] : form.get("client_id");
        String clientSecret = basic != null ? basic[1] : form.get("client_secret");
        if (!"client_credentials".equals(form.get("grant_type"))) {
            return Reply.error(400, 400, "grant_type non pris en charge").with("error", "unsupported_grant_type");
        }
        if (!access.clientValid(clientId, clientSecret)) {
            return Reply.error(401, 401, "Client inconnu ou secret erroné").with("error", "invalid_client");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", access.issue());
        body.put("token_type", "Bearer");
        body.put("expires_in", access.lifetimeSeconds());
        body.put("scope", form.getOrDefault("scope", "openid"));
        return new Reply(200, body, Map.of("Cache-Control", "no-store"));
    }

    private static Map<String, String> form(String body) {
        Map<String, String> fields = new HashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            fields.put(name, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return fields;
    }

    private static JsonNode readJson(HttpExchange exchange) throws IOException {
        byte[] body = readAll(exchange.getRequestBody());
        if (body.length == 0 || new String(body, StandardCharsets.UTF_8).isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || !node.isObject()) {
                throw new Requests.BadRequest("le corps doit être un objet JSON");
            }
            return node;
        } catch (JacksonException e) {
            throw new Requests.BadRequest("JSON illisible : " + e.getOriginalMessage());
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        return in.readAllBytes();
    }

    private static Reply notAllowed(String allow) {
        return Reply.error(405, 405, "Méthode non autorisée (" + allow + ")").header("Allow", allow);
    }

    private static void send(HttpExchange exchange, Reply reply) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(reply.body());
        exchange.getResponseHeaders().set("Content-Type", "application/json;charset=utf-8");
        reply.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(reply.status(), -1);
            return;
        }
        exchange.sendResponseHeaders(reply.status(), bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
