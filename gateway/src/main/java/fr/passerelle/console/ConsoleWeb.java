package fr.passerelle.console;

import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The HTTP side of the console's pages: the session from its cookie (HttpOnly, SameSite=Strict,
 * Secure behind TLS), the form posted, the CSRF check every action passes, and the answers (an
 * HTML page, a redirect).
 */
final class ConsoleWeb {

    static final String COOKIE = "passerelle_console";
    private static final int MAX_FORM = 64 * 1024;

    private final ConsoleSessions sessions;

    ConsoleWeb(ConsoleSessions sessions) {
        this.sessions = sessions;
    }

    /** The signed-in session, or empty (a redirect to the sign-in page is the caller's to send). */
    Optional<ConsoleSessions.Session> session(Exchange exchange) {
        return sessions.find(cookie(exchange.getMessage()));
    }

    /** The session, or null after answering with a redirect to the sign-in page. */
    ConsoleSessions.Session signedIn(Exchange exchange) {
        Optional<ConsoleSessions.Session> session = session(exchange);
        if (session.isEmpty()) {
            redirect(exchange, "/console/login");
            return null;
        }
        return session.get();
    }

    /** The session of a posted action whose CSRF token matches, or null after answering 403. */
    ConsoleSessions.Session action(Exchange exchange, Map<String, String> form) {
        ConsoleSessions.Session session = signedIn(exchange);
        if (session == null) {
            return null;
        }
        String posted = form.getOrDefault("_csrf", exchange.getMessage().getHeader("_csrf", String.class));
        if (!ConsoleSessions.sameToken(posted, session.csrf())) {
            page(exchange, 403, Html.page("Action refusée", session, "<p role=\"alert\">Cette action ne vient pas d'une "
                    + "page de la console (jeton de sécurité absent ou périmé) : rechargez la page et recommencez.</p>"));
            return null;
        }
        return session;
    }

    /** An application/x-www-form-urlencoded body, at most 64 KB. */
    static Map<String, String> form(Exchange exchange) {
        Map<String, String> fields = new HashMap<>();
        Message in = exchange.getMessage();
        Object body = in.getBody();
        String text;
        if (body instanceof Map<?, ?> map) {
            map.forEach((k, v) -> fields.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
            return fields;
        }
        try (InputStream stream = in.getBody(InputStream.class)) {
            text = stream == null ? "" : new String(stream.readNBytes(MAX_FORM), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            text = "";
        }
        for (String pair : text.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                fields.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        for (String name : new String[] {"login", "password", "_csrf"}) {
            String header = in.getHeader(name, String.class);
            if (!fields.containsKey(name) && header != null) {
                fields.put(name, header); // the HTTP engine may have read the form into headers already
            }
        }
        return fields;
    }

    void openSession(Exchange exchange, ConsoleSessions.Session session) {
        exchange.getMessage().setHeader("Set-Cookie", COOKIE + "=" + session.cookie() + "; Path=/console; HttpOnly; "
                + "SameSite=Strict; Max-Age=" + ConsoleSessions.LIFETIME.toSeconds() + (secure(exchange) ? "; Secure" : ""));
    }

    void closeSession(Exchange exchange) {
        sessions.close(cookie(exchange.getMessage()));
        exchange.getMessage().setHeader("Set-Cookie", COOKIE + "=; Path=/console; HttpOnly; SameSite=Strict; Max-Age=0"
                + (secure(exchange) ? "; Secure" : ""));
    }

    static void page(Exchange exchange, int status, String html) {
        Message out = answer(exchange);
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, "text/html; charset=utf-8");
        out.setHeader("Cache-Control", "no-store");
        out.setHeader("X-Content-Type-Options", "nosniff");
        out.setHeader("X-Frame-Options", "DENY");
        out.setHeader("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; form-action 'self'");
        out.setBody(html.getBytes(StandardCharsets.UTF_8));
    }

    static void redirect(Exchange exchange, String location) {
        Message out = answer(exchange);
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, 303);
        out.setHeader("Location", location);
        out.setBody("");
    }

    /** The message cleared of the request's headers, keeping a cookie the handler just set. */
    private static Message answer(Exchange exchange) {
        Message out = exchange.getMessage();
        String cookie = out.getHeader("Set-Cookie", String.class);
        out.removeHeaders("*");
        if (cookie != null) {
            out.setHeader("Set-Cookie", cookie);
        }
        return out;
    }

    private static boolean secure(Exchange exchange) {
        Message in = exchange.getMessage();
        String url = in.getHeader(Exchange.HTTP_URL, String.class);
        return "https".equalsIgnoreCase(in.getHeader("X-Forwarded-Proto", String.class))
                || url != null && url.startsWith("https:");
    }

    private static String cookie(Message in) {
        String header = in.getHeader("Cookie", String.class);
        if (header == null) {
            return null;
        }
        for (String part : header.split(";")) {
            String p = part.trim();
            if (p.startsWith(COOKIE + "=")) {
                return p.substring(COOKIE.length() + 1);
            }
        }
        return null;
    }
}
