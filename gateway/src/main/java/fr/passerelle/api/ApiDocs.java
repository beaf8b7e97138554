package fr.passerelle.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.Exchange;

/**
 * The API's contract, served without a key: the OpenAPI document ({@code api/openapi.json}, the one
 * place the API is described) and, for people, a Swagger UI page on it, whose files come from the
 * swagger-ui WebJar on the class path.
 */
public final class ApiDocs {

    static final String DOCUMENT = "api/openapi.json";
    static final String DOCUMENT_PATH = "/api/v1/openapi.json";
    static final String PAGE_PATH = "/api/v1/docs";
    private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/";
    private static final String WEBJAR_VERSION = "META-INF/maven/org.webjars/swagger-ui/pom.properties";
    /** Only the files the page needs: a path parameter never names an arbitrary class-path resource. */
    private static final Map<String, String> ASSETS = Map.of(
            "swagger-ui.css", "text/css; charset=UTF-8",
            "index.css", "text/css; charset=UTF-8",
            "swagger-ui-bundle.js", "text/javascript; charset=UTF-8",
            "swagger-ui-standalone-preset.js", "text/javascript; charset=UTF-8",
            "favicon-32x32.png", "image/png",
            "favicon-16x16.png", "image/png");

    /** Swagger UI pointed at the document; its files are relative to this page's folder. */
    private static final byte[] PAGE = """
                <!DOCTYPE html>
                <html lang="fr">
                <head>
                  <meta charset="UTF-8">
                  <title>Passerelle API</title>
                  <link rel="stylesheet" href="/api/v1/docs/swagger-ui.css">
                  <link rel="icon" type="image/png" href="/api/v1/docs/favicon-32x32.png">
                </head>
                <body>
                  <div id="swagger-ui"></div>
                  <script src="/api/v1/docs/swagger-ui-bundle.js"></script>
                  <script src="/api/v1/docs/swagger-ui-standalone-preset.js"></script>
                  <script>
                    window.ui = SwaggerUIBundle({
                      url: "%s",
                      dom_id: "#swagger-ui",
                      deepLinking: true,
                      presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
                      layout: "StandaloneLayout"
                    });
                  </script>
                </body>
                </html>
                """.formatted(DOCUMENT_PATH).getBytes(StandardCharsets.UTF_8);

    private final byte[] document;
    private final String webjarFolder;
    /** The page's files, each read from the WebJar once, at its first request. */
    private final Map<String, byte[]> assets = new ConcurrentHashMap<>();

    public ApiDocs() {
        this.document = resource(DOCUMENT);
        this.webjarFolder = WEBJAR + webjarVersion() + "/";
    }

    /** GET /api/v1/openapi.json */
    public void document(Exchange exchange) {
        answer(exchange, "application/json; charset=UTF-8", document);
    }

    /** GET /api/v1/docs: Swagger UI pointed at the document. */
    public void page(Exchange exchange) {
        answer(exchange, "text/html; charset=UTF-8", PAGE);
    }

    /** GET /api/v1/docs/{asset}: one of the page's files from the WebJar. */
    public void asset(Exchange exchange) {
        String name = exchange.getMessage().getHeader("asset", String.class);
        String mediaType = name == null ? null : ASSETS.get(name);
        if (mediaType == null) {
            throw new ApiException(404, "not-found", "Aucun fichier de la page de documentation ne s'appelle ainsi.");
        }
        answer(exchange, mediaType, assets.computeIfAbsent(name, n -> resource(webjarFolder + n)));
    }

    private static void answer(Exchange exchange, String mediaType, byte[] body) {
        ApiAnswers.bytes(exchange, 200, mediaType, body);
    }

    /** The WebJar's version, read from the jar itself so that the pom alone says which one ships. */
    private static String webjarVersion() {
        Properties properties = new Properties();
        try (InputStream in = ApiDocs.class.getClassLoader().getResourceAsStream(WEBJAR_VERSION)) {
            if (in == null) {
                throw new IllegalStateException("The swagger-ui WebJar is not on the class path");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("version");
    }

    private static byte[] resource(String name) {
        try (InputStream in = ApiDocs.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("Missing class-path resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
