package fr.passerelle.api;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The one shape of every error the API answers, from a route or from the HTTP layer itself:
 * RFC 9457 problem details ({@code application/problem+json}: type, title, status, detail) with
 * the API's own fields beside them, {@code error} (a stable code) and {@code message} (in French,
 * the same text as detail).
 */
public final class ApiProblem {

    public static final String MEDIA_TYPE = "application/problem+json";
    /** The problem types: one URI per stable error code. */
    static final String TYPE_PREFIX = "urn:passerelle:problem:";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What a 500 says, from a route or from the HTTP layer. */
    static final String INTERNAL_ERROR = "Erreur interne : la demande n'a pas pu être traitée. Réessayez plus tard ; "
            + "si l'erreur persiste, contactez l'exploitation avec l'heure de la demande.";

    private ApiProblem() {
    }

    public static Map<String, Object> body(int status, String code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", TYPE_PREFIX + code);
        body.put("title", title(status));
        body.put("status", status);
        body.put("detail", message);
        body.put("error", code);
        body.put("message", message);
        return body;
    }

    public static byte[] json(int status, String code, String message) {
        try {
            return JSON.writeValueAsBytes(body(status, code, message));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A short French title for the HTTP status (the same for every problem of that status). */
    public static String title(int status) {
        return switch (status) {
            case 400 -> "Requête invalide";
            case 401 -> "Authentification requise";
            case 403 -> "Accès refusé";
            case 404 -> "Introuvable";
            case 405 -> "Méthode non permise";
            case 408 -> "Requête incomplète";
            case 409 -> "Conflit";
            case 410 -> "Plus disponible";
            case 413 -> "Contenu trop volumineux";
            case 414 -> "Adresse trop longue";
            case 415 -> "Type de contenu non pris en charge";
            case 422 -> "Contenu non traitable";
            case 431 -> "En-têtes trop volumineux";
            case 503 -> "Service momentanément indisponible";
            default -> status >= 500 ? "Erreur interne" : "Requête refusée";
        };
    }
}
