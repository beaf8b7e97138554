package fr.passerelle.api;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.component.platform.http.spi.PlatformHttpEngine;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the API's HTTP server (Vert.x, under Camel platform-http) answers before or instead of a
 * route: every error it makes itself (unknown path, wrong method, body over the limit, malformed
 * request or multipart) in the API's problem shape, a request whose body stops arriving answered
 * 408 after the read timeout, a body the gateway cannot take answered 415 before it is read, and
 * every other declared content type taken as a raw body (only multipart/form-data is parsed).
 */
public final class HttpFrontDoor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpFrontDoor.class);
    /** Before Camel's routes (and their body handler): the guard sees every request first. */
    static final int GUARD_ORDER = -1_000_000;
    /** How much of a refused body is read (and dropped) beyond the body limit before the connection is cut. */
    static final long DRAIN_MARGIN = 128L << 20;
    /** Set on a request once its body has been read and it goes to its Camel route. */
    static final String BODY_READ = "passerelle.bodyRead";

    private final Duration readTimeout;
    private final long maxBodyBytes;
    private ApiVertx vertx;
    /** The routes a 405 looks at for its Allow header. */
    private volatile CamelContext camel;

    public HttpFrontDoor(Duration readTimeout, long maxBodyBytes) {
        if (readTimeout.isNegative() || readTimeout.isZero()) {
            throw new IllegalArgumentException("passerelle.http.read-timeout must be positive: " + readTimeout);
        }
        this.readTimeout = readTimeout;
        this.maxBodyBytes = maxBodyBytes;
    }

    /**
     * The Vert.x instance for Camel's HTTP servers (bound before Camel starts): requests Vert.x
     * cannot parse are answered in the problem shape too. Closed by {@link #close()}.
     */
    public Vertx vertx() {
        if (vertx == null) {
            vertx = new ApiVertx();
        }
        return vertx;
    }

    /** Closes the Vert.x instance, once Camel has stopped its servers. */
    @Override
    public void close() {
        if (vertx != null) {
            vertx.shutdown().toCompletionStage().toCompletableFuture().join();
            vertx = null;
        }
    }

    /**
     * The platform-http engine (bound as "platform-http-engine" before Camel starts): Camel's own,
     * with one handler between the body handler and the route, which marks the body as read.
     */
    public PlatformHttpEngine engine() {
        VertxPlatformHttpEngine engine = new VertxPlatformHttpEngine();
        engine.setHandlers(List.of(ctx -> {
            ctx.put(BODY_READ, Boolean.TRUE);
            ctx.next();
        }));
        return engine;
    }

    /** Installs the guard and the error answers on the API server's router (not the management one). */
    public void install(CamelContext camel) {
        MainHttpServer server = camel.hasService(MainHttpServer.class);
        if (server == null || server.getRouter() == null) {
            throw new IllegalStateException("The API HTTP server (camel.server.enabled) is not running");
        }
        this.camel = camel;
        install(server.getRouter());
    }

    void install(VertxPlatformHttpRouter router) {
        router.route().order(GUARD_ORDER).handler(this::guard);
        for (Router r : new Router[] {router, topRouter(router)}) {
            if (r != null) {
                for (int status : new int[] {400, 404, 405, 408, 413, 415, 500, 501, 503}) {
                    r.errorHandler(status, this::answerFailure);
                }
            }
        }
    }

    /**
     * The server's top router, which the routes' router is mounted on: it answers the requests no
     * route takes (unknown path, 404; known path, other method, 405). Camel keeps it in a private
     * field; without it those two answers stay Vert.x's own.
     */
    private static Router topRouter(VertxPlatformHttpRouter router) {
        try {
            Field field = VertxPlatformHttpServer.class.getDeclaredField("router");
            field.setAccessible(true);
            return (Router) field.get(router.getServer());
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("Unknown paths and wrong methods keep Vert.x's own answers (no access to the server's router: {})",
                    e.toString());
            return null;
        }
    }

    private void guard(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String refusal = BodyType.refusal(request.getHeader(HttpHeaders.CONTENT_TYPE),
                request.getHeader(HttpHeaders.CONTENT_ENCODING));
        if (refusal != null && BodyType.hasBody(request)) {
            answer(ctx, 415, "unsupported-media-type", refusal);
            return;
        }
        if (BodyType.isFormUrlEncoded(request.getHeader(HttpHeaders.CONTENT_TYPE))) {
            // the content decides its format: a file posted as a form (curl --data-binary) is a raw body
            request.headers().set(HttpHeaders.CONTENT_TYPE, "application/octet-stream");
        }
        if (!request.isEnded()) {
            new ReadWatch(ctx, readTimeout, this).start();
        }
        ctx.next();
    }

    /** A failure of the HTTP layer (ctx.fail): its status, in the problem shape. */
    private void answerFailure(RoutingContext ctx) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return; // a failure after the answer (an upload cut short by a refusal): nothing to tell
        }
        int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
        if (ctx.statusCode() <= 0 && (ctx.failure() == null || ctx.failure() instanceof IllegalArgumentException)) {
            status = 400; // nothing failed but the request itself: Vert.x could not decode its path (a bad %-escape)
        }
        if (ctx.failure() != null && status == 500) {
            LOG.warn("HTTP {} {} failed: {}", ctx.request().method(), ctx.request().path(), ctx.failure().toString());
        }
        switch (status) {
            case 400 -> answer(ctx, 400, "bad-request", "Requête HTTP illisible (en-têtes, paramètres ou corps "
                    + "multipart mal formés) : vérifiez l'envoi. Un fichier s'envoie brut (X-File-Name) ou en "
                    + "multipart/form-data dans le champ « file ».");
            case 404 -> answer(ctx, 404, "not-found", "Aucune ressource à cette adresse : " + safePath(ctx)
                    + ". Les chemins de l'API commencent par /api/v1/.");
            case 405 -> {
                String allowed = allowedMethods(ctx.request().path());
                answer(ctx, 405, "method-not-allowed", "La méthode " + ctx.request().method()
                        + " n'est pas permise sur " + safePath(ctx) + (allowed.isEmpty() ? "." : " (permises : " + allowed + ")."),
                        allowed.isEmpty() ? null : allowed);
            }
            case 413 -> answer(ctx, 413, "too-large", "Le fichier dépasse la taille maximale acceptée ("
                    + (maxBodyBytes >> 20) + " Mo) : il n'a pas été traité. Découpez l'envoi en plusieurs fichiers.");
            case 415 -> answer(ctx, 415, "unsupported-media-type", BodyType.GENERIC_REFUSAL);
            case 503 -> answer(ctx, 503, "unavailable", "La passerelle est momentanément indisponible : réessayez "
                    + "dans quelques minutes.");
            default -> answer(ctx, status >= 500 ? 500 : status, status >= 500 ? "internal-error" : "bad-request",
                    status >= 500 ? ApiProblem.INTERNAL_ERROR : "Requête refusée par le serveur HTTP.");
        }
    }

    /**
     * Writes a problem answer if none was started. What is left of a body not read to its end is
     * read and dropped, so that the client, which often sends all before it reads, gets the
     * answer (the read timeout still watches it); past a limit the connection is closed.
     */
    void answer(RoutingContext ctx, int status, String code, String message) {
        answer(ctx, status, code, message, null);
    }

    /** The same, with the Allow header of a 405 when the path's methods are known. */
    private void answer(RoutingContext ctx, int status, String code, String message, String allow) {
        HttpServerResponse response = ctx.response();
        HttpServerRequest request = ctx.request();
        if (response.ended() || response.closed()) {
            return;
        }
        if (response.headWritten()) {
            request.connection().close(); // an answer already under way cannot become an error: cut it
            return;
        }
        if (!request.isEnded()) {
            drain(request);
        }
        response.headers().clear();
        if (allow != null) {
            response.putHeader(HttpHeaders.ALLOW, allow);
        }
        response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, ApiProblem.MEDIA_TYPE)
                .end(Buffer.buffer(ApiProblem.json(status, code, message)));
    }

    /**
     * The methods Camel's platform-http routes take on a request path (their httpMethodRestrict),
     * "GET, POST": Vert.x knows only that none matched. Read from the routes at each 405, which are rare.
     */
    String allowedMethods(String path) {
        TreeSet<String> methods = new TreeSet<>();
        CamelContext routes = camel;
        if (routes == null || path == null) {
            return "";
        }
        for (Route route : routes.getRoutes()) {
            if (route.getEndpoint() instanceof PlatformHttpEndpoint http && http.getHttpMethodRestrict() != null
                    && pathMatches(http.getPath(), path)) {
                for (String method : http.getHttpMethodRestrict().split(",")) {
                    methods.add(method.trim().toUpperCase(Locale.ROOT));
                }
            }
        }
        return String.join(", ", methods);
    }

    /** Whether a route's path template ("/api/v1/flows/{id}") takes a request path, segment by segment. */
    static boolean pathMatches(String template, String path) {
        String[] expected = template.split("/", -1);
        String[] actual = path.split("/", -1);
        if (expected.length != actual.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            boolean parameter = expected[i].startsWith("{") && expected[i].endsWith("}");
            if (parameter ? actual[i].isEmpty() : !expected[i].equals(actual[i])) {
                return false;
            }
        }
        return true;
    }

    private void drain(HttpServerRequest request) {
        long limit = maxBodyBytes + DRAIN_MARGIN;
        long[] dropped = {0};
        try {
            request.setExpectMultipart(false); // no more parts to decode, nor files to write
        } catch (IllegalStateException e) {
            // already ended
        }
        request.exceptionHandler(e -> { });
        request.handler(chunk -> {
            dropped[0] += chunk.length();
            if (dropped[0] > limit) {
                request.connection().close();
            }
        });
        request.endHandler(v -> { });
        request.resume();
    }

    /** The request path as it may be shown back: printable ASCII, at most 200 characters. */
    private static String safePath(RoutingContext ctx) {
        String path = ctx.request().path();
        if (path == null) {
            return "/";
        }
        StringBuilder safe = new StringBuilder();
        for (int i = 0; i < path.length() && safe.length() < 200; i++) {
            char c = path.charAt(i);
            safe.append(c >= 0x20 && c < 0x7f ? c : '_');
        }
        return safe.toString();
    }
}
