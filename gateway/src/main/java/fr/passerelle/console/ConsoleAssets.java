package fr.passerelle.console;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

import org.apache.camel.Exchange;

/** GET /console/assets/{name}: the console's stylesheet and script, from the jar, nothing else. */
public final class ConsoleAssets {

    private static final Map<String, String> TYPES = Map.of("console.css", "text/css; charset=utf-8",
            "console.js", "text/javascript; charset=utf-8");

    public void serve(Exchange exchange) throws IOException {
        String name = exchange.getMessage().getHeader("name", String.class);
        String type = TYPES.get(name);
        exchange.getMessage().removeHeaders("*");
        if (type == null) {
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 404);
            exchange.getMessage().setBody("");
            return;
        }
        try (InputStream in = ConsoleAssets.class.getClassLoader().getResourceAsStream("console/" + name)) {
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, type);
            exchange.getMessage().setHeader("Cache-Control", "max-age=300");
            exchange.getMessage().setBody(in.readAllBytes());
        }
    }
}
