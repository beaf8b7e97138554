package fr.passerelle.api;

import java.util.Locale;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * What a request's declared body type means to the API: the content decides the format, so any
 * declared type is taken as a raw body, except multipart/form-data (parsed, the file in "file"),
 * other multipart and message envelopes (which wrap the file in something the gateway does not
 * unwrap) and compressed bodies (Content-Encoding): those are refused, 415.
 */
final class BodyType {

    static final String GENERIC_REFUSAL = "Type de contenu non pris en charge : envoyez le fichier brut (tout "
            + "type déclaré, le nom dans X-File-Name) ou en multipart/form-data dans le champ « file ».";

    private BodyType() {
    }

    /** Why this body cannot be taken (a French message), or null when it can. */
    static String refusal(String contentType, String contentEncoding) {
        if (contentEncoding != null && !contentEncoding.isBlank()
                && !"identity".equalsIgnoreCase(contentEncoding.trim())) {
            return "Corps compressé (Content-Encoding: " + printable(contentEncoding) + ") non pris en charge : "
                    + "envoyez le fichier tel quel.";
        }
        String type = mediaType(contentType);
        if (type == null) {
            return null;
        }
        if (type.startsWith("multipart/") && !type.equals("multipart/form-data")) {
            return "Type de contenu " + printable(type) + " non pris en charge : seul multipart/form-data est lu "
                    + "(le fichier dans le champ « file »), ou le fichier brut.";
        }
        if (type.startsWith("message/")) {
            return GENERIC_REFUSAL;
        }
        return null;
    }

    static boolean isFormUrlEncoded(String contentType) {
        return "application/x-www-form-urlencoded".equals(mediaType(contentType));
    }

    /** Whether the request announces a body (a length above zero, or a chunked one). */
    static boolean hasBody(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            return !length.trim().equals("0");
        }
        return request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
    }

    /** The media type without its parameters, lower case; null when none is declared. */
    static String mediaType(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        return type.isEmpty() ? null : type;
    }

    private static String printable(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length() && out.length() < 80; i++) {
            char c = s.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '_');
        }
        return out.toString();
    }
}
